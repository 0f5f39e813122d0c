/**
 * The data change logs are tamper-evident: entries of each chain of stores form a gap-free SHA-256 hash
 * chain computed by the database on INSERT, in each log (personal: core database; clinical: clinical
 * database). The verifier (src/hash-chain/change-log-chain.ts, behind `npm run audit:verify`) recomputes it
 * independently and names the first entry that was altered, removed or reordered, or a tail cut after its
 * head was exported; concurrent mutations do not fork a chain. Tampering runs as the superuser with the
 * log's triggers disabled, inside a transaction that is rolled back, so each case starts intact.
 */
import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import {
  CHANGE_LOG_CANONICAL_COLUMNS, CHANGE_LOGS, canonicalChangeEntry, changeEntryHash, changesDigest, changeLogEntries, ChangeLogDefinition,
  exportChangeLogHeads, formatChangeLogReport, splitHeads, verifyChangeLog, verifyChangeLogs,
} from '../../src/hash-chain/change-log-chain';
import { ZERO_HASH } from '../../src/hash-chain/verify-chain';
import { VerifyResult } from '../../src/hash-chain/chain-report';
import { ChangeLogKind } from '../../src/schema/enums';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const MANAGER = EMAIL.leedsManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const UPDATE_CUSTOMER = 'mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }';
const ADD_NOTE = 'mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }';

const PERSONAL = CHANGE_LOGS.find((l) => l.kind === ChangeLogKind.PERSONAL)!;
const CLINICAL = CHANGE_LOGS.find((l) => l.kind === ChangeLogKind.CLINICAL)!;

interface ChainRow { id: string; seq: string; prev_hash: Buffer; hash: Buffer; request_id: string }

describe('tamper-evident data change logs', () => {
  let app: TestApp;
  let chainId: string;
  let leedsId: string;
  let customers: string[];
  let managerToken: string;
  let optometristToken: string;
  let phone = 0;

  const dbOf = (log: ChangeLogDefinition): DataSource => (log.database === 'core' ? app.core : app.clinical);

  /** A mutation that writes one entry to `log`. */
  async function change(log: ChangeLogDefinition, i = 0): Promise<string> {
    const customerId = customers[i % customers.length];
    phone += 1;
    const result = log === PERSONAL
      ? await app.request(UPDATE_CUSTOMER, { id: customerId, input: { phone: `0113 496 ${String(phone).padStart(4, '0')}` } }, managerToken)
      : await app.request(ADD_NOTE, { input: { customerId, storeId: leedsId, plan: `Review ${phone}` } }, optometristToken);
    expect(result.errors).toBeUndefined();
    return result.headers.get('x-request-id')!;
  }

  async function chainRows(log: ChangeLogDefinition, chain = chainId): Promise<ChainRow[]> {
    // ORDER BY e.seq: the bare name would sort the text output column
    return dbOf(log).query(`SELECT id::text AS id, seq::text AS seq, prev_hash, hash, request_id FROM ${log.table} e WHERE chain_id = $1 ORDER BY e.seq`, [chain]);
  }

  /** Runs `tamper` and then `check` in one transaction with the log's user triggers off (as the owner), then rolls it all back. */
  async function tampered(log: ChangeLogDefinition, tamper: (q: QueryRunner) => Promise<void>, check: (q: QueryRunner) => Promise<void>): Promise<void> {
    const q = (log.database === 'core' ? app.ownerCore : app.ownerClinical).createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await q.query(`ALTER TABLE ${log.table} DISABLE TRIGGER USER`);
      await tamper(q);
      await q.query(`ALTER TABLE ${log.table} ENABLE TRIGGER USER`);
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
    [{ id: leedsId, chain_id: chainId }] = await app.core.query(`SELECT id, chain_id FROM store WHERE name = 'Leeds'`);
    const rows: { id: string }[] = await app.core.query(
      `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' AND date_of_birth < current_date - interval '20 years' ORDER BY id LIMIT 20`, [leedsId]);
    customers = rows.map((r) => r.id);
    managerToken = await app.login(MANAGER);
    optometristToken = await app.login(OPTOMETRIST);
    for (let i = 0; i < 8; i += 1) {
      await change(PERSONAL, i);
      await change(CLINICAL, i);
    }
  });
  afterAll(() => app.stop());

  describe.each([['personal', PERSONAL], ['clinical', CLINICAL]] as const)('%s change log', (_name, log) => {
    it('chains the entries real mutations write: seq 1, 2, 3…, each prev_hash the previous hash, and verifies OK', async () => {
      const rows = await chainRows(log);
      expect(rows.length).toBeGreaterThanOrEqual(8);
      rows.forEach((row, i) => {
        expect(row.seq).toBe(String(i + 1));
        expect(row.hash).toHaveLength(32);
        expect(row.prev_hash.equals(i === 0 ? ZERO_HASH : rows[i - 1].hash)).toBe(true);
      });
      for (const entry of await changeLogEntries(dbOf(log), log, chainId)) expect(changeEntryHash(log, entry).equals(entry.hash)).toBe(true);
      for (const batchSize of [5000, 3]) {
        const report = chainReport(await verifyChangeLog(dbOf(log), log, { batchSize }));
        expect(report).toEqual({ chainId, ok: true, entries: rows.length, head: { seq: String(rows.length), hash: rows[rows.length - 1].hash.toString('hex') } });
      }
    });

    it('dates an entry the application role writes now, whatever time it supplies (no backdating)', async () => {
      const q = dbOf(log).createQueryRunner(); // the application role's connection; rolled back after
      await q.connect();
      await q.startTransaction();
      try {
        const [{ occurred_at: occurredAt }] = (await q.query(
          `INSERT INTO ${log.table} (chain_id, occurred_at, user_id, session_id, request_id, action, subject, record_type, record_id, customer_id, store_id, changes)
           VALUES ($1, '2001-01-01T00:00:00Z', $2, $2, 'backdated', 'UPDATE', 'Customer', 'Customer', $2, $2, NULL, '{}') RETURNING occurred_at`,
          [chainId, customers[0]],
        )) as { occurred_at: Date }[];
        expect(Math.abs(Date.now() - occurredAt.getTime())).toBeLessThan(60_000);
      } finally {
        await q.rollbackTransaction();
        await q.release();
      }
    });

    it('covers every column but hash in the canonical form, which PostgreSQL and Node build byte for byte alike', async () => {
      const columns = ((await dbOf(log).query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND column_name <> 'hash'", [log.table],
      )) as { column_name: string }[]).map((c) => c.column_name);
      expect([...columns].sort()).toEqual([...CHANGE_LOG_CANONICAL_COLUMNS].sort());

      // awkward values on a fresh chain: NULLs, non-ASCII, separators, jsonb with unsorted and duplicate keys,
      // nested values and numbers with trailing zeros; any seq/hash given is overridden
      const chain = randomUUID();
      const someone = randomUUID();
      await dbOf(log).query(
        `INSERT INTO ${log.table} (chain_id, user_id, session_id, request_id, client_address, user_agent, operation_name, action, subject, record_type, record_id, customer_id, store_id, changes, seq, prev_hash, hash)
         VALUES ($1, $2, $2, 'r:1,2', NULL, NULL, 'Prüfung ✓ "x"', 'CREATE', '-', 'Customer', $2, $2, NULL, '{"zeta": {"before": null, "after": 1.50}, "a": {"after": "ü,5:x,", "before": [1, {"b": 2, "a": 1}]}, "a": {"before": 0, "after": 1}}', 99, '\\x01', '\\x02'),
                ($1, $2, $2, '3:abc,', '::1', 'curl/8', NULL, 'ERASE', 'Customer', 'Customer', $2, $2, $2, '{}', 7, '\\x03', '\\x04')`,
        [chain, someone],
      );
      const rows = await chainRows(log, chain);
      expect(rows.map((r) => r.seq)).toEqual(['1', '2']);
      expect(rows[0].prev_hash.equals(ZERO_HASH)).toBe(true);
      expect(rows[1].prev_hash.equals(rows[0].hash)).toBe(true);
      const canonical = log === PERSONAL ? 'personal_change_log_canonical' : 'clinical_change_log_canonical';
      const fromSql = (await dbOf(log).query(`SELECT ${canonical}(e) AS c FROM ${log.table} e WHERE chain_id = $1 ORDER BY e.seq`, [chain])) as { c: Buffer }[];
      const entries = await changeLogEntries(dbOf(log), log, chain);
      expect(entries.map((e) => canonicalChangeEntry(log, e).toString('utf8'))).toEqual(fromSql.map((r) => r.c.toString('utf8')));
      const first = canonicalChangeEntry(log, entries[0]).toString('utf8');
      expect(first.startsWith(`${log.label.length}:${log.label},`)).toBe(true);
      // jsonb's own rendering: the last duplicate key wins, keys sorted shorter first, numbers as stored
      const json = '{"a": {"after": 1, "before": 0}, "zeta": {"after": 1.50, "before": null}}';
      // canonical form v2 covers the SHA-256 of that rendering (changes_digest), not the values themselves
      expect(first).toContain(`64:${changesDigest(json).toString('hex')},`);
      expect(entries[0].changes).toBe(json);
      expect(first).toContain(`-${Buffer.byteLength('Prüfung ✓ "x"')}:Prüfung ✓ "x",`);
      expect(chainReport(await verifyChangeLog(dbOf(log), log), chain)).toMatchObject({ ok: true, entries: 2 });
      // the label binds an entry to its log: the other log's label gives another hash
      const other = log === PERSONAL ? CLINICAL : PERSONAL;
      expect(changeEntryHash(other, entries[0]).equals(entries[0].hash)).toBe(false);
    });

    it('names an entry whose values were edited as altered', async () => {
      const rows = await chainRows(log);
      await tampered(log,
        (q) => q.query(`UPDATE ${log.table} SET changes = changes || '{"phone": {"before": null, "after": "edited"}}' WHERE id = $1`, [rows[3].id]),
        async (q) => {
          const result = await verifyChangeLog(q, log);
          expect(result.ok).toBe(false);
          const report = chainReport(result);
          expect(report.problem).toMatchObject({ kind: 'altered', seq: '4', id: rows[3].id });
          expect(report.entries).toBe(3);
          expect(formatChangeLogReport(log, result).join('\n')).toContain(`FAIL  ${log.title}, chain ${chainId}: altered: entry seq 4 (id ${rows[3].id}) was altered`);
        });
      // a subtler edit: the user agent only
      await tampered(log,
        (q) => q.query(`UPDATE ${log.table} SET user_agent = 'other' WHERE id = $1`, [rows[1].id]),
        async (q) => expect(chainReport(await verifyChangeLog(q, log)).problem).toMatchObject({ kind: 'altered', seq: '2', id: rows[1].id }));
    });

    it('names a deleted entry as removed, also when the later entries were renumbered to close the gap', async () => {
      const rows = await chainRows(log);
      await tampered(log,
        (q) => q.query(`DELETE FROM ${log.table} WHERE id = $1`, [rows[4].id]),
        async (q) => {
          const report = chainReport(await verifyChangeLog(q, log));
          expect(report.problem).toMatchObject({ kind: 'removed', seq: '5', id: null });
          expect(report.problem!.message).toContain(`next entry present is seq 6, id ${rows[5].id}`);
        });
      await tampered(log,
        async (q) => {
          await q.query(`DELETE FROM ${log.table} WHERE id = $1`, [rows[4].id]);
          await q.query(`UPDATE ${log.table} SET seq = -seq WHERE chain_id = $1 AND seq > 5`, [chainId]);
          await q.query(`UPDATE ${log.table} SET seq = -seq - 1 WHERE chain_id = $1 AND seq < 0`, [chainId]);
        },
        async (q) => expect(chainReport(await verifyChangeLog(q, log)).problem).toMatchObject({ kind: 'removed', seq: '5', id: rows[5].id }));
    });

    it('names the first of two swapped entries as reordered', async () => {
      const rows = await chainRows(log);
      const [a, b] = [rows[2], rows[3]];
      await tampered(log,
        async (q) => {
          await q.query(`UPDATE ${log.table} SET seq = -1 WHERE id = $1`, [a.id]);
          await q.query(`UPDATE ${log.table} SET seq = 3 WHERE id = $1`, [b.id]);
          await q.query(`UPDATE ${log.table} SET seq = 4 WHERE id = $1`, [a.id]);
        },
        async (q) => {
          const report = chainReport(await verifyChangeLog(q, log));
          expect(report.problem).toMatchObject({ kind: 'reordered', seq: '3', id: b.id });
          expect(report.entries).toBe(2);
        });
    });

    it('keeps one gap-free chain under 20 concurrent mutations', async () => {
      const before = (await chainRows(log)).length;
      const requestIds = await Promise.all(Array.from({ length: 20 }, (_, i) => change(log, i)));
      const rows = await chainRows(log);
      expect(rows).toHaveLength(before + 20);
      rows.forEach((row, i) => {
        expect(row.seq).toBe(String(i + 1));
        expect(row.prev_hash.equals(i === 0 ? ZERO_HASH : rows[i - 1].hash)).toBe(true);
      });
      // unforked: no two entries share a predecessor; every mutation has its entry
      expect(new Set(rows.map((r) => r.prev_hash.toString('hex'))).size).toBe(rows.length);
      expect(new Set(rows.slice(before).map((r) => r.request_id))).toEqual(new Set(requestIds));
      const report = chainReport(await verifyChangeLog(dbOf(log), log));
      expect(report).toMatchObject({ ok: true, entries: before + 20 });
    });

    it('catches entries cut from the end after their head was exported', async () => {
      const heads = await exportChangeLogHeads(dbOf(log), log);
      const head = heads.find((h) => h.chainId === chainId)!;
      const rows = await chainRows(log);
      expect(head).toMatchObject({ log: log.headTag, seq: String(rows.length), hash: rows[rows.length - 1].hash.toString('hex') });
      await change(log); // the chain grows past the exported head: still fine
      expect((await verifyChangeLog(dbOf(log), log, { heads })).ok).toBe(true);

      const last = Number(head.seq);
      await tampered(log,
        (q) => q.query(`DELETE FROM ${log.table} WHERE chain_id = $1 AND seq >= $2`, [chainId, last - 1]),
        async (q) => {
          expect(chainReport(await verifyChangeLog(q, log)).ok).toBe(true);
          const report = chainReport(await verifyChangeLog(q, log, { heads }));
          expect(report.problem).toMatchObject({ kind: 'truncated', seq: head.seq, id: null });
        });
      await tampered(log,
        (q) => q.query(`DELETE FROM ${log.table} WHERE chain_id = $1`, [chainId]),
        async (q) => expect(chainReport(await verifyChangeLog(q, log, { heads })).problem).toMatchObject({ kind: 'truncated', seq: head.seq }));
    });
  });

  it('one heads file holds every log; each log is verified against its own heads', async () => {
    const personal = await exportChangeLogHeads(app.core, PERSONAL);
    const clinical = await exportChangeLogHeads(app.clinical, CLINICAL);
    const accessLogHead = { log: 'clinical_access_log', chainId, seq: '3', hash: 'ab'.repeat(32), exportedAt: '' };
    const legacyHead = { chainId, seq: '4', hash: 'cd'.repeat(32), exportedAt: '' };
    const split = splitHeads(JSON.stringify([accessLogHead, ...personal, ...clinical, legacyHead]));
    expect(split.accessLog).toEqual([accessLogHead, legacyHead]);
    expect(split.changeLogs.get(ChangeLogKind.PERSONAL)).toEqual(personal.map(({ log: _log, ...head }) => head));
    expect(split.changeLogs.get(ChangeLogKind.CLINICAL)).toEqual(clinical.map(({ log: _log, ...head }) => head));
    expect(() => splitHeads(JSON.stringify([{ log: 'personal_change_log', chainId, seq: 'x', hash: 'ab' }]))).toThrow('head 0');

    const verified = await verifyChangeLogs({ core: app.core, clinical: app.clinical }, split.changeLogs);
    expect(verified.ok).toBe(true);
    expect(verified.lines).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^OK    personal change log, chain ${chainId}: \\d+ entries, head seq \\d+ hash [0-9a-f]{64}$`)),
      expect.stringMatching(new RegExp(`^OK    clinical change log, chain ${chainId}: \\d+ entries, head seq \\d+ hash [0-9a-f]{64}$`)),
    ]));
    // the personal log's heads do not vouch for the clinical log: swapped, both fail
    const swapped = new Map([[ChangeLogKind.PERSONAL, split.changeLogs.get(ChangeLogKind.CLINICAL)!], [ChangeLogKind.CLINICAL, split.changeLogs.get(ChangeLogKind.PERSONAL)!]]);
    expect((await verifyChangeLogs({ core: app.core, clinical: app.clinical }, swapped)).ok).toBe(false);
  });
});
