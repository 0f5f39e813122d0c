/**
 * Verifies the clinical access log's hash chains (one per chain of stores) and exports their heads.
 *
 * Each `clinical_access_log_entry` carries `seq` (1, 2, 3… per chain, no gaps), `prev_hash` (the previous
 * entry's hash; 32 zero bytes for seq 1) and `hash`; entries since version 2 also carry `content_hash`. The
 * canonical forms of both versions (`canon_version` 1 and 2) are defined, and documented, in
 * src/audit/access-log-canonical.ts; this file recomputes every hash in Node from the stored columns. Every
 * column but `hash` is covered; a test fails when the table gains a column CANONICAL_COLUMNS does not name.
 *
 * verifyChains walks each chain in seq order (keyset pages, memory independent of length) and stops at
 * the first bad entry: `removed` (a seq is missing, or the entry's prev_hash matches no entry: the one it
 * followed was removed and the rest renumbered, or its predecessor rewritten with a fresh hash),
 * `reordered` (its prev_hash is the hash of another entry, not of its predecessor), `altered` (its
 * content no longer matches its hash), `truncated` (an exported head is no longer in the chain).
 * Checks run in that order for each entry, so a swap is named `reordered` rather than `altered`.
 */
import { CanonicalV1, ContentV2, contentHashV2, hashV1, linkHashV2, ZERO_HASH } from './access-log-canonical';

export { ZERO_HASH } from './access-log-canonical';

/**
 * The table's columns the hashes cover (either version; `id` only in version 1), plus `canon_version`
 * (which form applies: flipping it breaks the hash) and `content_hash` (checked against the content).
 */
export const CANONICAL_COLUMNS = [
  'canon_version', 'chain_id', 'seq', 'id', 'occurred_at', 'user_id', 'session_id', 'request_id', 'client_address',
  'user_agent', 'operation_name', 'purpose', 'customer_id', 'store_id', 'subject', 'record_ids', 'fields', 'outcome',
  'assignment_ids', 'emergency_access_id', 'prev_hash', 'content_hash',
] as const;

/** An entry as read for verification (text forms chosen so that no precision is lost). */
export interface ChainEntry extends CanonicalV1, ContentV2 {
  canon_version: number;
  content_hash: Buffer | null;
  hash: Buffer;
}

export interface ExportedHead {
  chainId: string;
  seq: string;
  hash: string;
  exportedAt: string;
}

export type ProblemKind = 'removed' | 'reordered' | 'altered' | 'truncated';

export interface ChainProblem {
  kind: ProblemKind;
  /** The seq of the first bad entry (for `removed`, the first missing seq). */
  seq: string;
  /** The id of the entry found at that position, if any. */
  id: string | null;
  message: string;
}

export interface ChainReport {
  chainId: string;
  ok: boolean;
  /** Entries checked (all of them when ok). */
  entries: number;
  /** The last good entry: the chain's head when ok. */
  head: { seq: string; hash: string } | null;
  problem?: ChainProblem;
}

export interface VerifyResult {
  ok: boolean;
  chains: ChainReport[];
}

/** Anything with TypeORM DataSource's `query` (a DataSource, a QueryRunner's manager…). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The hash an entry must carry, recomputed from its content (never from its stored content_hash). */
export function entryHash(e: ChainEntry): Buffer {
  if (e.canon_version === 1) return hashV1(e);
  return linkHashV2(e.seq, e.prev_hash, contentHashV2(e));
}

/** Whether the entry's stored hashes match its content. */
export function entryIntact(e: ChainEntry): boolean {
  if (e.canon_version !== 1 && e.canon_version !== 2) return false;
  if (e.canon_version === 2 && !(e.content_hash && e.content_hash.equals(contentHashV2(e)))) return false;
  return entryHash(e).equals(e.hash);
}

// Columns are renamed to text forms: ORDER BY and WHERE name them through the alias `e` (an ORDER BY on
// the bare name would sort the text output column).
const SELECT_ENTRY = `SELECT canon_version::int AS canon_version, id::text AS id, chain_id::text AS chain_id, seq::text AS seq,
    ((extract(epoch FROM occurred_at) * 1000000)::bigint)::text AS occurred_at_us,
    user_id::text AS user_id, session_id::text AS session_id, request_id, client_address, user_agent, operation_name, purpose,
    customer_id::text AS customer_id, store_id::text AS store_id, subject,
    record_ids::text[] AS record_ids, fields, outcome::text AS outcome,
    assignment_ids::text[] AS assignment_ids, emergency_access_id::text AS emergency_access_id, prev_hash, content_hash, hash
  FROM clinical_access_log_entry e`;

/** Entries of one chain from `fromSeq` on, in seq order, as the verifier reads them. */
export async function chainEntries(db: Queryable, chainId: string, fromSeq: bigint | string = 1n, limit = 5000): Promise<ChainEntry[]> {
  return (await db.query(`${SELECT_ENTRY} WHERE e.chain_id = $1 AND e.seq >= $2 ORDER BY e.seq LIMIT ${Math.max(1, Math.floor(limit))}`, [chainId, fromSeq.toString()])) as ChainEntry[];
}

async function chainIds(db: Queryable): Promise<string[]> {
  const rows = (await db.query('SELECT DISTINCT chain_id::text AS chain_id FROM clinical_access_log_entry ORDER BY 1')) as { chain_id: string }[];
  return rows.map((r) => r.chain_id);
}

/** Walks one chain in seq order; stops at the first bad entry. `head` is an exported head that must be in it. */
export async function verifyChain(db: Queryable, chainId: string, options: { head?: ExportedHead; batchSize?: number } = {}): Promise<ChainReport> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 5000));
  const wanted = options.head ? { seq: BigInt(options.head.seq), hash: options.head.hash.toLowerCase() } : null;
  let headFound = false;
  let expectedSeq = 1n;
  let prevHash: Buffer = ZERO_HASH;
  let entries = 0;
  let head: ChainReport['head'] = null;
  const fail = (problem: ChainProblem): ChainReport => ({ chainId, ok: false, entries, head, problem });

  for (;;) {
    const rows = await chainEntries(db, chainId, expectedSeq, batchSize);
    for (const row of rows) {
      const seq = BigInt(row.seq);
      if (seq !== expectedSeq) {
        return fail({ kind: 'removed', seq: expectedSeq.toString(), id: null,
          message: `entry seq ${expectedSeq} is missing (the next entry present is seq ${seq}, id ${row.id})` });
      }
      if (!row.prev_hash.equals(prevHash)) {
        const [other] = (await db.query('SELECT seq::text AS seq FROM clinical_access_log_entry WHERE chain_id = $1 AND hash = $2 LIMIT 1', [chainId, row.prev_hash])) as { seq: string }[];
        if (other) {
          return fail({ kind: 'reordered', seq: row.seq, id: row.id,
            message: `entry seq ${row.seq} (id ${row.id}) was written after entry seq ${other.seq}, not after seq ${expectedSeq - 1n}: entries were reordered` });
        }
        return fail({ kind: 'removed', seq: row.seq, id: row.id,
          message: `entry seq ${row.seq} (id ${row.id}) does not follow entry seq ${expectedSeq - 1n}: its prev_hash matches no entry (the entry it followed was removed, or its predecessor rewritten)` });
      }
      if (!entryIntact(row)) {
        return fail({ kind: 'altered', seq: row.seq, id: row.id,
          message: `entry seq ${row.seq} (id ${row.id}) was altered: its content does not match its hash` });
      }
      if (wanted && seq === wanted.seq) {
        if (row.hash.toString('hex') !== wanted.hash) {
          return fail({ kind: 'truncated', seq: row.seq, id: row.id,
            message: `entry seq ${row.seq} (id ${row.id}) is not the exported head (hash ${wanted.hash}): the chain was cut back and rewritten after the export` });
        }
        headFound = true;
      }
      entries += 1;
      prevHash = row.hash;
      head = { seq: row.seq, hash: row.hash.toString('hex') };
      expectedSeq += 1n;
    }
    if (rows.length < batchSize) break;
  }
  if (wanted && !headFound) {
    return fail({ kind: 'truncated', seq: wanted.seq.toString(), id: null,
      message: `the exported head seq ${wanted.seq} is no longer in the chain (it ends at seq ${expectedSeq - 1n}): entries were removed from its end` });
  }
  return { chainId, ok: true, entries, head };
}

/** Verifies every chain in the log, and every chain an exported head names (even if it has vanished). */
export async function verifyChains(db: Queryable, options: { heads?: ExportedHead[]; batchSize?: number } = {}): Promise<VerifyResult> {
  const heads = new Map((options.heads ?? []).map((h) => [h.chainId.toLowerCase(), h]));
  const ids = [...new Set([...(await chainIds(db)), ...heads.keys()])].sort();
  const chains: ChainReport[] = [];
  for (const chainId of ids) chains.push(await verifyChain(db, chainId, { head: heads.get(chainId), batchSize: options.batchSize }));
  return { ok: chains.every((c) => c.ok), chains };
}

/** The current head of every chain, to keep outside the database. */
export async function exportHeads(db: Queryable, now: Date = new Date()): Promise<ExportedHead[]> {
  const rows = (await db.query(
    `SELECT DISTINCT ON (e.chain_id) e.chain_id::text AS chain_id, e.seq::text AS seq, encode(e.hash, 'hex') AS hash
       FROM clinical_access_log_entry e ORDER BY e.chain_id, e.seq DESC`,
  )) as { chain_id: string; seq: string; hash: string }[];
  return rows.map((r) => ({ chainId: r.chain_id, seq: r.seq, hash: r.hash, exportedAt: now.toISOString() }));
}

/** Parses an exported heads file: an array of heads or a single head. */
export function parseHeads(json: string): ExportedHead[] {
  const parsed = JSON.parse(json) as unknown;
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item, i) => {
    const h = item as Partial<Record<keyof ExportedHead, unknown>>;
    const seq = typeof h.seq === 'number' ? String(h.seq) : h.seq;
    if (typeof h.chainId !== 'string' || typeof seq !== 'string' || !/^[1-9][0-9]*$/.test(seq) || typeof h.hash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(h.hash)) {
      throw new Error(`head ${i}: expected { chainId, seq, hash (64 hex digits), exportedAt }`);
    }
    return { chainId: h.chainId, seq, hash: h.hash.toLowerCase(), exportedAt: typeof h.exportedAt === 'string' ? h.exportedAt : '' };
  });
}

/** One line per chain, for the command line. */
export function formatReport(result: VerifyResult): string[] {
  if (result.chains.length === 0) return ['OK: the clinical access log is empty'];
  return result.chains.map((c) => (c.ok
    ? `OK    chain ${c.chainId}: ${c.entries} entries, head seq ${c.head?.seq ?? 0} hash ${c.head?.hash ?? ZERO_HASH.toString('hex')}`
    : `FAIL  chain ${c.chainId}: ${c.problem!.kind}: ${c.problem!.message} (${c.entries} entries verified before it)`));
}
