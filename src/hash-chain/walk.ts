/**
 * Walks a hash-chained, append-only log table (one chain per chain of stores: `chain_id`, gap-free `seq`,
 * `prev_hash`, `hash`) and names the first entry that breaks it. Independent of the table's other columns:
 * the caller reads the entries and says whether each still matches its hashes (recomputed from its canonical
 * form). Used by the clinical access log (src/hash-chain/verify-chain.ts; the report types are src/hash-chain/chain-report.ts) and the data
 * change logs (src/hash-chain/change-log-chain.ts).
 *
 * Per entry, in seq order (keyset pages, memory independent of length), it checks for: `removed` (a seq is
 * missing, or the entry's prev_hash matches no entry), `reordered` (its prev_hash is the hash of another
 * entry, not of its predecessor), `altered` (its content no longer matches its hash), `truncated` (an
 * exported head is no longer in the chain), `misdated` (dated before its predecessor, or after the database's clock:
 * the database dates entries under the chain's lock, so time and seq order agree). Checked in that order, so a
 * swap is `reordered`. It stops at the first removed, reordered or truncated entry; past an altered or misdated
 * one whose link is intact it goes on (and reports every problem), so one bad entry cannot hide tampering
 * further along.
 */
import { ZERO_HASH } from './access-log-canonical';
import { ChainProblem, ChainReport, ExportedHead, Queryable, VerifyResult } from './chain-report';

/** What the walker needs of an entry; the rest is the canonical form's business. */
export interface ChainedRow {
  id: string;
  seq: string;
  /** occurred_at as integer microseconds since 1970 (decimal text). */
  occurred_at_us: string;
  prev_hash: Buffer;
  hash: Buffer;
}

/** A chained log table: where it is and how to read and hash its entries. */
export interface ChainedLog<R extends ChainedRow> {
  table: string;
  /** Entries of one chain from `fromSeq` on, in seq order, at most `limit`. */
  entries(db: Queryable, chainId: string, fromSeq: bigint, limit: number): Promise<R[]>;
  /** Whether the entry's stored hash (and any other stored digest) matches its content, recomputed. */
  intact(row: R): boolean;
}

/** Altered and misdated entries a report lists at most (the rest are counted); the problem that ends the walk is always listed. */
export const MAX_PROBLEMS = 100;

export async function walkChain<R extends ChainedRow>(
  db: Queryable,
  log: ChainedLog<R>,
  chainId: string,
  options: { head?: ExportedHead; batchSize?: number } = {},
): Promise<ChainReport> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 5000));
  const wanted = options.head ? { seq: BigInt(options.head.seq), hash: options.head.hash.toLowerCase() } : null;
  let headFound = false;
  let expectedSeq = 1n;
  let prevHash: Buffer = ZERO_HASH;
  let prevAt: bigint | null = null;
  let entries = 0;
  let head: ChainReport['head'] = null;
  const problems: ChainProblem[] = [];
  /** Altered or misdated entries past MAX_PROBLEMS: counted, not listed. */
  let omitted = 0;
  const note = (problem: ChainProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else omitted += 1;
  };
  const failed = (): ChainReport => ({ chainId, ok: false, entries, head, problem: problems[0], problems, ...(omitted ? { omittedProblems: omitted } : {}) });
  // The problem that ends the walk is always listed, past the cap too: entries written wrong on purpose (a writer
  // can send content that does not match its columns) must not push a later removal or reordering off the list.
  const fail = (problem: ChainProblem): ChainReport => {
    problems.push(problem);
    return failed();
  };

  for (;;) {
    const rows = await log.entries(db, chainId, expectedSeq, batchSize);
    // "In the future" by the database's own clock (the one that dates entries), read after the page.
    const [{ us }] = (await db.query('SELECT ((extract(epoch FROM clock_timestamp()) * 1000000)::bigint)::text AS us')) as { us: string }[];
    const nowUs = BigInt(us);
    for (const row of rows) {
      const seq = BigInt(row.seq);
      if (seq !== expectedSeq) {
        return fail({ kind: 'removed', seq: expectedSeq.toString(), id: null,
          message: `entry seq ${expectedSeq} is missing (the next entry present is seq ${seq}, id ${row.id})` });
      }
      if (!row.prev_hash.equals(prevHash)) {
        const [other] = (await db.query(`SELECT seq::text AS seq FROM ${log.table} WHERE chain_id = $1 AND hash = $2 LIMIT 1`, [chainId, row.prev_hash])) as { seq: string }[];
        if (other) {
          return fail({ kind: 'reordered', seq: row.seq, id: row.id,
            message: `entry seq ${row.seq} (id ${row.id}) was written after entry seq ${other.seq}, not after seq ${expectedSeq - 1n}: entries were reordered` });
        }
        return fail({ kind: 'removed', seq: row.seq, id: row.id,
          message: `entry seq ${row.seq} (id ${row.id}) does not follow entry seq ${expectedSeq - 1n}: its prev_hash matches no entry (the entry it followed was removed, or its predecessor rewritten)` });
      }
      if (!log.intact(row)) {
        // Recorded, and the walk goes on: the link to the next entry is checked against the stored hash.
        note({ kind: 'altered', seq: row.seq, id: row.id,
          message: `entry seq ${row.seq} (id ${row.id}) was altered: its content does not match its hash` });
      }
      const at = BigInt(row.occurred_at_us);
      if (prevAt !== null && at < prevAt) {
        note({ kind: 'misdated', seq: row.seq, id: row.id,
          message: `entry seq ${row.seq} (id ${row.id}) is dated before entry seq ${expectedSeq - 1n}: the log's clock ran backwards` });
      } else if (at > nowUs) {
        note({ kind: 'misdated', seq: row.seq, id: row.id, message: `entry seq ${row.seq} (id ${row.id}) is dated in the future` });
      }
      prevAt = at;
      if (wanted && seq === wanted.seq) {
        if (row.hash.toString('hex') !== wanted.hash) {
          return fail({ kind: 'truncated', seq: row.seq, id: row.id,
            message: `entry seq ${row.seq} (id ${row.id}) is not the exported head (hash ${wanted.hash}): the chain was cut back and rewritten after the export` });
        }
        headFound = true;
      }
      if (problems.length === 0) {
        entries += 1;
        head = { seq: row.seq, hash: row.hash.toString('hex') };
      }
      prevHash = row.hash;
      expectedSeq += 1n;
    }
    if (rows.length < batchSize) break;
  }
  if (wanted && !headFound) {
    return fail({ kind: 'truncated', seq: wanted.seq.toString(), id: null,
      message: `the exported head seq ${wanted.seq} is no longer in the chain (it ends at seq ${expectedSeq - 1n}): entries were removed from its end` });
  }
  if (problems.length) return failed();
  return { chainId, ok: true, entries, head };
}

/** Verifies every chain in the table, and every chain an exported head names (even if it has vanished). */
export async function walkChains<R extends ChainedRow>(
  db: Queryable,
  log: ChainedLog<R>,
  options: { heads?: ExportedHead[]; batchSize?: number } = {},
): Promise<VerifyResult> {
  const heads = new Map((options.heads ?? []).map((h) => [h.chainId.toLowerCase(), h]));
  const present = (await db.query(`SELECT DISTINCT chain_id::text AS chain_id FROM ${log.table} ORDER BY 1`)) as { chain_id: string }[];
  const ids = [...new Set([...present.map((r) => r.chain_id), ...heads.keys()])].sort();
  const chains: ChainReport[] = [];
  for (const chainId of ids) chains.push(await walkChain(db, log, chainId, { head: heads.get(chainId), batchSize: options.batchSize }));
  return { ok: chains.every((c) => c.ok), chains };
}

/** The current head of every chain in the table. */
export async function chainHeads(db: Queryable, table: string, now: Date = new Date()): Promise<ExportedHead[]> {
  const rows = (await db.query(
    `SELECT DISTINCT ON (e.chain_id) e.chain_id::text AS chain_id, e.seq::text AS seq, encode(e.hash, 'hex') AS hash
       FROM ${table} e ORDER BY e.chain_id, e.seq DESC`,
  )) as { chain_id: string; seq: string; hash: string }[];
  return rows.map((r) => ({ chainId: r.chain_id, seq: r.seq, hash: r.hash, exportedAt: now.toISOString() }));
}
