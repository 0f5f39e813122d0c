/**
 * One run of the retention job (`npm run retention`, docs/retention.md#the-script), per chain: the scan of
 * src/services/retention/retention-due.ts, then, with `apply`, each due customer not under a legal hold disposed of
 * through the shared disposal engine (`disposeCustomer`, src/services/erasure) as the named operator — only where the
 * operator's rights reach (`erase` on Customer at the customer's home store) — and the run recorded in the
 * append-only `retention_run`. A dry run writes nothing, unless an operator is named to record it.
 *
 * A hold placed while the job runs: each disposal first takes the customer's disposal lock (a session advisory lock
 * that placeLegalHold also takes) and re-reads the holds in force, so a hold either wins (the customer is skipped)
 * or waits for the disposal to finish.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppAbility, abilityFromRules, rulesFor, scoped } from '../../policies/ability';
import { loadGrants } from '../../policies/grant-queries';
import { RetentionPolicyValues } from '../../schema/core/retention-policy.entity';
import { RetentionRun } from '../../schema/core/retention-run.entity';
import { policyValues, retentionPolicyFor } from './retention-policy';
import { RetentionEnded, scanRetention } from './retention-due';
import { describeRule, utcDate } from './retention-rule';
import { DISPOSAL_LOCK_SQL, disposalLockKey } from './disposal-lock';

/** Who an erasure or disposal is recorded against (the contract of src/services/erasure). */
export interface DisposalActor { chainId: string; userId: string | null; sessionId: string | null; requestId: string; operationName: string }
/** The shared disposal engine's signature (src/services/erasure `disposeCustomer`). */
export type DisposeCustomer = (
  dataSources: { core: DataSource; clinical: DataSource }, actor: DisposalActor, customerId: string, reason: string,
) => Promise<{ retained: { category: string; reason: string }[] }>;

/** The member of staff a run acts as: every entry it writes names them. */
export interface RetentionOperator { userId: string; chainId: string; email: string; ability: AppAbility }

export const OPERATION_NAME = 'retention';

/** The active member of staff with this email (not a service account), with their rights now; null when there is none. */
export async function findOperator(core: DataSource, email: string): Promise<RetentionOperator | null> {
  const rows = (await core.query(
    `SELECT id::text AS "userId", chain_id::text AS "chainId", email FROM staff_user
      WHERE lower(email) = lower($1) AND status = 'ACTIVE' AND kind = 'STAFF'`,
    [email],
  )) as { userId: string; chainId: string; email: string }[];
  if (rows.length !== 1) return null;
  const principal = { userId: rows[0].userId, chainId: rows[0].chainId, sessionId: '' };
  const ability = abilityFromRules(rulesFor(principal, await loadGrants(core, principal)));
  return { ...rows[0], ability };
}

export interface ChainRun {
  chainId: string;
  chainName: string;
  policy: RetentionPolicyValues;
  today: string;
  dryRun: boolean;
  examined: number;
  /** Retention ended, no hold in force. */
  due: RetentionEnded[];
  /** Retention ended, but held. */
  held: RetentionEnded[];
  /** Due, but outside the operator's `erase Customer` (apply only). */
  notPermitted: string[];
  disposed: string[];
  failed: { customerId: string; error: string }[];
  /** The retention_run row written (null: nothing recorded). */
  runId: string | null;
}

export interface RunOptions {
  apply: boolean;
  /** Required to apply; with a dry run, records it. Limits the run to the operator's chain. */
  operator: RetentionOperator | null;
  /** The disposal engine (required to apply). */
  dispose?: DisposeCustomer;
  /** The date retention is judged on (YYYY-MM-DD; default today, UTC). */
  today?: string;
  /** Recorded as who ran the script (the OS account and host). */
  runBy?: string | null;
  batchSize?: number;
  /** Called as disposals progress (apply only). */
  onProgress?: (event: { chainName: string; done: number; total: number }) => void;
}

export async function runRetention(dbs: { core: DataSource; clinical: DataSource }, options: RunOptions): Promise<ChainRun[]> {
  if (options.apply && (!options.operator || !options.dispose)) throw new Error('applying needs an operator and the disposal engine');
  const today = options.today ?? utcDate(new Date());
  const chains = (await dbs.core.query(
    `SELECT id::text AS id, name FROM chain ${options.operator ? 'WHERE id = $1' : ''} ORDER BY name`,
    options.operator ? [options.operator.chainId] : [],
  )) as { id: string; name: string }[];
  const runs: ChainRun[] = [];
  for (const chain of chains) runs.push(await runChain(dbs, chain, today, options));
  return runs;
}

async function runChain(dbs: { core: DataSource; clinical: DataSource }, chain: { id: string; name: string }, today: string, options: RunOptions): Promise<ChainRun> {
  const startedAt = new Date();
  const policy = policyValues(await retentionPolicyFor(dbs.core.manager, chain.id));
  const scan = await scanRetention(dbs, chain.id, policy, today, options.batchSize);
  const run: ChainRun = {
    chainId: chain.id, chainName: chain.name, policy, today, dryRun: !options.apply, examined: scan.examined,
    due: scan.ended.filter((c) => c.holdIds.length === 0), held: scan.ended.filter((c) => c.holdIds.length > 0),
    notPermitted: [], disposed: [], failed: [], runId: null,
  };
  const operator = options.operator;
  const runId = randomUUID();
  if (options.apply && operator && options.dispose) {
    const permitted = run.due.filter((c) => {
      const may = operator.ability.can('erase', scoped('Customer', { chainId: chain.id, storeId: c.homeStoreId, id: c.customerId }));
      if (!may) run.notPermitted.push(c.customerId);
      return may;
    });
    const actor: DisposalActor = { chainId: chain.id, userId: operator.userId, sessionId: null, requestId: `${OPERATION_NAME}:${runId}`, operationName: OPERATION_NAME };
    let done = 0;
    options.onProgress?.({ chainName: chain.name, done, total: permitted.length });
    for (const customer of permitted) {
      try {
        const outcome = await disposeUnlessHeld(dbs, options.dispose, actor, customer, policy);
        if (outcome === 'held') {
          run.due = run.due.filter((c) => c !== customer);
          run.held.push(customer);
        } else {
          run.disposed.push(customer.customerId);
        }
      } catch (error) {
        run.failed.push({ customerId: customer.customerId, error: error instanceof Error ? error.message : String(error) });
      }
      done += 1;
      options.onProgress?.({ chainName: chain.name, done, total: permitted.length });
    }
  }
  if (operator) {
    await dbs.core.getRepository(RetentionRun).insert({
      id: runId, chainId: chain.id, userId: operator.userId, requestId: `${OPERATION_NAME}:${runId}`, runBy: options.runBy ?? null,
      startedAt, dryRun: !options.apply, policy: { ...policy }, examined: run.examined, due: run.due.length, held: run.held.length,
      notPermitted: run.notPermitted.length, disposed: run.disposed.length, failed: run.failed.length,
    });
    run.runId = runId;
  }
  return run;
}

/** Disposes of one customer under their disposal lock, unless a hold was placed since the scan. */
async function disposeUnlessHeld(
  dbs: { core: DataSource; clinical: DataSource }, dispose: DisposeCustomer, actor: DisposalActor, customer: RetentionEnded, policy: RetentionPolicyValues,
): Promise<'held' | 'disposed'> {
  const runner = dbs.core.createQueryRunner();
  await runner.connect();
  const key = disposalLockKey(customer.customerId);
  try {
    await runner.query(`SELECT pg_advisory_lock(${DISPOSAL_LOCK_SQL})`, [key]);
    const [{ held }] = (await runner.query(
      'SELECT EXISTS (SELECT 1 FROM legal_hold WHERE chain_id = $1 AND customer_id = $2 AND released_at IS NULL) AS held',
      [actor.chainId, customer.customerId],
    )) as { held: boolean }[];
    if (held) return 'held';
    const reason = `Retention ended: health records kept until ${customer.keptUntil} (last clinical contact ${customer.lastContact}; ${describeRule(policy, customer)}).`;
    await dispose(dbs, actor, customer.customerId, reason);
    return 'disposed';
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(${DISPOSAL_LOCK_SQL})`, [key]).catch(() => undefined);
    await runner.release();
  }
}
