/**
 * The clinical access log is tamper-evident: entries of each chain of stores form a gap-free SHA-256
 * hash chain computed by the database on INSERT, and the verifier (src/hash-chain/verify-chain.ts, behind
 * `npm run audit:verify`) recomputes it independently and names the first entry that was altered, removed
 * or reordered, or a tail cut after its head was exported. Tampering runs as the superuser with the
 * append-only triggers disabled, inside a transaction that is rolled back, so each case starts intact.
 */
import { randomUUID } from 'node:crypto';
import { QueryRunner } from 'typeorm';
import { CANONICAL_COLUMNS, chainEntries, entryHash, entryIntact, exportHeads, formatReport, parseHeads, verifyChains, ZERO_HASH } from '../../src/hash-chain/verify-chain';
import { VerifyResult } from '../../src/hash-chain/chain-report';
import { canonicalV1, contentHashV2, contentV2 } from '../../src/hash-chain/access-log-canonical';
import { GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const OPTOMETRIST = EMAIL.leedsOptometrist;
const RECEPTION = EMAIL.leedsReception;

const CHART = `query($id: ID!) {
  customer(id: $id) {
    examinations { id status history refractions { sphere } }
    spectaclePrescriptions { rightSphere }
  }
}`;

interface ChainRow { id: string; seq: string; prev_hash: Buffer; hash: Buffer; request_id: string }

describe('tamper-evident clinical access log', () => {
  let app: TestApp;
  let chainId: string;
  let patientId: string;
  let optometristToken: string;
  let receptionToken: string;

  async function chainRows(chain = chainId): Promise<ChainRow[]> {
    return app.clinical.query('SELECT id::text AS id, seq::text AS seq, prev_hash, hash, request_id FROM clinical_access_log_entry WHERE chain_id = $1 ORDER BY clinical_access_log_entry.seq', [chain]);
  }

  async function readChart(token = optometristToken): Promise<GraphQLResult<unknown>> {
    const result = await app.request(CHART, { id: patientId }, token);
    expect(result.status).toBe(200);
    return result;
  }

  /** Runs `tamper` and then `check` in one transaction with the user triggers off (as the owner), then rolls it all back. */
  async function tampered(tamper: (q: QueryRunner) => Promise<void>, check: (q: QueryRunner) => Promise<void>): Promise<void> {
    const q = app.ownerClinical.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await q.query('ALTER TABLE clinical_access_log_entry DISABLE TRIGGER USER');
      await tamper(q);
      await q.query('ALTER TABLE clinical_access_log_entry ENABLE TRIGGER USER');
      await check(q);
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  }

  function chainReport(result: VerifyResult, chain = chainId) {
    const report = result.chains.find((c) => c.chainId === chain);
    expect(report).toBeDefined();
    return report!;
  }

  beforeAll(async () => {
    app = await startTestApp();
    const [leeds] = (await app.core.query("SELECT id, chain_id FROM store WHERE name = 'Leeds'")) as { id: string; chain_id: string }[];
    chainId = leeds.chain_id;
    const exams = (await app.clinical.query('SELECT customer_id FROM examination WHERE store_id = $1 ORDER BY customer_id LIMIT 1', [leeds.id])) as { customer_id: string }[];
    patientId = exams[0].customer_id;
    optometristToken = await app.login(OPTOMETRIST);
    receptionToken = await app.login(RECEPTION);
    // some real clinical reads: granted, denied, and a page of customers
    for (let i = 0; i < 3; i += 1) await readChart();
    await readChart(receptionToken);
    await app.request('query($s: ID!) { customers(first: 10, storeId: $s) { edges { node { id examinations { id status } } } } }', { s: leeds.id }, optometristToken);
  });
  afterAll(() => app.stop());

  it('chains the entries real API reads write: seq 1, 2, 3…, each prev_hash the previous hash, and verifies OK', async () => {
    const rows = await chainRows();
    expect(rows.length).toBeGreaterThanOrEqual(8);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(String(i + 1));
      expect(row.hash).toHaveLength(32);
      expect(row.prev_hash.equals(i === 0 ? ZERO_HASH : rows[i - 1].hash)).toBe(true);
    });
    // the hash PostgreSQL stored is the one the verifier computes in Node
    for (const entry of await chainEntries(app.clinical, chainId)) expect(entryHash(entry).equals(entry.hash)).toBe(true);

    for (const batchSize of [5000, 3]) {
      const result = await verifyChains(app.clinical, { batchSize });
      expect(result.ok).toBe(true);
      const report = chainReport(result);
      expect(report).toEqual({ chainId, ok: true, entries: rows.length, head: { seq: String(rows.length), hash: rows[rows.length - 1].hash.toString('hex') } });
    }
  });

  it('covers every column but hash in the canonical form, which PostgreSQL and Node build byte for byte alike', async () => {
    const columns = ((await app.clinical.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'clinical_access_log_entry' AND column_name <> 'hash'",
    )) as { column_name: string }[]).map((c) => c.column_name);
    expect([...columns].sort()).toEqual([...CANONICAL_COLUMNS].sort());

    // awkward values written straight to a fresh chain: NULLs, empty arrays, non-ASCII, separators; any seq/hash given is
    // overridden, and with no content hash given the database computes it (function clinical_access_log_content_v2)
    const chain = randomUUID();
    await app.clinical.query(
      `INSERT INTO clinical_access_log_entry (chain_id, user_id, session_id, request_id, client_address, operation_name, customer_id, store_id, subject,
         record_ids, fields, outcome, user_agent, purpose, assignment_ids, emergency_access_id, seq, prev_hash, hash, canon_version)
       VALUES ($1, $2, $2, 'r:1,2', NULL, 'Prüfung ✓ "x"', $2, NULL, '-', '{}', '{}', 'DENIED', NULL, '', '{}', NULL, 99, '\\x01', '\\x02', 1),
              ($1, $2, $2, '3:abc,', '::1', NULL, $2, $2, '[]', ARRAY[$2::uuid], ARRAY['a,b', '', 'ü', '5:x,'], 'GRANTED',
               'Mozilla/5.0 (X11; ü)', 'follow-up, 2:x,', ARRAY[$2::uuid, $1::uuid], $1, 7, '\\x03', '\\x04', 1)`,
      [chain, randomUUID()],
    );
    const rows = await chainRows(chain);
    expect(rows.map((r) => r.seq)).toEqual(['1', '2']);
    expect(rows[0].prev_hash.equals(ZERO_HASH)).toBe(true);
    expect(rows[1].prev_hash.equals(rows[0].hash)).toBe(true);
    const fromSql = (await app.clinical.query(
      'SELECT clinical_access_log_content_v2(e) AS c, content_hash, canon_version FROM clinical_access_log_entry e WHERE chain_id = $1 ORDER BY seq', [chain],
    )) as { c: Buffer; content_hash: Buffer; canon_version: number }[];
    expect(fromSql.map((r) => r.canon_version)).toEqual([2, 2]);
    const entries = await chainEntries(app.clinical, chain);
    expect(entries.map((e) => contentV2(e).toString('utf8'))).toEqual(fromSql.map((r) => r.c.toString('utf8')));
    entries.forEach((e, i) => expect(contentHashV2(e).equals(fromSql[i].content_hash)).toBe(true));
    expect(contentV2(entries[0]).toString('utf8')).toContain(`5:r:1,2,--${Buffer.byteLength('Prüfung ✓ "x"')}:Prüfung ✓ "x",0:,`);
    expect(contentV2(entries[1]).toString('utf8')).toContain('[3:a,b,0:,2:ü,4:5:x,,]');
    expect(contentV2(entries[1]).toString('utf8')).toContain(`15:follow-up, 2:x,,`);
    expect(chainReport(await verifyChains(app.clinical), chain)).toMatchObject({ ok: true, entries: 2 });
  });

  it('chains, dates and hashes a direct INSERT by the application role itself, whatever it supplies', async () => {
    const chain = randomUUID();
    const user = randomUUID();
    const bogus = Buffer.alloc(32, 7);
    // app.clinical connects as the application role (not the owner of the append function); rolled back after
    const q = app.clinical.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await q.query(
        `INSERT INTO clinical_access_log_entry (chain_id, occurred_at, user_id, session_id, request_id, customer_id, subject, record_ids, fields, outcome,
           canon_version, content_hash, seq, prev_hash, hash)
         VALUES ($1, '2001-01-01T00:00:00Z', $2, $2, 'direct', $2, 'Examination', '{}', ARRAY['history'], 'GRANTED', 2, $3, 41, $3, $3),
                ($1, '2001-01-01T00:00:00Z', $2, $2, 'direct', $2, 'Examination', '{}', ARRAY['status'], 'GRANTED', 2, $3, 42, $3, $3)`,
        [chain, user, bogus],
      );
      const rows = (await q.query(
        'SELECT seq::text AS seq, prev_hash, hash, content_hash, occurred_at FROM clinical_access_log_entry WHERE chain_id = $1 ORDER BY seq', [chain],
      )) as (ChainRow & { content_hash: Buffer; occurred_at: Date })[];
      expect(rows.map((r) => r.seq)).toEqual(['1', '2']);
      expect(rows[0].prev_hash.equals(ZERO_HASH)).toBe(true);
      expect(rows[1].prev_hash.equals(rows[0].hash)).toBe(true);
      for (const row of rows) {
        expect(row.content_hash.equals(bogus)).toBe(false);
        expect(Math.abs(Date.now() - row.occurred_at.getTime())).toBeLessThan(60_000);
      }
      expect(chainReport(await verifyChains(q), chain)).toMatchObject({ ok: true, entries: 2 });
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  });

  it('dates entries through the append function itself: it takes no time and no hashes from the API', async () => {
    const id = randomUUID();
    // the old form, with a time and content hashes to trust, no longer exists
    await expect(app.clinical.query(
      `SELECT clinical_access_log_append($1, '2001-01-01T00:00:00Z', $1, $1, 'old', NULL, NULL, NULL, NULL,
         ARRAY[$1::uuid], ARRAY[NULL::uuid], ARRAY['Examination'], ARRAY['{}'], ARRAY['{history}'], ARRAY['GRANTED'], ARRAY['{}'], ARRAY[NULL::uuid], ARRAY[$2::bytea])`,
      [id, Buffer.alloc(32, 1)],
    )).rejects.toThrow(/function clinical_access_log_append.* does not exist/);
  });

  it('goes on past an altered entry whose link is intact, so later tampering is still found', async () => {
    const chain = randomUUID();
    const user = randomUUID();
    try {
      // as the application role, through the append function, as the API writes them
      for (const request of ['first', 'second', 'third']) {
        await app.clinical.query(
          `SELECT clinical_access_log_append($1, $2, $2, $3, NULL, NULL, NULL, NULL, ARRAY[$2::uuid], ARRAY[NULL::uuid], ARRAY['Examination'],
             ARRAY['{}'], ARRAY['{history}'], ARRAY['GRANTED'], ARRAY['{}'], ARRAY[NULL::uuid])`,
          [chain, user, request],
        );
      }
      expect(chainReport(await verifyChains(app.clinical), chain)).toMatchObject({ ok: true, entries: 3 });
      await tampered(
        async (t) => {
          await t.query("UPDATE clinical_access_log_entry SET fields = ARRAY['notes'] WHERE chain_id = $1 AND seq = 2", [chain]);
          await t.query("UPDATE clinical_access_log_entry SET fields = ARRAY['status'] WHERE chain_id = $1 AND seq = 3", [chain]);
        },
        async (t) => {
          const result = await verifyChains(t);
          const report = chainReport(result, chain);
          expect(report.problems!.map((p) => [p.kind, p.seq])).toEqual([['altered', '2'], ['altered', '3']]);
          expect(report.entries).toBe(1);
          expect(formatReport(result).join('\n')).toContain('and 1 more: altered seq 3');
        },
      );
    } finally {
      // committed, so removed again: the other tests expect every chain but the one they tamper with to verify
      await app.ownerClinical.transaction(async (tx) => {
        await tx.query('ALTER TABLE clinical_access_log_entry DISABLE TRIGGER USER');
        await tx.query('DELETE FROM clinical_access_log_entry WHERE chain_id = $1', [chain]);
        await tx.query('ALTER TABLE clinical_access_log_entry ENABLE TRIGGER USER');
      });
    }
  });

  it('keeps verifying entries written in canonical form 1 (before the v2 migration), and chains v2 entries after them', async () => {
    const chain = randomUUID();
    const user = randomUUID();
    // a version 1 entry as the AccessLogHashChain migration's trigger wrote it (that trigger is replaced, so by hand, as the owner)
    const q = app.ownerClinical.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await q.query('ALTER TABLE clinical_access_log_entry DISABLE TRIGGER USER');
      await q.query(
        `INSERT INTO clinical_access_log_entry (chain_id, user_id, session_id, request_id, customer_id, subject, record_ids, fields, outcome, seq, prev_hash, hash, canon_version)
         VALUES ($1, $2, $2, 'v1-request', $2, 'Examination', '{}', ARRAY['history'], 'GRANTED', 1, $3, '\\x00', 1)`,
        [chain, user, ZERO_HASH],
      );
      await q.query('UPDATE clinical_access_log_entry e SET hash = sha256(clinical_access_log_canonical(e)) WHERE chain_id = $1', [chain]);
      await q.query('ALTER TABLE clinical_access_log_entry ENABLE TRIGGER USER');
      await q.commitTransaction();
    } finally {
      if (q.isTransactionActive) await q.rollbackTransaction();
      await q.release();
    }
    // then a version 2 entry through the trigger, as after the migration
    await app.clinical.query(
      `INSERT INTO clinical_access_log_entry (chain_id, user_id, session_id, request_id, customer_id, subject, record_ids, fields, outcome)
       VALUES ($1, $2, $2, 'v2-request', $2, 'Examination', '{}', ARRAY['status'], 'GRANTED')`,
      [chain, user],
    );
    const [v1, v2] = await chainEntries(app.clinical, chain);
    expect([v1.canon_version, v2.canon_version]).toEqual([1, 2]);
    expect(canonicalV1(v1).toString('utf8')).toContain('28:visus.clinical_access_log.v1,');
    expect(entryHash(v1).equals(v1.hash)).toBe(true);
    expect(v2.prev_hash.equals(v1.hash)).toBe(true);
    expect(entryIntact(v2)).toBe(true);
    expect(chainReport(await verifyChains(app.clinical), chain)).toMatchObject({ ok: true, entries: 2 });
    // flipping an entry's form is caught
    await tampered(
      (t) => t.query('UPDATE clinical_access_log_entry SET canon_version = 1 WHERE chain_id = $1 AND seq = 2', [chain]),
      async (t) => expect(chainReport(await verifyChains(t), chain).problem).toMatchObject({ kind: 'altered', seq: '2' }),
    );
  });

  it('names an entry whose fields were edited as altered', async () => {
    const rows = await chainRows();
    const victim = rows[3];
    await tampered(
      (q) => q.query("UPDATE clinical_access_log_entry SET outcome = 'DENIED', fields = ARRAY['id'] WHERE id = $1", [victim.id]),
      async (q) => {
        const result = await verifyChains(q);
        expect(result.ok).toBe(false);
        const report = chainReport(result);
        expect(report.problem).toMatchObject({ kind: 'altered', seq: '4', id: victim.id });
        expect(report.entries).toBe(3);
        // another chain is unaffected
        expect(result.chains.filter((c) => c.chainId !== chainId).every((c) => c.ok)).toBe(true);
      },
    );
    // a subtler edit: only the time moves by one microsecond
    await tampered(
      (q) => q.query("UPDATE clinical_access_log_entry SET occurred_at = occurred_at + interval '1 microsecond' WHERE id = $1", [rows[1].id]),
      async (q) => expect(chainReport(await verifyChains(q)).problem).toMatchObject({ kind: 'altered', seq: '2', id: rows[1].id }),
    );
  });

  it('names a deleted entry as removed, also when the later entries were renumbered to close the gap', async () => {
    const rows = await chainRows();
    await tampered(
      (q) => q.query('DELETE FROM clinical_access_log_entry WHERE id = $1', [rows[4].id]),
      async (q) => {
        const report = chainReport(await verifyChains(q));
        expect(report.problem).toMatchObject({ kind: 'removed', seq: '5', id: null });
        expect(report.problem!.message).toContain(`next entry present is seq 6, id ${rows[5].id}`);
      },
    );
    await tampered(
      (q) => q.query('DELETE FROM clinical_access_log_entry WHERE id = $1', [rows[0].id]),
      async (q) => expect(chainReport(await verifyChains(q)).problem).toMatchObject({ kind: 'removed', seq: '1', id: null }),
    );
    await tampered(
      async (q) => {
        await q.query('DELETE FROM clinical_access_log_entry WHERE id = $1', [rows[4].id]);
        await q.query('UPDATE clinical_access_log_entry SET seq = -seq WHERE chain_id = $1 AND seq > 5', [chainId]);
        await q.query('UPDATE clinical_access_log_entry SET seq = -seq - 1 WHERE chain_id = $1 AND seq < 0', [chainId]);
      },
      async (q) => expect(chainReport(await verifyChains(q)).problem).toMatchObject({ kind: 'removed', seq: '5', id: rows[5].id }),
    );
  });

  it('names the first of two swapped entries as reordered', async () => {
    const rows = await chainRows();
    const [a, b] = [rows[2], rows[3]];
    await tampered(
      async (q) => {
        await q.query('UPDATE clinical_access_log_entry SET seq = -1 WHERE id = $1', [a.id]);
        await q.query('UPDATE clinical_access_log_entry SET seq = 3 WHERE id = $1', [b.id]);
        await q.query('UPDATE clinical_access_log_entry SET seq = 4 WHERE id = $1', [a.id]);
      },
      async (q) => {
        const report = chainReport(await verifyChains(q));
        expect(report.problem).toMatchObject({ kind: 'reordered', seq: '3', id: b.id });
        expect(report.entries).toBe(2);
      },
    );
  });

  it('keeps one gap-free chain under 20 concurrent requests', async () => {
    const before = (await chainRows()).length;
    const results = await Promise.all(Array.from({ length: 20 }, () => app.request(CHART, { id: patientId }, optometristToken)));
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.errors).toBeUndefined();
    }
    const rows = await chainRows();
    expect(rows).toHaveLength(before + 40);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(String(i + 1));
      expect(row.prev_hash.equals(i === 0 ? ZERO_HASH : rows[i - 1].hash)).toBe(true);
    });
    // unforked: no two entries share a predecessor; and each request's entries are contiguous (the lock serialises whole requests)
    expect(new Set(rows.map((r) => r.prev_hash.toString('hex'))).size).toBe(rows.length);
    const requestIds = results.map((r) => r.headers.get('x-request-id'));
    for (const requestId of requestIds) {
      const seqs = rows.filter((r) => r.request_id === requestId).map((r) => Number(r.seq));
      expect(seqs).toHaveLength(2);
      expect(seqs[1] - seqs[0]).toBe(1);
    }
    const result = await verifyChains(app.clinical);
    expect(result.ok).toBe(true);
    expect(chainReport(result).entries).toBe(before + 40);
  });

  it('catches entries cut from the end after their head was exported', async () => {
    const heads = parseHeads(JSON.stringify(await exportHeads(app.clinical)));
    const head = heads.find((h) => h.chainId === chainId)!;
    const rows = await chainRows();
    expect(head).toMatchObject({ seq: String(rows.length), hash: rows[rows.length - 1].hash.toString('hex') });
    expect(new Date(head.exportedAt).getTime()).not.toBeNaN();

    await readChart(); // the chain grows past the exported head: still fine
    expect((await verifyChains(app.clinical, { heads })).ok).toBe(true);

    const last = Number(head.seq);
    await tampered(
      (q) => q.query('DELETE FROM clinical_access_log_entry WHERE chain_id = $1 AND seq >= $2', [chainId, last - 1]),
      async (q) => {
        // on its own the shortened chain is consistent; only the exported head gives it away
        expect(chainReport(await verifyChains(q)).ok).toBe(true);
        const result = await verifyChains(q, { heads });
        expect(result.ok).toBe(false);
        expect(chainReport(result).problem).toMatchObject({ kind: 'truncated', seq: head.seq, id: null });
        expect(chainReport(result).entries).toBe(last - 2);
      },
    );
    // cut back and then written past the exported seq again: that seq now holds another hash
    await tampered(
      async (q) => {
        await q.query('DELETE FROM clinical_access_log_entry WHERE chain_id = $1 AND seq >= $2', [chainId, last]);
      },
      async (q) => {
        await q.query(
          `INSERT INTO clinical_access_log_entry (chain_id, user_id, session_id, request_id, customer_id, subject, record_ids, fields, outcome)
           VALUES ($1, $2, $2, 'forged', $2, 'Examination', '{}', '{}', 'GRANTED'), ($1, $2, $2, 'forged', $2, 'Examination', '{}', '{}', 'GRANTED')`,
          [chainId, randomUUID()],
        );
        const result = await verifyChains(q, { heads });
        expect(chainReport(result).problem).toMatchObject({ kind: 'truncated', seq: head.seq });
      },
    );
    // a whole chain gone
    await tampered(
      (q) => q.query('DELETE FROM clinical_access_log_entry WHERE chain_id = $1', [chainId]),
      async (q) => expect(chainReport(await verifyChains(q, { heads })).problem).toMatchObject({ kind: 'truncated', seq: head.seq }),
    );
    // untouched, the log still verifies against the export
    expect((await verifyChains(app.clinical, { heads })).ok).toBe(true);
  });
});
