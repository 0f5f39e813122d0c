/**
 * The clinical access log's group commit: concurrent requests' entries are linked into the chain and inserted
 * together (one statement per batch), each request is answered only once its batch has committed, every entry
 * still names the user and session whose rights the read used, and a batch that cannot be written fails every
 * request in it (no clinical data returned) and leaves none of their rows (fail closed).
 *
 * To make batches deterministic the suite holds the chain's advisory lock (the one the append function takes)
 * from an owner connection: the first request's write waits on it, the requests ending meanwhile queue behind
 * it, and releasing the lock lets the first write through and then the queued ones as one batch. The chain is
 * checked with a link recomputed here from the documented form (hash = SHA-256(value(seq) || prev_hash ||
 * content_hash), docs/audit-trail.md) and content hashes recomputed by the database's reference function
 * `clinical_access_log_content_v2` (not the batch function's piecewise build), and with `audit:verify`'s verifier.
 */
import { createHash } from 'node:crypto';
import { QueryRunner } from 'typeorm';
import { accessLogWriter, AccessLogRequest, appendBatch } from '../../src/hash-chain/access-log-writer';
import { verifyChains } from '../../src/hash-chain/verify-chain';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const READERS = [EMAIL.leedsOptometrist, EMAIL.leedsManager, EMAIL.northManager, EMAIL.chainManager];
const SEEDED_HISTORY = 'No relevant ocular history';

const CHART = `query($id: ID!) { customer(id: $id) { id examinations { id history refractions { sphere } } spectaclePrescriptions { rightSphere } } }`;

interface ChartData {
  customer: { id: string; examinations: { id: string; history: string | null }[] | null } | null;
}

interface EntryRow {
  seq: string;
  request_id: string;
  user_id: string;
  session_id: string;
  customer_id: string;
  subject: string;
  outcome: string;
  tx: string;
  prev_hash: Buffer;
  hash: Buffer;
  content_hash: Buffer;
  content_ok: boolean;
}

/** Canonical form 2's value encoding (a netstring), as docs/audit-trail.md and access-log-canonical.ts document it. */
const netstring = (text: string): Buffer => Buffer.from(`${Buffer.byteLength(text, 'utf8')}:${text},`, 'utf8');
const sha256 = (...parts: Buffer[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
/** Requests in one append call: its users array, sent by the writer as a PostgreSQL array literal, by this suite as an array. */
const requestsIn = (users: unknown): number => (Array.isArray(users) ? users.length : String(users).slice(1, -1).split(',').length);

describe('clinical access log group commit', () => {
  let app: TestApp;
  let chainId: string;
  let patients: string[];
  const tokens = new Map<string, string>();
  const userIds = new Map<string, string>();
  const sessionIds = new Map<string, string>();
  /** Every append call the API made: how many requests each carried. */
  let batchSizes: number[] = [];
  let lock: QueryRunner | null = null;

  async function holdChainLock(): Promise<void> {
    lock = app.ownerClinical.createQueryRunner();
    await lock.startTransaction();
    await lock.query(`SELECT pg_advisory_xact_lock(hashtext('clinical_access_log_entry'), hashtext($1::text))`, [chainId]);
  }

  async function releaseChainLock(): Promise<void> {
    await lock!.commitTransaction();
    await lock!.release();
    lock = null;
  }

  async function until(what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Writes waiting for the chain's advisory lock (the suite's lock is granted, so these are the API's). */
  async function waitingOnLock(): Promise<number> {
    const [{ n }] = (await app.ownerClinical.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )) as { n: number }[];
    return n;
  }

  async function entries(requestIds: string[]): Promise<EntryRow[]> {
    return app.ownerClinical.query(
      `SELECT seq::text, request_id, user_id::text, session_id::text, customer_id::text, subject, outcome::text, xmin::text AS tx,
              prev_hash, hash, content_hash, content_hash = sha256(clinical_access_log_content_v2(e.*)) AS content_ok
         FROM clinical_access_log_entry e WHERE request_id = ANY($1) ORDER BY e.seq`,
      [requestIds],
    );
  }

  /** Every entry of the chain links to its predecessor and carries the content hash of what it stores. */
  async function assertChainIntact(): Promise<void> {
    const rows = (await app.ownerClinical.query(
      `SELECT seq::text, prev_hash, hash, content_hash, canon_version,
              (canon_version <> 2 OR content_hash = sha256(clinical_access_log_content_v2(e.*))) AS content_ok
         FROM clinical_access_log_entry e WHERE chain_id = $1 ORDER BY e.seq`,
      [chainId],
    )) as { seq: string; prev_hash: Buffer; hash: Buffer; content_hash: Buffer | null; canon_version: number; content_ok: boolean }[];
    expect(rows.length).toBeGreaterThan(0);
    let prev: Buffer = Buffer.alloc(32);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(String(i + 1));
      expect(row.prev_hash.equals(prev)).toBe(true);
      expect(row.content_ok).toBe(true);
      if (row.canon_version === 2) expect(row.hash.equals(sha256(netstring(row.seq), row.prev_hash, row.content_hash!))).toBe(true);
      prev = row.hash;
    });
    const verified = await verifyChains(app.ownerClinical);
    expect(verified.chains.filter((c) => !c.ok)).toEqual([]);
  }

  const requestIdOf = (result: GraphQLResult<unknown>): string => result.headers.get('x-request-id') as string;

  function read(email: string, patient: string): Promise<GraphQLResult<ChartData>> {
    return app.request<ChartData>(CHART, { id: patient }, tokens.get(email)!);
  }

  beforeAll(async () => {
    app = await startTestApp();
    const [leeds] = (await app.core.query("SELECT id, chain_id FROM store WHERE name = 'Leeds'")) as { id: string; chain_id: string }[];
    chainId = leeds.chain_id;
    patients = ((await app.clinical.query(
      `SELECT DISTINCT e.customer_id::text AS id FROM examination e JOIN spectacle_prescription p ON p.customer_id = e.customer_id
        WHERE e.store_id = $1 ORDER BY 1 LIMIT 4`, [leeds.id],
    )) as { id: string }[]).map((r) => r.id);
    expect(patients).toHaveLength(4);
    for (const email of READERS) {
      const token = await app.login(email);
      tokens.set(email, token);
      const [session] = (await app.ownerCore.query('SELECT id::text, user_id::text FROM session WHERE token_hash = $1', [sha256(Buffer.from(token, 'utf8'))])) as { id: string; user_id: string }[];
      sessionIds.set(email, session.id);
      userIds.set(email, session.user_id);
    }
    const [{ id: optometristId }] = (await app.core.query('SELECT id::text FROM staff_user WHERE email = $1', [EMAIL.leedsOptometrist])) as { id: string }[];
    expect(userIds.get(EMAIL.leedsOptometrist)).toBe(optometristId);
    const original = app.clinical.query.bind(app.clinical);
    jest.spyOn(app.clinical, 'query').mockImplementation(((sql: string, params?: unknown[]) => {
      // The writer sends its arrays as PostgreSQL array literals (`{uuid,uuid}`); this test's direct calls send arrays.
      if (/clinical_access_log_append_batch\(/.test(sql)) batchSizes.push(requestsIn(params![1]));
      return original(sql, params);
    }) as typeof app.clinical.query);
  });
  afterEach(async () => {
    if (lock) await releaseChainLock();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app.stop();
  });

  it('writes concurrent readers’ entries in one batch, each naming its own user and session, and the chain verifies', async () => {
    batchSizes = [];
    await holdChainLock();
    const first = read(EMAIL.leedsOptometrist, patients[0]);
    await until('the first write waits on the chain lock', async () => (await waitingOnLock()) === 1);
    const queued = READERS.flatMap((email, i) => [read(email, patients[i]), read(email, patients[(i + 1) % patients.length])]);
    await until('the other requests are queued behind it', () => accessLogWriter(app.clinical).queued === queued.length);
    // Nothing is answered while its entries are not written.
    const settled = await Promise.race([Promise.all([first, ...queued]).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 300))]);
    expect(settled).toBe(false);
    await releaseChainLock();

    const results = [await first, ...(await Promise.all(queued))];
    const emails = [EMAIL.leedsOptometrist, ...READERS.flatMap((email) => [email, email])];
    const readOf = [patients[0], ...READERS.flatMap((_, i) => [patients[i], patients[(i + 1) % patients.length]])];
    for (const result of results) {
      // Answered with the data (a manager's denied fields are null with FORBIDDEN; no failure of the log).
      expect(result.status).toBe(200);
      expect(errorCodes(result).filter((code) => code !== 'FORBIDDEN')).toEqual([]);
      expect(result.data?.customer).not.toBeNull();
    }
    // One call for the first request, one for the eight queued behind it.
    expect(batchSizes).toEqual([1, queued.length]);

    const requestIds = results.map(requestIdOf);
    expect(new Set(requestIds).size).toBe(results.length);
    const rows = await entries(requestIds);
    results.forEach((_, i) => {
      const own = rows.filter((row) => row.request_id === requestIds[i]);
      // An Examination and a SpectaclePrescription entry per request (the manager's may be DENIED ones), all of its reader.
      expect(own.length).toBeGreaterThanOrEqual(2);
      expect(new Set(own.map((row) => row.subject))).toEqual(new Set(['Examination', 'SpectaclePrescription']));
      for (const row of own) {
        expect(row.user_id).toBe(userIds.get(emails[i]));
        expect(row.session_id).toBe(sessionIds.get(emails[i]));
        expect(row.customer_id).toBe(readOf[i]);
        expect(row.content_ok).toBe(true);
      }
      // A request's entries are contiguous in the chain.
      const seqs = own.map((row) => Number(row.seq));
      expect(seqs[seqs.length - 1] - seqs[0]).toBe(seqs.length - 1);
    });
    // The queued requests went out in one transaction; the first in its own.
    const firstTx = new Set(rows.filter((row) => row.request_id === requestIds[0]).map((row) => row.tx));
    const batchTx = new Set(rows.filter((row) => row.request_id !== requestIds[0]).map((row) => row.tx));
    expect(firstTx.size).toBe(1);
    expect(batchTx.size).toBe(1);
    expect([...batchTx][0]).not.toBe([...firstTx][0]);
    expect(new Set(rows.filter((row) => row.request_id !== requestIds[0]).map((row) => row.user_id)).size).toBe(READERS.length);
    await assertChainIntact();
  });

  it('loses no entry and keeps the chain intact under 40 unsynchronised concurrent reads by four users', async () => {
    batchSizes = [];
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => read(READERS[i % READERS.length], patients[i % patients.length])));
    const requestIds = results.map(requestIdOf);
    for (const result of results) expect(result.status).toBe(200);
    const rows = await entries(requestIds);
    results.forEach((_, i) => {
      const own = rows.filter((row) => row.request_id === requestIds[i]);
      expect(new Set(own.map((row) => row.subject))).toEqual(new Set(['Examination', 'SpectaclePrescription']));
      for (const row of own) {
        expect(row.user_id).toBe(userIds.get(READERS[i % READERS.length]));
        expect(row.session_id).toBe(sessionIds.get(READERS[i % READERS.length]));
        expect(row.customer_id).toBe(patients[i % patients.length]);
      }
    });
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(40);
    await assertChainIntact();
  });

  it('builds every entry’s content hash exactly as the reference form does, whatever its values, and refuses malformed batches', async () => {
    const [{ id: customer }] = (await app.clinical.query('SELECT gen_random_uuid()::text AS id')) as { id: string }[];
    const user = userIds.get(EMAIL.leedsOptometrist)!;
    const session = sessionIds.get(EMAIL.leedsOptometrist)!;
    const call = (overrides: Partial<Record<'entryRequests' | 'customers' | 'fields' | 'entryFields', unknown[]>> = {}) => app.clinical.query(
      `SELECT clinical_access_log_append_batch($1, $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[], $10::text[], $11::int[], $12::uuid[], $13::uuid[], $14::text[], $15::text[], $16::int[], $17::text[], $18::int[], $19::uuid[]) AS n`,
      [
        chainId, [user, user], [session, session], ['probe-1', 'probe-2'], ['192.0.2.1', null],
        // multi-byte user agent and purpose: lengths are UTF-8 bytes
        ['Mozilla/5.0 (Ünïcødé; 眼科)', null], ['Probe', null], [null, 'Nachsorge – Kontaktlinsen, Ticket 4711'],
        overrides.fields ?? ['{}', '{"history","größe"}', '{"refractions"}'], ['{}', `{"${user}"}`],
        overrides.entryRequests ?? [1, 1, 2, 2], overrides.customers ?? [customer, customer, customer, customer],
        [null, patients[0], patients[1], null], ['Examination', 'SpectaclePrescription', 'Examination', 'ClinicalNote'],
        ['{}', `{"${patients[0]}","${patients[1]}"}`, `{"${patients[2]}"}`, '{}'],
        overrides.entryFields ?? [1, 2, 3, 2], ['GRANTED', 'DENIED', 'GRANTED', 'GRANTED'], [1, 2, 2, 1],
        [null, null, patients[3], null],
      ],
    ) as Promise<{ n: number }[]>;
    expect(await call()).toEqual([{ n: 4 }]);
    const rows = await entries(['probe-1', 'probe-2']);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.content_ok).toBe(true);
    expect(rows.map((row) => row.request_id)).toEqual(['probe-1', 'probe-1', 'probe-2', 'probe-2']);
    await assertChainIntact();

    const [{ n: before }] = (await app.ownerClinical.query('SELECT count(*)::int AS n FROM clinical_access_log_entry')) as { n: number }[];
    await expect(call({ entryRequests: [1, 1, 2, 3] })).rejects.toThrow(/every entry naming one of the requests/);
    await expect(call({ entryFields: [1, 2, 4, 1] })).rejects.toThrow(/every entry naming one of the requests/);
    await expect(call({ customers: [customer, customer, customer] })).rejects.toThrow(/arrays of one length per kind/);
    const [{ n: after }] = (await app.ownerClinical.query('SELECT count(*)::int AS n FROM clinical_access_log_entry')) as { n: number }[];
    expect(after).toBe(before);
  });

  it('fails every request of a batch that cannot be written, returns none of their data and leaves none of their rows', async () => {
    const [{ n: before }] = (await app.ownerClinical.query('SELECT count(*)::int AS n FROM clinical_access_log_entry')) as { n: number }[];
    batchSizes = [];
    await holdChainLock();
    const first = read(EMAIL.leedsOptometrist, patients[0]);
    await until('the first write waits on the chain lock', async () => (await waitingOnLock()) === 1);
    // A batch of four: two by the optometrist, whose entries alone could be written, and two by the manager.
    const queued = [
      read(EMAIL.leedsOptometrist, patients[1]), read(EMAIL.leedsManager, patients[2]),
      read(EMAIL.leedsOptometrist, patients[3]), read(EMAIL.leedsManager, patients[0]),
    ];
    await until('the other requests are queued behind it', () => accessLogWriter(app.clinical).queued === queued.length);
    // From now on the log refuses the manager's entries (the first request's are the optometrist's only).
    await app.ownerClinical.query(`ALTER TABLE clinical_access_log_entry ADD CONSTRAINT refuse_one_reader CHECK (user_id <> '${userIds.get(EMAIL.leedsManager)}') NOT VALID`);
    try {
      await releaseChainLock();
      const ok = await first;
      const failed = await Promise.all(queued);
      expect(ok.status).toBe(200);
      expect(ok.data?.customer?.examinations?.length).toBeGreaterThan(0);
      expect(batchSizes).toEqual([1, 4]);
      for (const result of failed) {
        expect(result.status).toBe(500);
        expect(result.data ?? null).toBeNull();
        expect(errorCodes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
        expect(JSON.stringify(result)).not.toContain(SEEDED_HISTORY);
      }
      expect(await entries(failed.map(requestIdOf))).toEqual([]);
      expect(await entries([requestIdOf(ok)])).not.toHaveLength(0);
      const [{ n: after }] = (await app.ownerClinical.query('SELECT count(*)::int AS n FROM clinical_access_log_entry')) as { n: number }[];
      expect(after - before).toBe((await entries([requestIdOf(ok)])).length);
    } finally {
      await app.ownerClinical.query('ALTER TABLE clinical_access_log_entry DROP CONSTRAINT refuse_one_reader');
    }
    // The writer recovers: the next reads are written and answered.
    const again = await Promise.all([read(EMAIL.leedsManager, patients[2]), read(EMAIL.leedsOptometrist, patients[1])]);
    for (const result of again) expect(result.status).toBe(200);
    expect(await entries(again.map(requestIdOf))).not.toHaveLength(0);
    await assertChainIntact();
  });
  /** One request of the writer's, as the optometrist, with whatever request facts and entries a test gives. */
  function writerRequest(requestId: string, facts: Partial<AccessLogRequest['request']>, entries: AccessLogRequest['entries']): AccessLogRequest {
    return {
      principal: { chainId, userId: userIds.get(EMAIL.leedsOptometrist)!, sessionId: sessionIds.get(EMAIL.leedsOptometrist)! },
      request: { requestId, clientAddress: null, userAgent: null, operationName: null, purpose: null, purposeProblem: null, token: null, ...facts },
      operationName: facts.operationName ?? null,
      entries,
    };
  }

  it('writes the writer’s canonical text (form 2 from user_id on) so that every content hash equals the reference form, whatever its values', async () => {
    const [{ id: emergency }] = (await app.clinical.query('SELECT gen_random_uuid()::text AS id')) as { id: string }[];
    const [leeds] = (await app.core.query("SELECT id::text FROM store WHERE name = 'Leeds'")) as { id: string }[];
    const entry = (over: Partial<AccessLogRequest['entries'][number]>): AccessLogRequest['entries'][number] => ({
      customerId: patients[0], storeId: leeds.id, subject: 'Examination', granted: true, emergencyAccessId: null,
      recordIds: [], fields: [], assignmentIds: [], ...over,
    });
    const writes = [
      writerRequest('probe-writer-1', { clientAddress: '192.0.2.7', userAgent: 'Mozilla/5.0 (Ünïcødé; 眼科) "quoted" \\ back', operationName: 'Probe, with comma' }, [
        entry({ recordIds: [patients[1], patients[2]], fields: ['history', 'größe', 'a"b', 'c\\d', '{x,y}', ''] }),
        entry({ subject: 'SpectaclePrescription', storeId: null, granted: false, fields: ['history', 'größe', 'a"b', 'c\\d', '{x,y}', ''] }),
        entry({ customerId: patients[1].toUpperCase(), emergencyAccessId: emergency, assignmentIds: [userIds.get(EMAIL.leedsOptometrist)!], fields: ['refractions'] }),
      ]),
      writerRequest('probe-writer-2', { purpose: 'Nachsorge – Kontaktlinsen, Ticket 4711 [NULL]' }, [entry({ subject: 'ClinicalNote', fields: ['NULL'] })]),
    ];
    await appendBatch(app.clinical, chainId, writes);
    const rows = await entries(['probe-writer-1', 'probe-writer-2']);
    expect(rows.map((row) => [row.request_id, row.subject, row.outcome])).toEqual([
      ['probe-writer-1', 'Examination', 'GRANTED'], ['probe-writer-1', 'SpectaclePrescription', 'DENIED'],
      ['probe-writer-1', 'Examination', 'GRANTED'], ['probe-writer-2', 'ClinicalNote', 'GRANTED'],
    ]);
    expect(rows[2].customer_id).toBe(patients[1]);
    for (const row of rows) expect(row.content_ok).toBe(true);
    const [stored] = (await app.ownerClinical.query(
      "SELECT fields, user_agent, operation_name FROM clinical_access_log_entry WHERE request_id = 'probe-writer-1' ORDER BY seq LIMIT 1",
    )) as { fields: string[]; user_agent: string; operation_name: string }[];
    expect(stored).toEqual({ fields: ['history', 'größe', 'a"b', 'c\\d', '{x,y}', ''], user_agent: writes[0].request.userAgent, operation_name: 'Probe, with comma' });
    await assertChainIntact();

    // An identifier not in uuid form fails the write before anything is sent (the request then fails closed).
    await expect(appendBatch(app.clinical, chainId, [writerRequest('probe-writer-3', {}, [entry({ recordIds: ['not-a-uuid'] })])])).rejects.toThrow(/not a uuid/);
    expect(await entries(['probe-writer-3'])).toEqual([]);
  });

  it('refuses a writer’s call whose texts do not match its entries, and audit:verify reports an entry whose text does not match its columns', async () => {
    const user = userIds.get(EMAIL.leedsOptometrist)!;
    const session = sessionIds.get(EMAIL.leedsOptometrist)!;
    const call = (chain: string, heads: string[]) => app.clinical.query(
      `SELECT clinical_access_log_append_batch($1, $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[], $10::text[], $11::int[], $12::uuid[], $13::uuid[], $14::text[], $15::text[], $16::int[], $17::text[], $18::int[], $19::uuid[],
         $20::text[], $21::text[], $22::text[], $23::text[]) AS n`,
      [chain, [user], [session], ['probe-mismatch'], [null], [null], [null], [null], ['{}'], ['{}'], [1], [patients[0]], [null], ['Examination'], ['{}'], [1],
        ['GRANTED'], [1], [null], [`36:${user},36:${session},14:probe-mismatch,----`], ['[]'], heads, ['7:GRANTED,[]-']],
    );
    await expect(call(chainId, [])).rejects.toThrow(/arrays of one length per kind/);
    // A chain of its own: its one entry says customer patients[1] in its text and stores patients[0].
    const [{ id: other }] = (await app.clinical.query('SELECT gen_random_uuid()::text AS id')) as { id: string }[];
    expect(await call(other, [`36:${patients[1]},-11:Examination,[]`])).toEqual([{ n: 1 }]);
    const verified = await verifyChains(app.ownerClinical);
    const report = verified.chains.find((c) => c.chainId === other);
    expect(report?.ok).toBe(false);
    expect(report?.problem?.kind).toBe('altered');
    // The same call with the text of what it stores verifies.
    const [{ id: third }] = (await app.clinical.query('SELECT gen_random_uuid()::text AS id')) as { id: string }[];
    expect(await call(third, [`36:${patients[0]},-11:Examination,[]`])).toEqual([{ n: 1 }]);
    expect((await verifyChains(app.ownerClinical)).chains.find((c) => c.chainId === third)?.ok).toBe(true);
  });
});
