/**
 * `npm run seed:bulk` (src/seed/bulk): about 2,000 customers into fresh copies of the run's template databases
 * (twice, with the same seed, into two copies): the counts, that the same seed gives the same rows, that every
 * current consent is its customer's last event for the channel, that suppressions hold keyed hashes and no
 * plaintext, and that the audit trail still verifies.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config';
import { createDataSource } from '../../src/db/data-sources';
import { copyDatabases, databaseUrl, dropDatabases } from '../../src/db/throwaway-databases';
import { runAuditVerify } from '../../src/hash-chain/verify-report';
import { BulkChainExists, BulkReport, seedBulk } from '../../src/seed/bulk/bulk-seed';
import { parseBulkOptions } from '../../src/seed/bulk/bulk-options';
import { contactHashes } from '../../src/services/consent/contact-hash-sql';
import { startTestApp, TestApp } from '../support/test-app';

const CUSTOMERS = 2000;
const ARGS = ['--customers', String(CUSTOMERS), '--stores', '12', '--seed', '7', '--batch', '700', '--chain-name', 'Bulk test chain'];

interface Pair {
  names: { core: string; clinical: string };
  core: DataSource;
  clinical: DataSource;
}

const admin = (): string => process.env.VISUS_TEST_PG_URL as string;
const config = loadConfig();
let app: TestApp;
let first: { core: DataSource; clinical: DataSource };
let second: Pair;
let report: BulkReport;

async function freshPair(): Promise<Pair> {
  const suffix = randomBytes(5).toString('hex');
  const names = { core: `bulk_core_${suffix}`, clinical: `bulk_clinical_${suffix}` };
  await copyDatabases(admin(), { core: 'tpl_core', clinical: 'tpl_clinical' }, names);
  const core = createDataSource('core', databaseUrl(admin(), names.core));
  const clinical = createDataSource('clinical', databaseUrl(admin(), names.clinical));
  await core.initialize();
  await clinical.initialize();
  return { names, core, clinical };
}

async function closePair(pair: Pair | undefined): Promise<void> {
  if (!pair) return;
  await pair.core.destroy();
  await pair.clinical.destroy();
  await dropDatabases(admin(), pair.names);
}

/** A digest of the chain's rows in every table the bulk seed writes (columns a clock or a random salt fills left out). */
async function digest(core: DataSource, chainId: string): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    chain: `SELECT to_jsonb(t) - 'created_at' AS row FROM chain t WHERE id = $1`,
    region: 'SELECT to_jsonb(t) AS row FROM region t WHERE chain_id = $1',
    store: 'SELECT to_jsonb(t) AS row FROM store t WHERE chain_id = $1',
    role: `SELECT to_jsonb(t) - 'created_at' AS row FROM role t WHERE chain_id = $1`,
    role_permission: 'SELECT to_jsonb(p) AS row FROM role_permission p JOIN role r ON r.id = p.role_id WHERE r.chain_id = $1',
    staff_user: `SELECT to_jsonb(t) - 'created_at' - 'password_hash' AS row FROM staff_user t WHERE chain_id = $1`,
    role_assignment: `SELECT to_jsonb(t) - 'created_at' AS row FROM role_assignment t WHERE chain_id = $1`,
    customer: 'SELECT to_jsonb(t) AS row FROM customer t WHERE chain_id = $1',
    consent_event: 'SELECT to_jsonb(t) AS row FROM consent_event t WHERE chain_id = $1',
    consent: 'SELECT to_jsonb(t) AS row FROM consent t WHERE chain_id = $1',
    processing_restriction_event: 'SELECT to_jsonb(t) AS row FROM processing_restriction_event t WHERE chain_id = $1',
    processing_restriction: 'SELECT to_jsonb(t) AS row FROM processing_restriction t WHERE chain_id = $1',
    marketing_objection: 'SELECT to_jsonb(t) AS row FROM marketing_objection t WHERE chain_id = $1',
    marketing_suppression: 'SELECT to_jsonb(t) AS row FROM marketing_suppression t WHERE chain_id = $1',
    consent_wording: 'SELECT to_jsonb(t) AS row FROM consent_wording t WHERE chain_id = $1',
    terms_acceptance: 'SELECT to_jsonb(t) AS row FROM terms_acceptance t WHERE chain_id = $1',
    api_token: `SELECT to_jsonb(t) - 'created_at' - 'token_hash' - 'expires_at' - 'last_used_at' AS row FROM api_token t WHERE chain_id = $1`,
  };
  const result: Record<string, string> = {};
  for (const [table, sql] of Object.entries(tables)) {
    const [{ n, hash }] = (await core.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(row::text, '|' ORDER BY row::text), '')) AS hash FROM (${sql}) x`, [chainId])) as { n: number; hash: string }[];
    result[table] = `${n} ${hash}`;
  }
  return result;
}

async function count(core: DataSource, sql: string, params: unknown[] = [report.chainId]): Promise<number> {
  const [{ n }] = (await core.query(sql, params)) as { n: number }[];
  return n;
}

beforeAll(async () => {
  app = await startTestApp();
  first = { core: app.ownerCore, clinical: app.ownerClinical };
  second = await freshPair();
  report = await seedBulk(first.core, parseBulkOptions(ARGS), config.suppressionKey);
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await closePair(second);
});

describe('seed:bulk options', () => {
  it('reads the flags, with defaults, and refuses what it does not know', () => {
    expect(parseBulkOptions([])).toMatchObject({ customers: 1_000_000, stores: 120, seed: 1, batchSize: 50_000 });
    expect(parseBulkOptions(['--customers=5', '--seed', '3']).chainName).toBe('Bulk Opticians (5 customers, seed 3)');
    expect(() => parseBulkOptions(['--customers', '0'])).toThrow(/--customers must be a whole number/);
    expect(() => parseBulkOptions(['--customers', '1e6'])).toThrow(/--customers/);
    expect(() => parseBulkOptions(['--shops', '3'])).toThrow(/unknown option --shops/);
    expect(() => parseBulkOptions(['--chain-name', ' '])).toThrow(/--chain-name needs a name/);
  });
});

describe('seed:bulk', () => {
  it('creates the chain with its stores, staff and customers', async () => {
    expect(report).toMatchObject({ customers: CUSTOMERS, stores: 12, chainName: 'Bulk test chain' });
    const core = first.core;
    expect(await count(core, 'SELECT count(*)::int AS n FROM customer WHERE chain_id = $1')).toBe(CUSTOMERS);
    expect(await count(core, 'SELECT count(*)::int AS n FROM store WHERE chain_id = $1')).toBe(12);
    expect(await count(core, 'SELECT count(*)::int AS n FROM region WHERE chain_id = $1')).toBe(report.regions);
    // Per store five staff, per region a manager, and the chain manager, the DPO and the BI account.
    expect(report.staff).toBe(12 * 5 + report.regions + 3);
    expect(await count(core, 'SELECT count(*)::int AS n FROM staff_user WHERE chain_id = $1')).toBe(report.staff);
    expect(await count(core, 'SELECT count(DISTINCT user_id)::int AS n FROM role_assignment WHERE chain_id = $1')).toBe(report.staff);
    const inactive = await count(core, "SELECT count(*)::int AS n FROM customer WHERE chain_id = $1 AND status = 'INACTIVE'");
    expect(inactive / CUSTOMERS).toBeGreaterThan(0.01);
    expect(inactive / CUSTOMERS).toBeLessThan(0.06);
    const noEmail = await count(core, 'SELECT count(*)::int AS n FROM customer WHERE chain_id = $1 AND email IS NULL');
    expect(noEmail).toBeGreaterThan(0);
    expect(noEmail / CUSTOMERS).toBeLessThan(0.15);
    expect(await count(core, 'SELECT count(*)::int AS n FROM customer WHERE chain_id = $1 AND phone IS NULL')).toBeGreaterThan(0);
    // Every customer's home store is a store of the chain.
    expect(await count(core, 'SELECT count(*)::int AS n FROM customer c LEFT JOIN store s ON s.id = c.home_store_id AND s.chain_id = c.chain_id WHERE c.chain_id = $1 AND s.id IS NULL')).toBe(0);
    expect(report.consentEvents).toBe(await count(core, 'SELECT count(*)::int AS n FROM consent_event WHERE chain_id = $1'));
    expect(report.consentEvents).toBeGreaterThan(CUSTOMERS);
    expect(report.restrictionEvents).toBeGreaterThan(0);
    expect(report.objections).toBeGreaterThan(0);
  });

  it('gives every current consent its event: the last one of the customer for the channel', async () => {
    const core = first.core;
    const consents = await count(core, 'SELECT count(*)::int AS n FROM consent WHERE chain_id = $1');
    expect(consents).toBeGreaterThan(CUSTOMERS);
    expect(consents).toBe(await count(core, 'SELECT count(*)::int AS n FROM (SELECT DISTINCT customer_id, channel FROM consent_event WHERE chain_id = $1) x'));
    const mismatched = await count(core, `
      SELECT count(*)::int AS n FROM consent c
      WHERE c.chain_id = $1 AND NOT EXISTS (
        SELECT 1 FROM (SELECT DISTINCT ON (customer_id, channel) * FROM consent_event
                       WHERE customer_id = c.customer_id AND channel = c.channel ORDER BY customer_id, channel, changed_at DESC) e
        WHERE e.granted = c.granted AND e.changed_at = c.changed_at AND e.actor = c.actor AND e.source = c.source
          AND e.wording_version = c.wording_version AND e.recorded_by_id IS NOT DISTINCT FROM c.recorded_by_id)`);
    expect(mismatched).toBe(0);
    // Grants and withdrawals alike; a customer (web, unsubscribe link) or a member of staff of the chain recorded each.
    expect(await count(core, 'SELECT count(*)::int AS n FROM consent WHERE chain_id = $1 AND NOT granted')).toBeGreaterThan(0);
    expect(await count(core, `SELECT count(*)::int AS n FROM consent_event e WHERE e.chain_id = $1
      AND ((e.actor = 'STAFF') <> (e.recorded_by_id IS NOT NULL)
        OR (e.recorded_by_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM staff_user u WHERE u.id = e.recorded_by_id AND u.chain_id = e.chain_id)))`)).toBe(0);
  });

  it('records lawful bases valid for their channel, soft opt-ins with their sale, and only published wordings', async () => {
    const core = first.core;
    const bases = (await core.query(`SELECT channel, basis, count(*)::int AS n FROM consent_event WHERE chain_id = $1 GROUP BY 1, 2`, [report.chainId])) as { channel: string; basis: string; n: number }[];
    const valid: Record<string, string[]> = { EMAIL: ['CONSENT', 'SOFT_OPT_IN'], SMS: ['CONSENT', 'SOFT_OPT_IN'], MAIL: ['CONSENT', 'LEGITIMATE_INTEREST'], SOCIAL_MEDIA: ['CONSENT'] };
    for (const row of bases) expect(valid[row.channel]).toContain(row.basis);
    expect(bases.filter((b) => b.basis !== 'CONSENT').map((b) => `${b.channel} ${b.basis}`).sort()).toEqual(['EMAIL SOFT_OPT_IN', 'MAIL LEGITIMATE_INTEREST', 'SMS SOFT_OPT_IN']);
    expect(await count(core, `SELECT count(*)::int AS n FROM consent_event WHERE chain_id = $1 AND granted AND basis = 'SOFT_OPT_IN'
      AND (sale_reference IS NULL OR length(sale_reference) NOT BETWEEN 1 AND 100 OR opt_out_offered IS NOT TRUE)`)).toBe(0);
    expect(await count(core, `SELECT count(*)::int AS n FROM consent_event e WHERE e.chain_id = $1 AND NOT EXISTS (
      SELECT 1 FROM consent_wording w WHERE w.chain_id = e.chain_id AND w.channel = e.channel AND w.version = e.wording_version AND w.published_at <= e.changed_at)`)).toBe(0);
    expect(report.termsAcceptances).toBe(await count(core, 'SELECT count(*)::int AS n FROM terms_acceptance WHERE chain_id = $1'));
    expect(report.termsAcceptances).toBeGreaterThan(CUSTOMERS / 2);
  });

  it('gives the BI service account an API token that streams the marketing list', async () => {
    expect(await count(first.core, "SELECT count(*)::int AS n FROM staff_user WHERE chain_id = $1 AND kind = 'SERVICE'")).toBe(1);
    expect(report.biToken).toMatch(/^vsa_[A-Za-z0-9_-]{43}$/);
    const response = await fetch(`${app.url.replace(/\/graphql$/, '')}/exports/marketing-list?channel=EMAIL&format=ndjson`, { headers: { authorization: `Bearer ${report.biToken}` } });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const manifest = (lines.pop() as { manifest: { considered: number; included: number } }).manifest;
    expect(manifest.considered).toBe(CUSTOMERS);
    expect(lines.length).toBe(manifest.included);
    expect(manifest.included).toBeGreaterThan(CUSTOMERS / 2);
  });

  it('keeps the current restriction of each restricted customer as its last event', async () => {
    const core = first.core;
    expect(await count(core, `SELECT count(*)::int AS n FROM processing_restriction r WHERE r.chain_id = $1 AND r.restricted IS DISTINCT FROM (
      SELECT e.restricted FROM processing_restriction_event e WHERE e.customer_id = r.customer_id ORDER BY e.occurred_at DESC LIMIT 1)`)).toBe(0);
    expect(await count(core, 'SELECT count(*)::int AS n FROM processing_restriction WHERE chain_id = $1 AND restricted')).toBeGreaterThan(0);
  });

  it('stores suppressions as keyed hashes of the contact at the time, never the contact itself', async () => {
    const core = first.core;
    const columns = (await core.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'marketing_suppression'`)) as { column_name: string; data_type: string }[];
    expect(columns.every((c) => ['uuid', 'bytea', 'timestamp with time zone'].includes(c.data_type))).toBe(true);
    const rows = (await core.query(`
      SELECT s.email_hash, s.phone_hash, c.email, c.phone FROM marketing_suppression s
      JOIN marketing_objection o ON o.id = s.objection_id JOIN customer c ON c.id = o.customer_id WHERE s.chain_id = $1`, [report.chainId])) as
      { email_hash: Buffer | null; phone_hash: Buffer | null; email: string | null; phone: string | null }[];
    expect(rows.length).toBe(report.objections - await count(core, 'SELECT count(*)::int AS n FROM marketing_objection WHERE chain_id = $1 AND customer_id IS NULL'));
    for (const row of rows) {
      const expected = contactHashes(report.chainId, row, config.suppressionKey);
      expect(row.email_hash?.toString('hex') ?? null).toBe(expected.emailHash?.toString('hex') ?? null);
      expect(row.phone_hash?.toString('hex') ?? null).toBe(expected.phoneHash?.toString('hex') ?? null);
      for (const plain of [row.email, row.phone]) {
        if (plain) expect(Buffer.concat([row.email_hash ?? Buffer.alloc(0), row.phone_hash ?? Buffer.alloc(0)]).includes(Buffer.from(plain))).toBe(false);
      }
    }
  });

  it('gives the same rows, ids included, for the same seed', async () => {
    const again = await seedBulk(second.core, parseBulkOptions(ARGS), config.suppressionKey);
    expect(again.chainId).toBe(report.chainId);
    expect(await digest(second.core, again.chainId)).toEqual(await digest(first.core, report.chainId));
  }, 240_000);

  it('lets its staff sign in and work through the API within their scope', async () => {
    const manager = await app.login(report.chainManagerEmail);
    const all = await app.request<{ customers: { totalCount: number } }>('{ customers(first: 1) { totalCount } }', {}, manager);
    expect(all.errors).toBeUndefined();
    expect(all.data?.customers.totalCount).toBe(CUSTOMERS);
    const [store] = (await first.core.query('SELECT id, name FROM store WHERE chain_id = $1 ORDER BY name LIMIT 1', [report.chainId])) as { id: string; name: string }[];
    const local = `${store.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.assistant@${report.chainManagerEmail.split('@')[1]}`;
    const assistant = await app.login(local);
    const mine = await app.request<{ customers: { totalCount: number } }>('{ customers(first: 1) { totalCount } }', {}, assistant);
    expect(mine.data?.customers.totalCount).toBe(await count(first.core, 'SELECT count(*)::int AS n FROM customer WHERE home_store_id = $1', [store.id]));
    // The BI service account has no usable password.
    const bi = await app.request('mutation { login(email: "' + report.biEmail + '", password: "Visus-demo-2026!") { token } }');
    expect(bi.errors?.[0]?.extensions?.code).toBeDefined();
  });

  it('refuses a chain name that exists', async () => {
    await expect(seedBulk(first.core, parseBulkOptions(ARGS), config.suppressionKey)).rejects.toBeInstanceOf(BulkChainExists);
  });

  it('leaves the audit trail verifiable', async () => {
    const verified = await runAuditVerify({ core: first.core, clinical: first.clinical });
    expect(verified.lines.join('\n')).not.toMatch(/FAIL|BROKEN/);
    expect(verified.ok).toBe(true);
  });
});
