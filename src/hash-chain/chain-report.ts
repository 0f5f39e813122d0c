/**
 * What verifying a hash-chained log reports, per chain of stores, and the heads an export records: the types
 * the walker (walk.ts) and every log's verifier share.
 */
export interface ExportedHead {
  chainId: string;
  seq: string;
  hash: string;
  exportedAt: string;
}

export type ProblemKind = 'removed' | 'reordered' | 'altered' | 'truncated' | 'misdated';

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
  /** The first problem. */
  problem?: ChainProblem;
  /**
   * Every problem found, the first included (at most MAX_PROBLEMS altered or misdated ones, then the one that ended the walk). The walk goes on past an altered entry whose
   * link is intact, so one bad entry (say, one written with a wrong content hash) cannot hide later tampering;
   * it stops at the first removed, reordered or truncated one.
   */
  problems?: ChainProblem[];
  /** Altered or misdated entries found past MAX_PROBLEMS, counted but not listed. */
  omittedProblems?: number;
}

export interface VerifyResult {
  ok: boolean;
  chains: ChainReport[];
}

/** Anything with TypeORM DataSource's `query` (a DataSource, a QueryRunner's manager…). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}
