/**
 * Writes the data change logs: one entry per record a mutation created, changed, signed, cancelled or
 * removed, with the changed fields' values before and after (JSON), all entries of one mutation in ONE
 * INSERT inside the mutation's own transaction. The change and its log commit or roll back together: if
 * the log cannot be written, the mutation fails and nothing changed (fail closed).
 *
 * Personal data (Customer, Consent, Appointment) goes to `personal_change_log_entry` in the core
 * database, clinical data (examinations and their findings, prescriptions, notes) to
 * `clinical_change_log_entry` in the clinical database: each log lives with the data it describes, so
 * that one transaction covers both. Write it last in the transaction: the chain trigger takes a per-chain
 * lock held until commit, so the shorter the rest of the transaction after it, the less writers queue.
 *
 * Entries name the member of staff and session that made the change; a customer's own change through a
 * customer channel (the unsubscribe link's consent withdrawal) names neither (`customerAuthor`).
 */
import { EntityManager } from 'typeorm';
import { FieldValues } from '../schema/audit/change-log-entry.base';
import { ChangeAction, ChangeLogKind } from '../schema/enums';
import { RequestInfo } from '../context/request-info';

export const CHANGE_LOG_TABLES: Record<ChangeLogKind, string> = {
  [ChangeLogKind.PERSONAL]: 'personal_change_log_entry',
  [ChangeLogKind.CLINICAL]: 'clinical_change_log_entry',
};

/**
 * Who made the changes an entry records: a member of staff in a session (any Principal), or the customer
 * themself through a customer channel (`customerAuthor`: no user, no session; personal data only).
 */
export interface ChangeAuthor {
  chainId: string;
  userId: string | null;
  sessionId: string | null;
}

/** The customer's own change through a customer channel (the unsubscribe link): no staff user, no session. */
export function customerAuthor(chainId: string): ChangeAuthor {
  return { chainId, userId: null, sessionId: null };
}

/** One record's change, as a service describes it: the record as it was and as it is now. */
export interface RecordChange {
  action: ChangeAction;
  /** The catalog subject the record belongs to (findings: Examination). */
  subject: string;
  /** The entity class of the record: its columns are the fields compared; its name is the record type. */
  entity: new () => object;
  recordId: string;
  customerId: string;
  storeId: string | null;
  /** The record before the change (null when created). */
  before: object | null;
  /** The record after the change (null when removed). */
  after: object | null;
}

/** Row keys and bookkeeping, not data: the entry itself says which record, and when (an encrypted value names its data key itself). */
const NOT_LOGGED = new Set(['id', 'chainId', 'createdAt', 'updatedAt', 'dataKeyId']);

/** A value as it is stored in the log (JSON): dates as ISO 8601 instants, undefined as null. */
export function jsonValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonValue);
  return value;
}

/** The fields whose value differs between `before` and `after` (a missing side counts as all null). */
export function changedFields(fields: readonly string[], before: object | null, after: object | null): Record<string, FieldValues> {
  const changes: Record<string, FieldValues> = {};
  for (const field of fields) {
    if (NOT_LOGGED.has(field)) continue;
    const was = jsonValue(before ? (before as Record<string, unknown>)[field] : null);
    const is = jsonValue(after ? (after as Record<string, unknown>)[field] : null);
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[field] = { before: was, after: is };
  }
  return changes;
}

/** What one change-log entry says of the change (the writer's input; the review reads the same columns back). */
export interface EntryValues {
  action: ChangeAction;
  subject: string;
  recordType: string;
  recordId: string;
  customerId: string;
  storeId: string | null;
  changes: Record<string, FieldValues>;
}

/**
 * Logs the changes of one mutation in `tx` (the mutation's transaction on the database of `log`).
 * A record whose fields did not change leaves no entry. Returns the number of entries written.
 */
export async function recordChanges(
  tx: EntityManager,
  log: ChangeLogKind,
  author: ChangeAuthor,
  request: RequestInfo,
  records: RecordChange[],
): Promise<number> {
  return (await recordChangeEntries(tx, log, author, request, records)).length;
}

/** `recordChanges`, returning the ids of the entries written (in order; bigint ids as text), e.g. to link them to a data-subject request. */
export async function recordChangeEntries(
  tx: EntityManager,
  log: ChangeLogKind,
  author: ChangeAuthor,
  request: RequestInfo,
  records: RecordChange[],
): Promise<string[]> {
  // The database refuses it too (NOT NULL in the clinical log; a CHECK in the personal log).
  if ((author.userId === null) !== (author.sessionId === null)) throw new Error('a change log author has both a user and a session, or neither');
  // Without a member of staff: the customer's own consent change, or the retention run's disposal (ERASE in the
  // personal log, DELETE in the clinical log: src/services/erasure/).
  const withoutStaff = (r: RecordChange): boolean => (log === ChangeLogKind.PERSONAL
    ? r.subject === 'Consent' || r.action === ChangeAction.ERASE
    : r.action === ChangeAction.DELETE);
  if (author.userId === null && !records.every(withoutStaff)) {
    throw new Error('only consent changes and disposals are logged without a member of staff');
  }
  const entries: EntryValues[] = [];
  for (const record of records) {
    const metadata = tx.connection.getMetadata(record.entity);
    const changes = changedFields(metadata.columns.map((c) => c.propertyName), record.before, record.after);
    if (Object.keys(changes).length === 0) continue;
    entries.push({
      action: record.action, subject: record.subject, recordType: metadata.targetName, recordId: record.recordId,
      customerId: record.customerId, storeId: record.storeId, changes,
    });
  }
  if (entries.length === 0) return [];
  // All entries as one JSON array: one statement and eight parameters whatever their number; the trigger
  // chains them in array order.
  const inserted = await tx.query(
    `INSERT INTO ${CHANGE_LOG_TABLES[log]}
       (chain_id, user_id, session_id, request_id, client_address, user_agent, operation_name,
        action, subject, record_type, record_id, customer_id, store_id, changes)
     SELECT $1, $2, $3, $4, $5, $6, $7, (x.e->>'action')::change_action, x.e->>'subject', x.e->>'recordType',
            (x.e->>'recordId')::uuid, (x.e->>'customerId')::uuid, (x.e->>'storeId')::uuid, x.e->'changes'
       FROM jsonb_array_elements($8::jsonb) WITH ORDINALITY AS x(e, n)
      ORDER BY x.n
     RETURNING id::text AS id`,
    [author.chainId, author.userId, author.sessionId, request.requestId, request.clientAddress, request.userAgent,
      request.operationName, JSON.stringify(entries)],
  ) as { id: string }[];
  return inserted.map((row) => row.id);
}
