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
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppAbility, abilityFromRules, rulesFor, scoped } from '../../policies/ability';
import { loadGrants } from '../../policies/grant-queries';
import { RetentionPolicyValues } from '../../schema/core/retention-policy.entity';
import { RetentionRun } from '../../schema/core/retention-run.entity';
import { policyValues, retentionPolicyFor } from './retention-policy';
import { RetentionEnded, scanRetention, UnfinishedDisposal, unfinishedDisposals } from './retention-due';
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
  /** Disposals an earlier run began and did not finish (clinical records gone, not yet a tombstone): finished by an apply. */
  unfinished: UnfinishedDisposal[];
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
  const unfinished = await unfinishedDisposals(dbs, chain.id);
  const run: ChainRun = {
    chainId: chain.id, chainName: chain.name, policy, today, dryRun: !options.apply, examined: scan.examined,
    due: scan.ended.filter((c) => c.holdIds.length === 0), held: scan.ended.filter((c) => c.holdIds.length > 0),
    unfinished: unfinished.filter((c) => c.holdIds.length === 0), notPermitted: [], disposed: [], failed: [], runId: null,
  };
  const operator = options.operator;
  const runId = randomUUID();
  let sessionId: string | null = null;
  if (options.apply && operator && options.dispose) {
    const mayErase = (c: { customerId: string; homeStoreId: string }): boolean => {
      const may = operator.ability.can('erase', scoped('Customer', { chainId: chain.id, storeId: c.homeStoreId, id: c.customerId }));
      if (!may) run.notPermitted.push(c.customerId);
      return may;
    };
    const permitted: (RetentionEnded | UnfinishedDisposal)[] = [...run.unfinished.filter(mayErase), ...run.due.filter(mayErase)];
    // The change logs name a user with a session: the run's own (ended, unusable) session record stands for it.
    if (permitted.length > 0) sessionId = await recordJobSession(dbs.core, operator, runId);
    const actor: DisposalActor = { chainId: chain.id, userId: operator.userId, sessionId, requestId: `${OPERATION_NAME}:${runId}`, operationName: OPERATION_NAME };
    let done = 0;
    options.onProgress?.({ chainName: chain.name, done, total: permitted.length });
    for (const customer of permitted) {
      try {
        const outcome = await disposeUnlessHeld(dbs, options.dispose, actor, customer, reasonFor(customer, policy));
        if (outcome === 'disposed') run.disposed.push(customer.customerId);
        else if (isEnded(customer)) {
          run.due = run.due.filter((c) => c !== customer);
          run.held.push(customer);
        } else {
          run.unfinished = run.unfinished.filter((c) => c !== customer);
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
      id: runId, chainId: chain.id, userId: operator.userId, sessionId, requestId: `${OPERATION_NAME}:${runId}`, runBy: options.runBy ?? null,
      startedAt, dryRun: !options.apply, policy: { ...policy }, examined: run.examined, due: run.due.length, held: run.held.length,
      unfinished: run.unfinished.length, notPermitted: run.notPermitted.length, disposed: run.disposed.length, failed: run.failed.length,
    });
    run.runId = runId;
  }
  return run;
}

/**
 * The session record a run's change-log entries name (the logs pair a user with a session, and audit:verify checks
 * that it is that user's): created already ended (reason RETENTION_RUN), with the hash of a random token nobody
 * holds, so it can never be used to sign in and does not end the operator's own session.
 */
async function recordJobSession(core: DataSource, operator: RetentionOperator, runId: string): Promise<string> {
  const [{ id }] = (await core.query(
    `INSERT INTO session (user_id, chain_id, token_hash, last_seen_at, max_expires_at, ended_at, ended_reason, user_agent)
     VALUES ($1, $2, $3, now(), now(), now(), 'RETENTION_RUN', $4) RETURNING id`,
    [operator.userId, operator.chainId, createHash('sha256').update(randomBytes(32)).digest(), `npm run retention (run ${runId})`],
  )) as { id: string }[];
  return id;
}

function isEnded(customer: RetentionEnded | UnfinishedDisposal): customer is RetentionEnded {
  return 'rule' in customer;
}

/** The reason the disposal records. */
function reasonFor(customer: RetentionEnded | UnfinishedDisposal, policy: RetentionPolicyValues): string {
  if (!isEnded(customer)) return 'Retention ended: finishing a disposal an earlier retention run began (clinical records already deleted).';
  return `Retention ended: health records kept until ${customer.keptUntil} (last clinical contact ${customer.lastContact}; ${describeRule(policy, customer)}).`;
}

/** Disposes of one customer under their disposal lock, unless a hold was placed since the scan. */
async function disposeUnlessHeld(
  dbs: { core: DataSource; clinical: DataSource }, dispose: DisposeCustomer, actor: DisposalActor, customer: { customerId: string }, reason: string,
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
    await dispose(dbs, actor, customer.customerId, reason);
    return 'disposed';
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(${DISPOSAL_LOCK_SQL})`, [key]).catch(() => undefined);
    await runner.release();
  }
}
