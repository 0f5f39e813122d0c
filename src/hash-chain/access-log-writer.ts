/**
 * Writes the clinical access log by group commit. Requests that end while an earlier write of the same chain
 * of stores is still in flight are queued; when it returns, everything queued for that chain goes out in ONE
 * call of `clinical_access_log_append_batch` (migrations/clinical/*AccessLogGroupCommit.ts): one statement,
 * one transaction, which under the chain's lock dates, hashes (canonical form 2, access-log-canonical.ts),
 * links and inserts the entries of every request in it. Each request's promise settles only once that
 * statement has returned: resolved when the batch committed (its rows are durable), rejected when it failed,
 * and then every request of the batch fails closed and none of its rows exists (one statement). A write waits
 * for nothing but the write before it: alone, a request is written at once, as before.
 *
 * One writer per clinical DataSource (its own pool), one queue per chain of stores, at most one write in flight
 * per chain and process; other processes' writes queue on the chain's advisory lock in the database. Inside a
 * request's transaction (a mutation's unit of work, src/db/request-transaction.ts) the entries are written in
 * that transaction instead (`writeAccessLog`), so they commit or roll back with its changes.
 */
import { DataSource } from 'typeorm';
import { Principal } from '../policies/ability';
import { RequestInfo } from '../context/request-info';
import { canonList, canonUuidList, contentV2EntryHead, contentV2EntryTail, contentV2RequestPart } from './access-log-canonical';
import { Queryable } from './chain-report';

/** One access log entry before the database dates, hashes and links it: identifiers only. */
export interface AccessLogEntryDraft {
  customerId: string;
  storeId: string | null;
  subject: string;
  granted: boolean;
  emergencyAccessId: string | null;
  recordIds: Iterable<string>;
  fields: Iterable<string>;
  assignmentIds: Iterable<string>;
}

/** One request's entries, all read under one principal's rights (the entries name that principal). */
export interface AccessLogRequest {
  principal: Principal;
  request: RequestInfo;
  operationName: string | null;
  entries: AccessLogEntryDraft[];
}

/** Entries one batch takes at most (more only when a single request has more). */
export const MAX_BATCH_ENTRIES = 5000;

interface Pending {
  write: AccessLogRequest;
  resolve(): void;
  reject(error: unknown): void;
}

/** The group-commit queue of one clinical DataSource. */
export class AccessLogWriter {
  private readonly queues = new Map<string, Pending[]>();

  constructor(private readonly clinical: Queryable) {}

  /** Resolves once the request's entries are committed; rejects (the request must fail) if their batch failed. */
  append(write: AccessLogRequest): Promise<void> {
    const chainId = write.principal.chainId.toLowerCase();
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(chainId);
      if (queue) {
        queue.push({ write, resolve, reject });
        return;
      }
      this.queues.set(chainId, [{ write, resolve, reject }]);
      void this.drain(chainId);
    });
  }

  /** Requests queued and not yet written, over all chains (for tests and diagnostics). */
  get queued(): number {
    let n = 0;
    for (const queue of this.queues.values()) n += queue.length;
    return n;
  }

  /** Writes the chain's queue batch after batch until it is empty; the queue's presence marks a write in flight. */
  private async drain(chainId: string): Promise<void> {
    const queue = this.queues.get(chainId)!;
    while (queue.length > 0) {
      const batch = takeBatch(queue);
      try {
        await appendBatch(this.clinical, chainId, batch.map((p) => p.write));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.queues.delete(chainId);
  }
}

/** The queue's oldest requests up to MAX_BATCH_ENTRIES entries (always at least one request). */
function takeBatch(queue: Pending[]): Pending[] {
  let entries = queue[0].write.entries.length;
  let count = 1;
  while (count < queue.length && entries + queue[count].write.entries.length <= MAX_BATCH_ENTRIES) {
    entries += queue[count].write.entries.length;
    count += 1;
  }
  return queue.splice(0, count);
}

const writers = new WeakMap<DataSource, AccessLogWriter>();

/** The group-commit writer of a clinical DataSource (one per pool). */
export function accessLogWriter(clinical: DataSource): AccessLogWriter {
  let writer = writers.get(clinical);
  if (!writer) {
    writer = new AccessLogWriter(clinical);
    writers.set(clinical, writer);
  }
  return writer;
}

/**
 * Writes one request's entries: by group commit on a DataSource of its own, or directly in the request's
 * transaction when `clinical` is bound to one (its manager belongs to a query runner). Throws if the write
 * failed: the caller fails closed.
 */
export async function writeAccessLog(clinical: DataSource, write: AccessLogRequest): Promise<void> {
  if (write.entries.length === 0) return;
  if (clinical.manager.queryRunner) {
    await appendBatch(clinical, write.principal.chainId.toLowerCase(), [write]);
    return;
  }
  await accessLogWriter(clinical).append(write);
}

/** Distinct lists numbered from 1 in order of first use (a page's entries share a few field and assignment lists). */
class ListDictionary {
  /** Each list's array literal and canonical form, by number - 1. */
  readonly literals: string[] = [];
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly encode: (items: string[]) => { literal: string; text: string }) {}

  of(items: string[]): number {
    // The length leads the key, so [] and [''] differ; NUL joins the items: PostgreSQL text never holds it (a list
    // with one would fail the write anyway).
    const key = `${items.length}:${items.join('\0')}`;
    let i = this.index.get(key);
    if (i === undefined) {
      const { literal, text } = this.encode(items);
      this.literals.push(literal);
      this.texts.push(text);
      i = this.literals.length;
      this.index.set(key, i);
    }
    return i;
  }
}

/**
 * One call of the batch function for requests of one chain: per request its principal and request facts, the
 * distinct field and assignment lists, and per entry its content with the (1-based) indexes of its request and
 * lists; and canonical form 2 from user_id on (access-log-canonical.ts) in pieces: each request's part and each
 * field list's once, and per entry the parts before and after its field list. The database puts each entry's
 * text together behind the label, the chain and the time it dates the batch, and hashes it. The arrays go as
 * PostgreSQL array literals built here (the driver's own encoding of 56-entry arrays cost more than the rest).
 * Throws unless every entry was inserted.
 */
export async function appendBatch(clinical: Queryable, chainId: string, writes: AccessLogRequest[]): Promise<void> {
  const uuids = new UuidChecker();
  const fieldLists = new ListDictionary((items) => ({ literal: textArray(items), text: canonList(items) }));
  const assignmentLists = new ListDictionary((items) => ({ literal: uuidArray(items), text: canonUuidList(items) }));
  const entryRequests: number[] = [];
  const customers: string[] = [];
  const stores: (string | null)[] = [];
  const subjects: string[] = [];
  const recordIds: string[] = [];
  const entryFields: number[] = [];
  const outcomes: string[] = [];
  const entryAssignments: number[] = [];
  const emergencyAccessIds: (string | null)[] = [];
  const heads: string[] = [];
  const tails: string[] = [];
  const users: string[] = [];
  const sessions: string[] = [];
  const requestTexts: string[] = [];
  writes.forEach((write, index) => {
    if (write.principal.chainId.toLowerCase() !== chainId) throw new Error('an access log batch holds the entries of one chain of stores');
    const user = uuids.canonical(write.principal.userId);
    const session = uuids.canonical(write.principal.sessionId);
    users.push(user);
    sessions.push(session);
    requestTexts.push(contentV2RequestPart({
      user_id: user, session_id: session, request_id: write.request.requestId, client_address: write.request.clientAddress,
      user_agent: write.request.userAgent, operation_name: write.operationName, purpose: write.request.purpose,
    }));
    for (const entry of write.entries) {
      const customer = uuids.canonical(entry.customerId);
      const store = entry.storeId === null ? null : uuids.canonical(entry.storeId);
      const emergency = entry.emergencyAccessId === null ? null : uuids.canonical(entry.emergencyAccessId);
      const outcome = entry.granted ? 'GRANTED' : 'DENIED';
      const records: string[] = [];
      for (const id of entry.recordIds) records.push(uuids.canonical(id));
      const fieldList = fieldLists.of([...entry.fields]);
      const assignments: string[] = [];
      for (const id of entry.assignmentIds) assignments.push(uuids.canonical(id));
      const assignmentList = assignmentLists.of(assignments);
      entryRequests.push(index + 1);
      customers.push(customer);
      stores.push(store);
      subjects.push(entry.subject);
      recordIds.push(uuidArray(records));
      entryFields.push(fieldList);
      outcomes.push(outcome);
      entryAssignments.push(assignmentList);
      emergencyAccessIds.push(emergency);
      heads.push(contentV2EntryHead({ customer_id: customer, store_id: store, subject: entry.subject }, canonUuidList(records)));
      tails.push(contentV2EntryTail({ outcome, emergency_access_id: emergency }, assignmentLists.texts[assignmentList - 1]));
    }
  });
  if (entryRequests.length === 0) return;
  const rows = await clinical.query(
    `SELECT clinical_access_log_append_batch($1, $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::int[], $12::uuid[], $13::uuid[], $14::text[], $15::text[], $16::int[], $17::text[], $18::int[], $19::uuid[],
       $20::text[], $21::text[], $22::text[], $23::text[]) AS n`,
    [
      chainId, uuidArray(users), uuidArray(sessions),
      textArray(writes.map((w) => w.request.requestId)),
      textArray(writes.map((w) => w.request.clientAddress)),
      textArray(writes.map((w) => w.request.userAgent)),
      textArray(writes.map((w) => w.operationName)),
      textArray(writes.map((w) => w.request.purpose)),
      textArray(fieldLists.literals), textArray(assignmentLists.literals),
      intArray(entryRequests), uuidArray(customers), uuidArray(stores), textArray(subjects), textArray(recordIds), intArray(entryFields),
      textArray(outcomes), intArray(entryAssignments), uuidArray(emergencyAccessIds),
      textArray(requestTexts), textArray(fieldLists.texts), textArray(heads), textArray(tails),
    ],
  ) as { n: number }[];
  const inserted = rows[0]?.n;
  if (inserted !== entryRequests.length) throw new Error(`the access log batch inserted ${String(inserted)} of ${entryRequests.length} entries`);
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * uuids in PostgreSQL's text form (lowercase, hyphenated), the form the canonical content covers and the
 * verifier reads back; each distinct one checked once. Anything else throws: the request fails closed, as the
 * database's cast would fail it.
 */
class UuidChecker {
  private readonly seen = new Set<string>();

  canonical(id: string): string {
    if (this.seen.has(id)) return id;
    const lower = id.toLowerCase();
    if (!CANONICAL_UUID.test(lower)) throw new Error('an access log entry names an identifier that is not a uuid in canonical form');
    if (lower === id) this.seen.add(id);
    return lower;
  }
}

/** A PostgreSQL array literal of text values, each quoted (NULL for null). */
function textArray(items: readonly (string | null)[]): string {
  let literal = '{';
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i];
    if (i > 0) literal += ',';
    literal += item === null ? 'NULL' : `"${/["\\]/.test(item) ? item.replace(/["\\]/g, (ch) => `\\${ch}`) : item}"`;
  }
  return `${literal}}`;
}

/** A PostgreSQL array literal of canonical uuids (NULL for null): nothing in them needs quoting. */
function uuidArray(ids: readonly (string | null)[]): string {
  return `{${ids.map((id) => id ?? 'NULL').join(',')}}`;
}

/** A PostgreSQL array literal of integers. */
function intArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}
