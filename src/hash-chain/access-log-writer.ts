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

/** Distinct values numbered from 1 in order of first use (a page's entries share a few field and assignment lists). */
class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      this.values.push(value);
      i = this.values.length;
      this.index.set(value, i);
    }
    return i;
  }
}

/**
 * One call of the batch function for requests of one chain: per request its principal and request facts, the
 * distinct field and assignment lists, and per entry its content with the (1-based) indexes of its request and
 * lists. Throws unless every entry was inserted.
 */
export async function appendBatch(clinical: Queryable, chainId: string, writes: AccessLogRequest[]): Promise<void> {
  const fieldLists = new Dictionary();
  const assignmentLists = new Dictionary();
  const entryRequests: number[] = [];
  const customers: string[] = [];
  const stores: (string | null)[] = [];
  const subjects: string[] = [];
  const recordIds: string[] = [];
  const entryFields: number[] = [];
  const outcomes: string[] = [];
  const entryAssignments: number[] = [];
  const emergencyAccessIds: (string | null)[] = [];
  writes.forEach((write, index) => {
    if (write.principal.chainId.toLowerCase() !== chainId) throw new Error('an access log batch holds the entries of one chain of stores');
    for (const entry of write.entries) {
      entryRequests.push(index + 1);
      customers.push(entry.customerId.toLowerCase());
      stores.push(entry.storeId?.toLowerCase() ?? null);
      subjects.push(entry.subject);
      recordIds.push(arrayLiteral([...entry.recordIds].map((id) => id.toLowerCase())));
      entryFields.push(fieldLists.of(arrayLiteral([...entry.fields])));
      outcomes.push(entry.granted ? 'GRANTED' : 'DENIED');
      entryAssignments.push(assignmentLists.of(arrayLiteral([...entry.assignmentIds].map((id) => id.toLowerCase()))));
      emergencyAccessIds.push(entry.emergencyAccessId?.toLowerCase() ?? null);
    }
  });
  if (entryRequests.length === 0) return;
  const rows = await clinical.query(
    `SELECT clinical_access_log_append_batch($1, $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::int[], $12::uuid[], $13::uuid[], $14::text[], $15::text[], $16::int[], $17::text[], $18::int[], $19::uuid[]) AS n`,
    [
      chainId,
      writes.map((w) => w.principal.userId.toLowerCase()),
      writes.map((w) => w.principal.sessionId.toLowerCase()),
      writes.map((w) => w.request.requestId),
      writes.map((w) => w.request.clientAddress),
      writes.map((w) => w.request.userAgent),
      writes.map((w) => w.operationName),
      writes.map((w) => w.request.purpose),
      fieldLists.values, assignmentLists.values,
      entryRequests, customers, stores, subjects, recordIds, entryFields, outcomes, entryAssignments, emergencyAccessIds,
    ],
  ) as { n: number }[];
  const inserted = rows[0]?.n;
  if (inserted !== entryRequests.length) throw new Error(`the access log batch inserted ${String(inserted)} of ${entryRequests.length} entries`);
}

/** A PostgreSQL array literal with every element quoted. */
function arrayLiteral(items: string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(',')}}`;
}
