/**
 * src/hash-chain/walk.ts: the problem list's cap. A writer can write entries whose content does not match their
 * columns (docs/audit-trail.md), each reported `altered`; past MAX_PROBLEMS of them, later tampering must still be
 * named: the problem that ends the walk (a removed entry here) is listed, and the altered entries past the cap are
 * counted. A fake log in memory; the walk's own queries (the database clock, the reorder look-up) are answered by
 * a fake database.
 */
import { createHash } from 'node:crypto';
import { ZERO_HASH } from '../../../src/hash-chain/access-log-canonical';
import { ChainedLog, ChainedRow, MAX_PROBLEMS, walkChain } from '../../../src/hash-chain/walk';
import { moreProblems } from '../../../src/hash-chain/verify-chain';

const CHAIN = '00000000-0000-4000-8000-000000000001';

function chainOf(length: number, missing: number): ChainedRow[] {
  const rows: ChainedRow[] = [];
  let prev = ZERO_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const hash = createHash('sha256').update(`${seq}`).update(prev).digest();
    if (seq !== missing) rows.push({ id: `id-${seq}`, seq: String(seq), occurred_at_us: String(1_700_000_000_000_000 + seq), prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

function logOf(rows: ChainedRow[], altered: (seq: number) => boolean): ChainedLog<ChainedRow> {
  return {
    table: 'fake_log',
    entries: async (_db, _chain, fromSeq, limit) => rows.filter((r) => BigInt(r.seq) >= fromSeq).slice(0, limit),
    intact: (row) => !altered(Number(row.seq)),
  };
}

const db = {
  query: async (sql: string): Promise<unknown> => (sql.includes('clock_timestamp') ? [{ us: String(1_800_000_000_000_000) }] : []),
};

describe('the walk past MAX_PROBLEMS altered entries', () => {
  it('still names a removal that follows them, and counts the altered entries it did not list', async () => {
    const alteredCount = MAX_PROBLEMS + 20;
    const report = await walkChain(db, logOf(chainOf(200, alteredCount + 5), (seq) => seq <= alteredCount), CHAIN, { batchSize: 50 });
    expect(report.ok).toBe(false);
    expect(report.problem?.kind).toBe('altered');
    const last = report.problems![report.problems!.length - 1];
    expect(last).toMatchObject({ kind: 'removed', seq: String(alteredCount + 5) });
    expect(report.problems!.filter((p) => p.kind === 'altered')).toHaveLength(MAX_PROBLEMS);
    expect(report.omittedProblems).toBe(20);
    expect(moreProblems(report)).toContain(`removed seq ${alteredCount + 5}`);
    expect(moreProblems(report)).toContain('and 20 more altered or misdated entries, not listed');
  });

  it('lists every problem and counts none omitted under the cap', async () => {
    const report = await walkChain(db, logOf(chainOf(30, 0), (seq) => seq === 3 || seq === 7), CHAIN);
    expect(report.problems!.map((p) => `${p.kind} ${p.seq}`)).toEqual(['altered 3', 'altered 7']);
    expect(report.omittedProblems).toBeUndefined();
  });
});
