/**
 * Verifies the data change logs' hash chains (the personal change log in the core database, the clinical
 * change log in the clinical database; one chain per chain of stores in each) and exports their heads.
 *
 * Each entry carries `seq` (1, 2, 3… per chain, no gaps), `prev_hash` (the previous entry's hash; 32 zero
 * bytes for seq 1) and `hash` = SHA-256(canonical form). The database computes them on INSERT (triggers
 * `personal_change_log_entry_chain` / `clinical_change_log_entry_chain`, functions
 * `personal_change_log_canonical` / `clinical_change_log_canonical`, in migrations/<db>/*ChangeLog.ts);
 * this file recomputes them independently in Node, and src/hash-chain/walk.ts walks the chains.
 *
 * Canonical form (version labels `visus.personal_change_log.v2` and `visus.clinical_change_log.v2`: an
 * entry cannot be moved from one log to the other unnoticed; v1, before migrations/<db>/*ChangeLogRedaction.ts,
 * had `changes::text` itself at position 18): the UTF-8 bytes of the concatenation of
 * these values, in this order, each encoded as
 *   NULL -> `-`
 *   text -> `<byte length of its UTF-8, decimal>:<text>,`            (a netstring)
 * 1. the label   2. chain_id   3. seq (decimal)   4. id (decimal)
 * 5. occurred_at as integer microseconds since 1970-01-01T00:00:00Z (decimal; independent of time zone)
 * 6. user_id   7. session_id   8. request_id   9. client_address   10. user_agent   11. operation_name
 * 12. action   13. subject   14. record_type   15. record_id   16. customer_id   17. store_id
 * 18. changes_digest (lowercase hex): SHA-256 of the UTF-8 bytes of PostgreSQL's text rendering of the
 *     stored jsonb `changes` as written (`changes::text`). jsonb keeps no formatting of its input: object keys
 *     are de-duplicated and sorted (shorter first, then bytewise), separators are `", "` and `": "`, numbers
 *     are PostgreSQL numeric text as stored (e.g. `-1.25`, `0`). The same stored value always renders the
 *     same bytes, so the verifier hashes that text as read and compares it with the digest.
 * 19. prev_hash (lowercase hex)
 * uuids in PostgreSQL's text form (lowercase, hyphenated). Every column except `hash` is covered (`changes`
 * through its digest); a test fails when a table gains a column this list does not name.
 *
 * Redaction (docs/erasure.md): after an erasure or a disposal, the values of some or all fields of an entry's
 * `changes` are replaced by `{"redacted": true}` (only through the SECURITY DEFINER `*_change_log_redact`). The
 * chain covers the digest, so it still verifies. An entry is intact when its hash matches and either no field
 * is redacted and its `changes` match the digest, or it is a well-formed redaction (every field either the
 * marker or a `{ before, after }` pair) of a customer with a recorded redaction (`*_change_log_redaction`).
 */
import { createHash } from 'node:crypto';
import { ChangeLogKind } from '../schema/enums';
import { canonValue, ZERO_HASH } from './access-log-canonical';
import { ChainedLog, ChainedRow, chainHeads, walkChains } from './walk';
import { moreProblems } from './verify-chain';
import { ExportedHead, Queryable, VerifyResult } from './chain-report';

export interface ChangeLogDefinition {
  kind: ChangeLogKind;
  /** For people: "personal change log". */
  title: string;
  database: 'core' | 'clinical';
  table: string;
  label: string;
  /** The `log` tag of its heads in an `audit:export-head` file. */
  headTag: string;
}

export const CHANGE_LOGS: readonly ChangeLogDefinition[] = [
  { kind: ChangeLogKind.PERSONAL, title: 'personal change log', database: 'core', table: 'personal_change_log_entry', label: 'visus.personal_change_log.v2', headTag: 'personal_change_log' },
  { kind: ChangeLogKind.CLINICAL, title: 'clinical change log', database: 'clinical', table: 'clinical_change_log_entry', label: 'visus.clinical_change_log.v2', headTag: 'clinical_change_log' },
];

export function changeLog(kind: ChangeLogKind): ChangeLogDefinition {
  return CHANGE_LOGS.find((log) => log.kind === kind)!;
}

/** The table's columns that the canonical form covers, in its order (plus `hash` itself). */
export const CHANGE_LOG_CANONICAL_COLUMNS = [
  'chain_id', 'seq', 'id', 'occurred_at', 'user_id', 'session_id', 'request_id', 'client_address', 'user_agent',
  'operation_name', 'action', 'subject', 'record_type', 'record_id', 'customer_id', 'store_id', 'changes', 'changes_digest', 'prev_hash',
] as const;

/** An entry as read for verification (text forms chosen so that no precision is lost). */
export interface ChangeLogRow extends ChainedRow {
  chain_id: string;
  occurred_at_us: string;
  /** Null (with session_id) for a customer's own change in the personal change log. */
  user_id: string | null;
  session_id: string | null;
  request_id: string;
  client_address: string | null;
  user_agent: string | null;
  operation_name: string | null;
  action: string;
  subject: string;
  record_type: string;
  record_id: string;
  customer_id: string;
  store_id: string | null;
  /** `changes::text`. */
  changes: string;
  changes_digest: Buffer;
  /** Whether a redaction of this customer's entries is recorded (`*_change_log_redaction`). */
  redaction_recorded: boolean;
}

/** The netstring encoding of one value, shared with the access log (src/hash-chain/access-log-canonical.ts). */
const value = canonValue;

/** The bytes an entry's hash is computed over (see the header). */
export function canonicalChangeEntry(log: ChangeLogDefinition, e: ChangeLogRow): Buffer {
  const text = value(log.label)
    + value(e.chain_id) + value(e.seq) + value(e.id) + value(e.occurred_at_us)
    + value(e.user_id) + value(e.session_id) + value(e.request_id) + value(e.client_address) + value(e.user_agent)
    + value(e.operation_name) + value(e.action) + value(e.subject) + value(e.record_type) + value(e.record_id)
    + value(e.customer_id) + value(e.store_id) + value(e.changes_digest.toString('hex')) + value(e.prev_hash.toString('hex'));
  return Buffer.from(text, 'utf8');
}

export function changeEntryHash(log: ChangeLogDefinition, e: ChangeLogRow): Buffer {
  return createHash('sha256').update(canonicalChangeEntry(log, e)).digest();
}

/** SHA-256 of `changes::text` (its UTF-8 bytes), as the trigger computes `changes_digest`. */
export function changesDigest(changesText: string): Buffer {
  return createHash('sha256').update(Buffer.from(changesText, 'utf8')).digest();
}

/** The marker a redacted field's values are replaced with. */
export const REDACTED = { redacted: true } as const;

function isRedactedMarker(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && (v as { redacted?: unknown }).redacted === true;
}

function isFieldValues(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).sort().join() === 'after,before';
}

/**
 * Whether the entry's `changes` are what was written: unredacted, they match the digest; redacted (some field is
 * the marker), every field is the marker or a `{ before, after }` pair and a redaction of the customer is recorded.
 */
export function changesIntact(e: ChangeLogRow): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(e.changes);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const values = Object.values(parsed);
  if (!values.some(isRedactedMarker)) return changesDigest(e.changes).equals(e.changes_digest);
  return e.redaction_recorded && values.every((v) => isRedactedMarker(v) || isFieldValues(v));
}

/** The table recording the log's redactions. */
export function redactionTable(log: ChangeLogDefinition): string {
  return log.table.replace(/_entry$/, '_redaction');
}

/** Entries of one chain from `fromSeq` on, in seq order, as the verifier reads them. */
export async function changeLogEntries(db: Queryable, log: ChangeLogDefinition, chainId: string, fromSeq: bigint | string = 1n, limit = 5000): Promise<ChangeLogRow[]> {
  // Columns are renamed to text forms: ORDER BY and WHERE name them through the alias `e`.
  return (await db.query(
    `SELECT id::text AS id, chain_id::text AS chain_id, seq::text AS seq,
            ((extract(epoch FROM occurred_at) * 1000000)::bigint)::text AS occurred_at_us,
            user_id::text AS user_id, session_id::text AS session_id, request_id, client_address, user_agent, operation_name,
            action::text AS action, subject, record_type, record_id::text AS record_id, customer_id::text AS customer_id,
            store_id::text AS store_id, changes::text AS changes, changes_digest, prev_hash, hash,
            EXISTS (SELECT 1 FROM ${redactionTable(log)} r WHERE r.chain_id = e.chain_id AND r.customer_id = e.customer_id) AS redaction_recorded
       FROM ${log.table} e WHERE e.chain_id = $1 AND e.seq >= $2 ORDER BY e.seq LIMIT ${Math.max(1, Math.floor(limit))}`,
    [chainId, fromSeq.toString()],
  )) as ChangeLogRow[];
}

function chained(log: ChangeLogDefinition): ChainedLog<ChangeLogRow> {
  return {
    table: log.table,
    entries: (db, chainId, fromSeq, limit) => changeLogEntries(db, log, chainId, fromSeq, limit),
    intact: (row) => changeEntryHash(log, row).equals(row.hash) && changesIntact(row),
  };
}

/** Walks every chain of one change log (and every chain an exported head names). */
export function verifyChangeLog(db: Queryable, log: ChangeLogDefinition, options: { heads?: ExportedHead[]; batchSize?: number } = {}): Promise<VerifyResult> {
  return walkChains(db, chained(log), options);
}

/** An exported head of a change log: tagged with its log, so that one file holds every log's heads. */
export type TaggedHead = ExportedHead & { log: string };

export async function exportChangeLogHeads(db: Queryable, log: ChangeLogDefinition, now: Date = new Date()): Promise<TaggedHead[]> {
  return (await chainHeads(db, log.table, now)).map((head) => ({ log: log.headTag, ...head }));
}

export interface SplitHeads {
  /** Heads without a change-log tag (the clinical access log's), as found: for its own parser. */
  accessLog: unknown[];
  changeLogs: Map<ChangeLogKind, ExportedHead[]>;
}

/** Sorts the heads of an `audit:export-head` file by log, checking the change logs' ones. */
export function splitHeads(json: string): SplitHeads {
  const parsed = JSON.parse(json) as unknown;
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const split: SplitHeads = { accessLog: [], changeLogs: new Map(CHANGE_LOGS.map((log) => [log.kind, []])) };
  items.forEach((item, i) => {
    const h = (item ?? {}) as Partial<Record<keyof TaggedHead, unknown>>;
    const log = CHANGE_LOGS.find((l) => l.headTag === h.log);
    if (!log) {
      split.accessLog.push(item);
      return;
    }
    const seq = typeof h.seq === 'number' ? String(h.seq) : h.seq;
    if (typeof h.chainId !== 'string' || typeof seq !== 'string' || !/^[1-9][0-9]*$/.test(seq) || typeof h.hash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(h.hash)) {
      throw new Error(`head ${i}: expected { log, chainId, seq, hash (64 hex digits), exportedAt }`);
    }
    split.changeLogs.get(log.kind)!.push({ chainId: h.chainId, seq, hash: h.hash.toLowerCase(), exportedAt: typeof h.exportedAt === 'string' ? h.exportedAt : '' });
  });
  return split;
}

/** One line per chain, for the command line. */
export function formatChangeLogReport(log: ChangeLogDefinition, result: VerifyResult): string[] {
  if (result.chains.length === 0) return [`OK: the ${log.title} is empty`];
  return result.chains.map((c) => (c.ok
    ? `OK    ${log.title}, chain ${c.chainId}: ${c.entries} entries, head seq ${c.head?.seq ?? 0} hash ${c.head?.hash ?? ZERO_HASH.toString('hex')}`
    : `FAIL  ${log.title}, chain ${c.chainId}: ${c.problem!.kind}: ${c.problem!.message} (${c.entries} entries verified before it)${moreProblems(c)}`));
}

/** Verifies both change logs; `databases` maps each log's database to a connection. */
export async function verifyChangeLogs(
  databases: Record<ChangeLogDefinition['database'], Queryable>,
  heads?: Map<ChangeLogKind, ExportedHead[]>,
): Promise<{ ok: boolean; lines: string[] }> {
  let ok = true;
  const lines: string[] = [];
  for (const log of CHANGE_LOGS) {
    const result = await verifyChangeLog(databases[log.database], log, { heads: heads?.get(log.kind) });
    ok &&= result.ok;
    lines.push(...formatChangeLogReport(log, result));
  }
  return { ok, lines };
}
