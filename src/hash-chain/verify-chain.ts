/**
 * Verifies the clinical access log's hash chains (one per chain of stores) and exports their heads.
 *
 * Each `clinical_access_log_entry` carries `seq` (1, 2, 3… per chain, no gaps), `prev_hash` (the previous
 * entry's hash; 32 zero bytes for seq 1) and `hash`; entries since version 2 also carry `content_hash`. The
 * canonical forms of both versions (`canon_version` 1 and 2) are defined, and documented, in
 * src/hash-chain/access-log-canonical.ts; this file recomputes every hash in Node from the stored columns. Every
 * column but `hash` is covered, except `id` in version 2 (the identity value the database assigns; an entry's
 * place is its `seq`, which the link covers); a test fails when the table gains a column CANONICAL_COLUMNS
 * does not name.
 *
 * verifyChains walks each chain in seq order with the shared walker (src/hash-chain/walk.ts: keyset
 * pages, memory independent of length) and stops at the first bad entry: `removed` (a seq is missing, or the entry's prev_hash matches no entry: the one it
 * followed was removed and the rest renumbered, or its predecessor rewritten with a fresh hash),
 * `reordered` (its prev_hash is the hash of another entry, not of its predecessor), `altered` (its
 * content no longer matches its hash), `truncated` (an exported head is no longer in the chain).
 * Checks run in that order for each entry, so a swap is named `reordered` rather than `altered`.
 */
import { CanonicalV1, ContentV2, contentHashV2, hashV1, linkHashV2, ZERO_HASH } from './access-log-canonical';
import { ChainReport, ExportedHead, Queryable, VerifyResult } from './chain-report';
import { ChainedLog, chainHeads, walkChain, walkChains } from './walk';

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

/** The clinical access log as the chain walker sees it. */
const ACCESS_LOG: ChainedLog<ChainEntry> = { table: 'clinical_access_log_entry', entries: chainEntries, intact: entryIntact };

/** Walks one chain in seq order; stops at the first bad entry. `head` is an exported head that must be in it. */
export function verifyChain(db: Queryable, chainId: string, options: { head?: ExportedHead; batchSize?: number } = {}): Promise<ChainReport> {
  return walkChain(db, ACCESS_LOG, chainId, options);
}

/** Verifies every chain in the log, and every chain an exported head names (even if it has vanished). */
export function verifyChains(db: Queryable, options: { heads?: ExportedHead[]; batchSize?: number } = {}): Promise<VerifyResult> {
  return walkChains(db, ACCESS_LOG, options);
}

/** The current head of every chain, to keep outside the database. */
export function exportHeads(db: Queryable, now: Date = new Date()): Promise<ExportedHead[]> {
  return chainHeads(db, ACCESS_LOG.table, now);
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
    : `FAIL  chain ${c.chainId}: ${c.problem!.kind}: ${c.problem!.message} (${c.entries} entries verified before it)${moreProblems(c)}`));
}

/** ", and N more problems: altered seq 17, …" for a report with several. */
export function moreProblems(report: ChainReport): string {
  const more = (report.problems ?? []).slice(1);
  const omitted = report.omittedProblems ? ` (and ${report.omittedProblems} more altered or misdated entries, not listed)` : '';
  return more.length ? `; and ${more.length} more: ${more.map((p) => `${p.kind} seq ${p.seq}`).join(', ')}${omitted}` : omitted ? `;${omitted}` : '';
}
