/**
 * The review side of the data change logs, for those allowed to read them (`read` on DataChangeEntry; the
 * DPO in the demo): entries of both logs (personal data from the core database, clinical data from the
 * clinical database) merged into one list, newest first, filtered by customer, user, subject, record and
 * time range, paginated. Entries carry personal and clinical values: every clinical value returned is
 * itself written to the clinical access log (subject DataChangeEntry).
 *
 * Merging: each database is asked for its first `first + 1` entries after the cursor in the order
 * (occurredAt, log, id) descending, and the two lists are merged in that order. The cursor holds the
 * position of the last entry returned (its time to the microsecond, log and id), so pages are stable.
 * A `subject` filter asks only the database that holds that subject.
 * Encrypted clinical free text is logged as stored (envelopes: src/crypto/clinical-text.ts) and decrypted here.
 */
import { badInput } from '../../errors/errors';
import { AppAbility, Principal } from '../../policies/ability';
import { readGrants } from '../../policies/readable-fields';
import { accessibleSql, SqlParams } from '../../policies/sql-condition';
import { DataChangeConnection, DataChangeEntryView, FieldChangeView } from '../../schema/audit/data-change.types';
import { ChangeLogKind } from '../../schema/enums';
import { encodeCursor } from '../page-cursor';
import { isUuid } from '../../schema/uuid';
import { AppContext } from '../../context/app-context';
import { isEncryptedField, openValue } from '../../crypto/clinical-text';
import { isEnvelope } from '../../crypto/envelope';
import { keyRingFor } from '../../crypto/key-ring';
import { CHANGE_LOG_TABLES, EntryValues } from '../../hash-chain/change-log';
import { assertListable, givenFilters } from '../../policies/filter-guard';
import { derivedSource, mayReadSource } from '../../policies/derived-fields';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { afterPosition, LOG_PAGE, pageSize } from '../page-args';

export interface DataChangeFilter {
  customerId?: string | null;
  userId?: string | null;
  subject?: string | null;
  recordId?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

/**
 * The catalog subjects whose changes are logged, and the log that holds each. A Map: the `subject`
 * filter is the client's text, and a plain object would also answer "constructor" or "__proto__".
 */
export const LOGGED_SUBJECTS: ReadonlyMap<string, ChangeLogKind> = new Map([
  ['Customer', ChangeLogKind.PERSONAL],
  ['Consent', ChangeLogKind.PERSONAL],
  ['TermsAcceptance', ChangeLogKind.PERSONAL],
  ['Appointment', ChangeLogKind.PERSONAL],
  ['Examination', ChangeLogKind.CLINICAL],
  ['SpectaclePrescription', ChangeLogKind.CLINICAL],
  ['ContactLensSpecification', ChangeLogKind.CLINICAL],
  ['ClinicalNote', ChangeLogKind.CLINICAL],
]);

/** Position of a log in the merged order (ties in time: clinical first, then personal). */
const RANK: Record<ChangeLogKind, number> = { [ChangeLogKind.PERSONAL]: 0, [ChangeLogKind.CLINICAL]: 1 };
const ID_PREFIX: Record<ChangeLogKind, string> = { [ChangeLogKind.PERSONAL]: 'personal', [ChangeLogKind.CLINICAL]: 'clinical' };

/** Where a page ends: the last entry's time (UTC, microseconds, sortable text), log rank and id. */
interface Position {
  at: string;
  rank: number;
  id: bigint;
}

interface EntryRow extends EntryValues {
  id: string;
  at: string;
  occurredAt: Date;
  userId: string | null;
  requestId: string;
  clientAddress: string | null;
  userAgent: string | null;
  operationName: string | null;
}

interface Fetched {
  log: ChangeLogKind;
  row: EntryRow;
}

const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([01])\|(\d+)$/;

/** The position a decoded cursor names (null when it is not one of this list's). */
function positionOf(decoded: string): Position | null {
  const match = POSITION.exec(decoded);
  return match ? { at: match[1], rank: Number(match[2]), id: BigInt(match[3]) } : null;
}

function cursorOf(entry: Fetched): string {
  return encodeCursor(`${entry.row.at}|${RANK[entry.log]}|${entry.row.id}`);
}

/** Merged order: newest first; at equal times the higher rank first, then the higher id. */
function compareDescending(a: Fetched, b: Fetched): number {
  if (a.row.at !== b.row.at) return a.row.at < b.row.at ? 1 : -1;
  if (RANK[a.log] !== RANK[b.log]) return RANK[b.log] - RANK[a.log];
  const [x, y] = [BigInt(a.row.id), BigInt(b.row.id)];
  return x === y ? 0 : x < y ? 1 : -1;
}

function checkFilter(filter: DataChangeFilter): void {
  for (const key of ['customerId', 'userId', 'recordId'] as const) {
    const value = filter[key];
    if (value && !isUuid(value)) throw badInput(key, 'is not an id');
  }
  if (filter.subject !== undefined && filter.subject !== null && !LOGGED_SUBJECTS.has(filter.subject)) {
    throw badInput('subject', `is not a subject of the change logs (${[...LOGGED_SUBJECTS.keys()].join(', ')})`);
  }
  if (filter.from && filter.to && filter.from > filter.to) throw badInput('to', 'must not be before from');
}

async function fetchLog(
  ctx: AppContext,
  log: ChangeLogKind,
  principal: Principal,
  ability: AppAbility,
  filter: DataChangeFilter,
  after: Position | null,
  limit: number,
): Promise<{ total: number; entries: Fetched[] }> {
  const db = log === ChangeLogKind.PERSONAL ? ctx.core : ctx.clinical;
  const table = CHANGE_LOG_TABLES[log];
  const params = new SqlParams();
  const visible = accessibleSql(ability, 'read', 'DataChangeEntry', { chainId: 'e.chain_id', storeId: 'e.store_id', id: 'e.id' }, params);
  const values: unknown[] = [principal.chainId];
  const where = ['e.chain_id = $1', params.positional(visible, values)];
  const add = (sql: string, ...args: unknown[]) => {
    where.push(sql.replace(/\?/g, () => {
      values.push(args.shift());
      return `$${values.length}`;
    }));
  };
  if (filter.customerId) add('e.customer_id = ?', filter.customerId);
  if (filter.userId) add('e.user_id = ?', filter.userId);
  if (filter.subject) add('e.subject = ?', filter.subject);
  if (filter.recordId) add('e.record_id = ?', filter.recordId);
  if (filter.from) add('e.occurred_at >= ?', filter.from);
  if (filter.to) add('e.occurred_at <= ?', filter.to);
  const [{ total }]: { total: number }[] = await db.query(`SELECT count(*)::int AS total FROM ${table} e WHERE ${where.join(' AND ')}`, values);

  if (after) {
    const rank = RANK[log];
    if (rank < after.rank) add('e.occurred_at <= ?::timestamptz', after.at);
    else if (rank > after.rank) add('e.occurred_at < ?::timestamptz', after.at);
    else add('(e.occurred_at, e.id) < (?::timestamptz, ?::bigint)', after.at, after.id.toString());
  }
  values.push(limit);
  const rows: EntryRow[] = await db.query(
    `SELECT e.id::text AS id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
            e.occurred_at AS "occurredAt", e.user_id AS "userId", e.request_id AS "requestId", e.client_address AS "clientAddress",
            e.user_agent AS "userAgent", e.operation_name AS "operationName", e.action, e.subject, e.record_type AS "recordType",
            e.record_id AS "recordId", e.customer_id AS "customerId", e.store_id AS "storeId", e.changes
       FROM ${table} e WHERE ${where.join(' AND ')} ORDER BY e.occurred_at DESC, e.id DESC LIMIT $${values.length}`,
    values,
  );
  return { total, entries: rows.map((row) => ({ log, row })) };
}

async function viewOf(ctx: AppContext, entry: Fetched, chainId: string): Promise<DataChangeEntryView> {
  const { row, log } = entry;
  const plain = (field: string, value: unknown): Promise<unknown> | unknown =>
    (isEnvelope(value) && isEncryptedField(row.recordType, field)
      ? openValue(keyRingFor(ctx.config.masterKeyFile), ctx.clinical, chainId, row.recordType, field, row.recordId, value)
      : value);
  const fieldChanges = await Promise.all(Object.keys(row.changes).sort().map(async (field) => {
    // A field redacted by an erasure or a disposal holds `{ "redacted": true }` instead of its values.
    const value = row.changes[field] as { before?: unknown; after?: unknown; redacted?: boolean };
    const redacted = value.redacted === true;
    return Object.assign(new FieldChangeView(), {
      field, before: redacted ? null : await plain(field, value.before), after: redacted ? null : await plain(field, value.after), redacted, chainId, storeId: row.storeId,
    });
  }));
  const { at: _at, changes: _changes, ...columns } = row;
  return Object.assign(new DataChangeEntryView(), columns, { id: `${ID_PREFIX[log]}:${row.id}`, log, chainId, fieldChanges });
}

/** The filter arguments of dataChangeLog and the DataChangeEntry field each filters by (src/policies/filter-guard.ts). */
const FILTER_FIELDS = { customerId: 'customerId', userId: 'userId', subject: 'subject', recordId: 'recordId', from: 'occurredAt', to: 'occurredAt' };

export async function reviewDataChangeLog(ctx: AuthenticatedContext, filter: DataChangeFilter): Promise<DataChangeConnection> {
  const { principal, ability } = ctx;
  checkFilter(filter);
  assertListable(ability, { list: 'dataChangeLog', subject: 'DataChangeEntry', filters: givenFilters({ ...filter }, FILTER_FIELDS), orderedBy: 'occurredAt' });
  const first = pageSize(filter.first, LOG_PAGE);
  const after = afterPosition(filter.after, positionOf);
  const subjectLog = filter.subject ? LOGGED_SUBJECTS.get(filter.subject) : undefined;
  const logs = subjectLog ? [subjectLog] : [ChangeLogKind.PERSONAL, ChangeLogKind.CLINICAL];
  const results = await Promise.all(logs.map((log) => fetchLog(ctx, log, principal, ability, filter, after, first + 1)));
  const merged = results.flatMap((r) => r.entries).sort(compareDescending);
  const page = merged.slice(0, first);
  const edges = await Promise.all(page.map(async (entry) => ({ cursor: cursorOf(entry), node: await viewOf(ctx, entry, principal.chainId) })));
  return {
    totalCount: results.reduce((sum, r) => sum + r.total, 0),
    edges,
    pageInfo: {
      hasNextPage: merged.length > first,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * The changed fields of an entry, as the API returns them. Clinical values are health data: each field
 * returned is written to the clinical access log (subject DataChangeEntry, the changed record's id, the
 * field as `<recordType>.<field>`, and the role assignments that let the caller read `changes`), so reading
 * the change log leaves the same trace as reading the record.
 */
export async function changedFieldsRead(ctx: AuthenticatedContext, entry: DataChangeEntryView): Promise<FieldChangeView[]> {
  const { ability } = ctx;
  // A change of a derived field (a specification's patientDateOfBirth) shows its source's value: it is listed
  // only to callers who may read that source on the entry's customer (src/policies/derived-fields.ts).
  let changes = entry.fieldChanges;
  if (changes.some((change) => derivedSource(entry.recordType, change.field))) {
    const customer = await ctx.loaders.customer.load(entry.customerId);
    changes = changes.filter((change) => {
      const source = derivedSource(entry.recordType, change.field);
      return !source || (customer !== null && mayReadSource(ability, source, customer));
    });
  }
  if (entry.log === ChangeLogKind.CLINICAL) {
    const { principal } = ctx;
    const grants = readGrants(ability, 'DataChangeEntry', entry, 'changes');
    for (const change of changes) {
      ctx.accessLog.record(principal, {
        customerId: entry.customerId, storeId: entry.storeId, subject: 'DataChangeEntry', recordId: entry.recordId,
        field: `${entry.recordType}.${change.field}`, granted: true, grants,
      });
    }
  }
  return changes;
}
