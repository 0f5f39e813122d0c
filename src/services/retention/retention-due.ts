/**
 * Which customers' retention has ended (docs/retention.md): per chain, in batches, with no cross-database join. The
 * clinical database gives each customer's last clinical contact (the latest examination, spectacle prescription,
 * contact lens specification or clinical note date, on its UTC date); only customers whose last contact is more than
 * the policy's `adultYears` ago can be due (every rule keeps at least that long), so only those go on to the core
 * database, which gives their date of birth, home store and legal holds in force. Tombstones (status ERASED) are
 * skipped. Customers without any clinical record are not this job's: they are erased on request, except a disposal
 * the job began and did not finish (`unfinishedDisposals`).
 */
import { RetentionPolicyValues } from '../../schema/core/retention-policy.entity';
import { addYears, RetentionDecision, retentionDecision, retentionEnded } from './retention-rule';

/** Anything with a `query` (a DataSource or an EntityManager). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface RetentionEnded extends RetentionDecision {
  customerId: string;
  homeStoreId: string;
  homeStoreName: string;
  /** The date of the last clinical contact (YYYY-MM-DD, UTC). */
  lastContact: string;
  /** Legal holds in force (ids): a held customer is not disposed of. */
  holdIds: string[];
}

export interface RetentionScan {
  /** Customers with clinical records looked at. */
  examined: number;
  /** Customers whose retention has ended, held or not, by customer id. */
  ended: RetentionEnded[];
}

export const DEFAULT_BATCH = 1000;

/** The clinical record tables and each one's date of contact (an instant counts on its UTC date). */
const CONTACT_DATES: [table: string, date: string][] = [
  ['examination', "(examined_at AT TIME ZONE 'UTC')::date"],
  ['spectacle_prescription', 'issued_on'],
  ['contact_lens_specification', 'issued_on'],
  ['clinical_note', "(created_at AT TIME ZONE 'UTC')::date"],
];

/**
 * One batch of customers with clinical records (ids after `after`, in order), with their last contact: the batch's
 * ids first (each table's customer_id index, in order, up to the batch size), then their dates by id.
 */
async function clinicalBatch(clinical: Queryable, chainId: string, after: string, limit: number): Promise<{ customerId: string; lastContact: string }[]> {
  const ids = (await clinical.query(
    `SELECT u.id::text AS id FROM (${CONTACT_DATES.map(([table]) =>
      `(SELECT DISTINCT customer_id AS id FROM ${table} WHERE chain_id = $1 AND customer_id > $2::uuid ORDER BY 1 LIMIT $3)`).join(' UNION ')}) u
      ORDER BY u.id LIMIT $3`,
    [chainId, after, limit],
  )) as { id: string }[];
  if (ids.length === 0) return [];
  return (await clinical.query(
    `SELECT t.customer_id::text AS "customerId", max(t.d)::text AS "lastContact"
       FROM (${CONTACT_DATES.map(([table, date]) => `SELECT customer_id, ${date} AS d FROM ${table} WHERE chain_id = $1 AND customer_id = ANY($2::uuid[])`).join(' UNION ALL ')}) t
      GROUP BY t.customer_id ORDER BY t.customer_id`,
    [chainId, ids.map((row) => row.id)],
  )) as { customerId: string; lastContact: string }[];
}

interface CoreFacts { id: string; homeStoreId: string; homeStoreName: string; dateOfBirth: string | null; holdIds: string[] }

async function coreFacts(core: Queryable, chainId: string, ids: string[]): Promise<Map<string, CoreFacts>> {
  if (ids.length === 0) return new Map();
  const rows = (await core.query(
    `SELECT c.id::text AS id, c.home_store_id::text AS "homeStoreId", s.name AS "homeStoreName", c.date_of_birth::text AS "dateOfBirth",
            ARRAY(SELECT h.id::text FROM legal_hold h WHERE h.chain_id = c.chain_id AND h.customer_id = c.id AND h.released_at IS NULL ORDER BY h.placed_at) AS "holdIds"
       FROM customer c JOIN store s ON s.id = c.home_store_id
      WHERE c.chain_id = $1 AND c.id = ANY($2::uuid[]) AND c.status::text <> 'ERASED'`,
    [chainId, ids],
  )) as CoreFacts[];
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * The chain's customers whose retention has ended by `today` (YYYY-MM-DD), held ones included (with their holds),
 * ordered by customer id. Reads only: nothing is written.
 */
export async function scanRetention(
  dbs: { core: Queryable; clinical: Queryable }, chainId: string, policy: RetentionPolicyValues, today: string, batchSize = DEFAULT_BATCH,
): Promise<RetentionScan> {
  // Every rule keeps records at least `adultYears` after the last contact: a later contact cannot be due.
  const latestPossible = addYears(today, -policy.adultYears);
  const scan: RetentionScan = { examined: 0, ended: [] };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await clinicalBatch(dbs.clinical, chainId, after, batchSize);
    if (batch.length === 0) break;
    after = batch[batch.length - 1].customerId;
    const candidates = batch.filter((row) => row.lastContact < latestPossible);
    const facts = await coreFacts(dbs.core, chainId, candidates.map((row) => row.customerId));
    scan.examined += batch.length;
    for (const row of candidates) {
      const customer = facts.get(row.customerId);
      // No customer in core (a tombstone, or another chain's id): nothing of theirs to dispose of here.
      if (!customer?.dateOfBirth) continue;
      const decision = retentionDecision(policy, customer.dateOfBirth, row.lastContact);
      if (!retentionEnded(decision, today)) continue;
      scan.ended.push({
        ...decision, customerId: row.customerId, homeStoreId: customer.homeStoreId, homeStoreName: customer.homeStoreName,
        lastContact: row.lastContact, holdIds: customer.holdIds,
      });
    }
    if (batch.length < batchSize) break;
  }
  return scan;
}

/** A customer whose disposal by this job deleted their clinical records but did not finish the erasure in core. */
export interface UnfinishedDisposal { customerId: string; homeStoreId: string; homeStoreName: string; holdIds: string[] }

/**
 * Disposals the job began and did not finish: the disposal engine deletes a customer's clinical records (and records
 * the redaction of their clinical change log, request `retention:<run>`) in the clinical database first, then erases
 * them in core; a failure in between leaves a customer without clinical records who is not yet a tombstone, whom
 * the scan above can no longer see. They are found here (unless they have clinical records again: then the scan
 * judges them afresh) and disposed of again (the engine finishes them).
 */
export async function unfinishedDisposals(dbs: { core: Queryable; clinical: Queryable }, chainId: string): Promise<UnfinishedDisposal[]> {
  const begun = (await dbs.clinical.query(
    `SELECT DISTINCT e.customer_id::text AS id FROM clinical_change_log_entry e
      WHERE e.chain_id = $1 AND e.action = 'DELETE' AND e.operation_name = 'retention' AND e.request_id LIKE 'retention:%'
        ${CONTACT_DATES.map(([table]) => `AND NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.customer_id = e.customer_id)`).join(' ')}`,
    [chainId],
  )) as { id: string }[];
  const found: UnfinishedDisposal[] = [];
  for (let i = 0; i < begun.length; i += DEFAULT_BATCH) {
    const facts = await coreFacts(dbs.core, chainId, begun.slice(i, i + DEFAULT_BATCH).map((row) => row.id));
    for (const customer of facts.values()) {
      found.push({ customerId: customer.id, homeStoreId: customer.homeStoreId, homeStoreName: customer.homeStoreName, holdIds: customer.holdIds });
    }
  }
  return found.sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
}
