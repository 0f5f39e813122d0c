/**
 * `seedBulk`: a new, realistic large chain in one transaction (src/seed/bulk: organisation, customers,
 * consents, rights), for trying the marketing list at scale and for `npm run bench:marketing`. Customers and
 * everything about them are made by PostgreSQL in batches (INSERT … SELECT over generate_series, deterministic
 * for a seed); the tables are analysed at the end so the planner knows their size.
 *
 * The hash-chained logs get no entries: this is imported fixture data written by the databases' owner, not a
 * change made through the API by a user in a session (which is what the change log records, and its entries
 * need). One import would otherwise be a million entries. `npm run audit:verify` verifies as before.
 */
import { DataSource } from 'typeorm';
import { BulkOptions } from './bulk-options';
import { insertConsentBatch, insertWordings } from './consents';
import { CREATE_WORK_TABLES, fillStoreTable, insertCustomerBatch } from './customers';
import { seedOrganisation } from './organisation';
import { Progress, SILENT_PROGRESS } from './progress';
import { CREATE_RANDOM_FUNCTIONS, DROP_RANDOM_FUNCTIONS, randomSql } from './random-sql';
import { insertObjectionBatch, insertRestrictionBatch, insertTermsBatch } from './rights';

export interface BulkReport {
  chainId: string;
  chainName: string;
  regions: number;
  stores: number;
  staff: number;
  customers: number;
  consentEvents: number;
  wordings: number;
  restrictionEvents: number;
  objections: number;
  termsAcceptances: number;
  chainManagerEmail: string;
  biEmail: string;
  biUserId: string;
  /** The BI service account's API token: shown once, only its hash is stored. */
  biToken: string;
  biTokenExpiresAt: Date;
  /** Seconds spent per step over all batches (customers, consents, restrictions, objections, terms; analyse). */
  timings: Record<string, number>;
  seconds: number;
}

export class BulkChainExists extends Error {}

export async function seedBulk(core: DataSource, options: BulkOptions, suppressionKey: Buffer, progress: Progress = SILENT_PROGRESS): Promise<BulkReport> {
  const started = Date.now();
  const r = randomSql(options.seed);
  const report = await core.transaction(async (tx) => {
    const exists = (await tx.query('SELECT 1 FROM chain WHERE name = $1', [options.chainName])) as unknown[];
    if (exists.length) throw new BulkChainExists(`a chain named "${options.chainName}" exists already: pick another --chain-name or --seed`);
    await tx.query('SET LOCAL synchronous_commit = off');
    // A batch's intermediate rows (tens of MB) stay in memory instead of spilling to temporary files.
    await tx.query("SET LOCAL work_mem = '256MB'");
    
    for (const sql of CREATE_RANDOM_FUNCTIONS) await tx.query(sql);
    const org = await seedOrganisation(tx, options.seed, options.chainName, options.stores);
    for (const sql of CREATE_WORK_TABLES) await tx.query(sql);
    await fillStoreTable(tx, org.stores);
    const wordings = await insertWordings(tx, r, org.chainId, org.chainManagerId);
    const totals = { customers: 0, consentEvents: 0, restrictionEvents: 0, objections: 0, termsAcceptances: 0 };
    progress.start(options.customers, `seeding ${options.chainName}`);
    const timings: Record<string, number> = {};
    const timed = async (step: string, work: () => Promise<number>): Promise<number> => {
      const t0 = Date.now();
      const n = await work();
      timings[step] = (timings[step] ?? 0) + (Date.now() - t0) / 1000;
      return n;
    };
    for (let from = 1; from <= options.customers; from += options.batchSize) {
      const to = Math.min(options.customers, from + options.batchSize - 1);
      totals.customers += await timed('customers', () => insertCustomerBatch(tx, r, org.chainId, options.stores, from, to));
      totals.consentEvents += await timed('consents', () => insertConsentBatch(tx, r, org.chainId));
      totals.restrictionEvents += await timed('restrictions', () => insertRestrictionBatch(tx, r, org.chainId));
      totals.objections += await timed('objections', () => insertObjectionBatch(tx, r, org.chainId, suppressionKey));
      totals.termsAcceptances += await timed('terms', () => insertTermsBatch(tx, r, org.chainId));
      progress.update(to);
    }
    progress.stop();
    for (const sql of DROP_RANDOM_FUNCTIONS) await tx.query(sql);
    return {
      chainId: org.chainId, chainName: options.chainName, regions: org.regions, stores: org.stores.length, staff: org.staff,
      ...totals, wordings, chainManagerEmail: org.chainManagerEmail, biEmail: org.biEmail, biUserId: org.biUserId,
      biToken: org.biToken, biTokenExpiresAt: org.biTokenExpiresAt, timings, seconds: 0,
    };
  });
  const analysed = Date.now();
  // Outside the transaction: the planner's statistics for the grown tables (the marketing list's plan depends on them).
  await core.query('ANALYZE customer, consent, consent_event');
  await core.query('ANALYZE processing_restriction, marketing_objection, marketing_suppression, terms_acceptance, store, staff_user, role_assignment');
  report.timings.analyse = (Date.now() - analysed) / 1000;
  return { ...report, seconds: (Date.now() - started) / 1000 };
}
