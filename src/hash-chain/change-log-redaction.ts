/**
 * Redacts a customer's values in a data change log, through the SECURITY DEFINER functions
 * `personal_change_log_redact` (core) and `clinical_change_log_redact` (clinical) that the migrations
 * (migrations/<db>/*ChangeLogRedaction.ts) create: the only way the application role changes a log entry.
 * Each call replaces the values of the named fields (null: every field) of every entry of the customer by
 * `{"redacted": true}` and records the redaction (`*_change_log_redaction`), in the caller's transaction.
 * The hash chains cover each entry's digest of its values, so they still verify (src/hash-chain/change-log-chain.ts).
 *
 * Preconditions, checked by the database: core: the customer is ERASED (every field) or INACTIVE or ERASED (named
 * fields), so set the status first in the same transaction; clinical: the customer has no clinical record left.
 */
import { EntityManager } from 'typeorm';
import { ChangeLogKind } from '../schema/enums';

export interface Redaction {
  chainId: string;
  customerId: string;
  /** The fields to redact in each entry; null: every field. */
  fields: readonly string[] | null;
  /** On whose behalf (null: the retention run). */
  userId: string | null;
  requestId: string;
  /** Why (the erasure request, or the retention rule). */
  reason: string;
}

const FUNCTIONS: Record<ChangeLogKind, string> = {
  [ChangeLogKind.PERSONAL]: 'personal_change_log_redact',
  [ChangeLogKind.CLINICAL]: 'clinical_change_log_redact',
};

/** Redacts in `tx` (a transaction on the log's database); returns how many entries changed. */
export async function redactChangeLog(tx: EntityManager, log: ChangeLogKind, redaction: Redaction): Promise<number> {
  const [row] = (await tx.query(`SELECT ${FUNCTIONS[log]}($1, $2, $3, $4, $5, $6) AS n`, [
    redaction.chainId, redaction.customerId, redaction.fields ? [...redaction.fields] : null, redaction.userId, redaction.requestId, redaction.reason,
  ])) as { n: number }[];
  return Number(row.n);
}

/** One record disposed of after its retention period: logged as DELETE with no values (they are gone). */
export interface Disposal {
  subject: string;
  recordType: string;
  recordId: string;
  storeId: string | null;
}

/**
 * Logs the disposal of a customer's clinical records in `tx` (the clinical database), one DELETE entry per record
 * with empty `changes` (its values are what the disposal removes), in one INSERT; `userId`/`sessionId` null for
 * the retention run. Returns the number of entries.
 */
export async function recordDisposals(
  tx: EntityManager,
  author: { chainId: string; userId: string | null; sessionId: string | null },
  request: { requestId: string; operationName: string | null },
  customerId: string,
  disposals: readonly Disposal[],
): Promise<number> {
  if (disposals.length === 0) return 0;
  await tx.query(
    `INSERT INTO clinical_change_log_entry
       (chain_id, user_id, session_id, request_id, client_address, user_agent, operation_name,
        action, subject, record_type, record_id, customer_id, store_id, changes)
     SELECT $1, $2, $3, $4, NULL, NULL, $5, 'DELETE', x.e->>'subject', x.e->>'recordType', (x.e->>'recordId')::uuid, $6,
            (x.e->>'storeId')::uuid, '{}'::jsonb
       FROM jsonb_array_elements($7::jsonb) WITH ORDINALITY AS x(e, n)
      ORDER BY x.n`,
    [author.chainId, author.userId, author.sessionId, request.requestId, request.operationName, customerId, JSON.stringify(disposals)],
  );
  return disposals.length;
}
