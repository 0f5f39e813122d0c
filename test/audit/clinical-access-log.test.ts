/**
 * The clinical access log: every clinical read (granted or denied) is written to the clinical
 * database, batched per request, identifiers only, append-only in the database, and a response
 * never carries clinical data the log could not record (fail closed).
 */
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const OPTOMETRIST = EMAIL.leedsOptometrist;
const MANAGER = EMAIL.leedsManager;
const RECEPTION = EMAIL.leedsReception;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEEDED_HISTORY = 'No relevant ocular history';

interface LogRow {
  id: string;
  chain_id: string;
  occurred_at: Date;
  user_id: string;
  session_id: string;
  request_id: string;
  client_address: string | null;
  operation_name: string | null;
  customer_id: string;
  store_id: string | null;
  subject: string;
  record_ids: string[];
  fields: string[];
  outcome: 'GRANTED' | 'DENIED';
  user_agent: string | null;
  purpose: string | null;
  assignment_ids: string[];
  emergency_access_id: string | null;
}

interface ChartData {
  customer: {
    examinations: { id: string; status: string; history: string | null; refractions: { sphere: number }[] }[] | null;
    spectaclePrescriptions: { rightSphere: number }[] | null;
  } | null;
}

const CHART = `query($id: ID!) {
  customer(id: $id) {
    examinations { id status history refractions { sphere } }
    spectaclePrescriptions { rightSphere }
  }
}`;

const NAMED_CHART = `query ReadPatientChart($id: ID!) {
  customer(id: $id) {
    examinations { id status history refractions { sphere } }
    spectaclePrescriptions { rightSphere }
  }
}`;

const PAGE_WITH_EXAMS = `query($store: ID!) {
  customers(first: 20, storeId: $store) {
    edges { node { id examinations { id status history refractions { sphere } } spectaclePrescriptions { rightSphere } } }
  }
}`;

describe('clinical access log', () => {
  let app: TestApp;
  let leedsStoreId: string;
  let chainId: string;
  let optometristId: string;
  let managerId: string;
  let receptionId: string;
  let optometristToken: string;
  let managerToken: string;
  let receptionToken: string;
  /** A Leeds customer with at least one examination and spectacle prescription. */
  let patientId: string;

  async function entriesFor(requestId: string): Promise<LogRow[]> {
    return app.clinical.query('SELECT * FROM clinical_access_log_entry WHERE request_id = $1 ORDER BY id', [requestId]);
  }

  async function logCount(): Promise<number> {
    const [{ n }] = (await app.clinical.query('SELECT count(*)::int AS n FROM clinical_access_log_entry')) as { n: number }[];
    return n;
  }

  function requestIdOf(result: GraphQLResult<unknown>): string {
    const id = result.headers.get('x-request-id');
    expect(id).toBeTruthy();
    return id as string;
  }

  async function userId(email: string): Promise<string> {
    const [row] = (await app.core.query('SELECT id FROM staff_user WHERE email = $1', [email])) as { id: string }[];
    return row.id;
  }

  beforeAll(async () => {
    app = await startTestApp();
    const [leeds] = (await app.core.query("SELECT id, chain_id FROM store WHERE name = 'Leeds'")) as { id: string; chain_id: string }[];
    leedsStoreId = leeds.id;
    chainId = leeds.chain_id;
    const examRows = (await app.clinical.query('SELECT customer_id, store_id FROM examination ORDER BY customer_id')) as { customer_id: string; store_id: string }[];
    const rxRows = (await app.clinical.query('SELECT customer_id FROM spectacle_prescription')) as { customer_id: string }[];
    const withRx = new Set(rxRows.map((r) => r.customer_id));
    const candidate = examRows.find((r) => r.store_id === leedsStoreId && withRx.has(r.customer_id));
    if (!candidate) throw new Error('the demo seed has no Leeds customer with an examination');
    patientId = candidate.customer_id;
    optometristId = await userId(OPTOMETRIST);
    managerId = await userId(MANAGER);
    receptionId = await userId(RECEPTION);
    optometristToken = await app.login(OPTOMETRIST);
    managerToken = await app.login(MANAGER);
    receptionToken = await app.login(RECEPTION);
  });
  afterAll(() => app.stop());

  it('logs a granted clinical read with who, which customer, records, fields, request and outcome', async () => {
    const result = await app.request<ChartData>(CHART, { id: patientId }, optometristToken);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    const exams = result.data!.customer!.examinations!;
    expect(exams.length).toBeGreaterThan(0);
    expect(exams[0].history).toContain(SEEDED_HISTORY);
    expect(result.data!.customer!.spectaclePrescriptions!.length).toBeGreaterThan(0);

    const requestId = requestIdOf(result);
    const entries = await entriesFor(requestId);
    expect(entries.length).toBeGreaterThan(0);
    const sessions = ((await app.core.query('SELECT id FROM session WHERE user_id = $1', [optometristId])) as { id: string }[]).map((s) => s.id);
    for (const entry of entries) {
      expect(entry.chain_id).toBe(chainId);
      expect(entry.user_id).toBe(optometristId);
      expect(sessions).toContain(entry.session_id);
      expect(entry.customer_id).toBe(patientId);
      expect(entry.store_id).toBe(leedsStoreId);
      expect(entry.outcome).toBe('GRANTED');
      expect(entry.operation_name).toBeNull();
      expect(entry.client_address).toMatch(/127\.0\.0\.1|::1/);
      expect(entry.occurred_at).toBeInstanceOf(Date);
      expect(Math.abs(Date.now() - entry.occurred_at.getTime())).toBeLessThan(60_000);
    }

    const exam = entries.filter((e) => e.subject === 'Examination');
    expect(exam).toHaveLength(1);
    expect(exam[0].record_ids.sort()).toEqual(exams.map((e) => e.id).sort());
    expect(exam[0].fields).toEqual(expect.arrayContaining(['id', 'status', 'history', 'refractions', 'refractions.sphere']));

    const rx = entries.filter((e) => e.subject === 'SpectaclePrescription');
    expect(rx).toHaveLength(1);
    const rxIds = ((await app.clinical.query('SELECT id FROM spectacle_prescription WHERE customer_id = $1', [patientId])) as { id: string }[]).map((r) => r.id);
    expect(rx[0].record_ids.sort()).toEqual(rxIds.sort());
    // the relation itself (which rows came back) and the one field read of them
    expect(rx[0].fields.sort()).toEqual(['rightSphere', 'spectaclePrescriptions']);

    expect(entries.map((e) => e.subject).sort()).toEqual(['Examination', 'SpectaclePrescription']);
  });

  it('uses the server’s own request id (never one the client sends) and records the operation name', async () => {
    const offered = `audit-test-${Date.now()}`;
    const named = await app.request<ChartData>(NAMED_CHART, { id: patientId }, optometristToken, { 'x-request-id': offered });
    expect(named.errors).toBeUndefined();
    const generated = requestIdOf(named);
    expect(generated).not.toBe(offered);
    expect(generated).toMatch(UUID);
    expect(await entriesFor(offered)).toHaveLength(0);
    const entries = await entriesFor(generated);
    expect(entries.length).toBe(2);
    for (const entry of entries) {
      expect(entry.operation_name).toBe('ReadPatientChart');
      expect(entry.user_id).toBe(optometristId);
    }
  });

  it('records the role assignment that granted each read, the declared purpose and the user agent', async () => {
    const result = await app.request<ChartData>(CHART, { id: patientId }, optometristToken, {
      'x-access-purpose': '  Contact lens check-up, ticket #42  ', 'user-agent': 'VisusFrontDesk/3.1 (audit test)',
    });
    expect(result.errors).toBeUndefined();
    const entries = await entriesFor(requestIdOf(result));
    expect(entries.length).toBe(2);
    // the optometrist's assignments that grant reading examinations at the patient's store
    const granting = ((await app.core.query(
      `SELECT DISTINCT ra.id FROM role_assignment ra JOIN role_permission rp ON rp.role_id = ra.role_id
        WHERE ra.user_id = $1 AND rp.action IN ('read', 'manage') AND rp.subject = 'Examination'`, [optometristId],
    )) as { id: string }[]).map((r) => r.id);
    expect(granting.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.purpose).toBe('Contact lens check-up, ticket #42');
      expect(entry.user_agent).toBe('VisusFrontDesk/3.1 (audit test)');
      expect(entry.assignment_ids.length).toBeGreaterThan(0);
      for (const id of entry.assignment_ids) expect(id).toMatch(UUID);
      expect(entry.emergency_access_id).toBeNull();
    }
    expect(entries.find((e) => e.subject === 'Examination')!.assignment_ids.sort()).toEqual(granting.sort());

    // without a purpose header: none recorded; denied entries name no assignment
    const denied = await app.request(CHART, { id: patientId }, receptionToken);
    for (const entry of await entriesFor(requestIdOf(denied))) {
      expect(entry.outcome).toBe('DENIED');
      expect(entry.purpose).toBeNull();
      expect(entry.assignment_ids).toEqual([]);
    }
  });

  it.each([
    ['too long', 'x'.repeat(201)],
    ['blank', '   '],
  ])('refuses a malformed purpose of access (%s) with BAD_USER_INPUT before reading anything', async (_label, purpose) => {
    const before = await logCount();
    const result = await app.request<ChartData>(CHART, { id: patientId }, optometristToken, { 'x-access-purpose': purpose });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toContain('X-Access-Purpose');
    expect(result.data?.customer ?? null).toBeNull();
    expect(await logCount()).toBe(before);
  });

  it('logs the rows a clinical relation returned even when none of their fields is selected', async () => {
    const result = await app.request<{ customer: { examinations: { __typename: string }[] } }>(
      'query($id: ID!) { customer(id: $id) { examinations { __typename } } }', { id: patientId }, optometristToken,
    );
    expect(result.errors).toBeUndefined();
    const entries = await entriesFor(requestIdOf(result));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ subject: 'Examination', outcome: 'GRANTED', customer_id: patientId, fields: ['examinations'] });
    expect(entries[0].record_ids).toHaveLength(result.data!.customer.examinations.length);
  });

  it('writes the entries of one request in one statement, one entry per customer, subject, store and outcome', async () => {
    const insertCalls: string[] = [];
    const original = app.clinical.query.bind(app.clinical);
    const spy = jest.spyOn(app.clinical, 'query').mockImplementation(((sql: string, params?: unknown[]) => {
      if (/clinical_access_log_append(_batch)?\(|INSERT INTO clinical_access_log_entry/i.test(sql)) insertCalls.push(sql);
      return original(sql, params);
    }) as typeof app.clinical.query);
    let result: GraphQLResult<{ customers: { edges: { node: { id: string; examinations: { id: string }[] } }[] } }>;
    try {
      result = await app.request(PAGE_WITH_EXAMS, { store: leedsStoreId }, optometristToken);
    } finally {
      spy.mockRestore();
    }
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.customers.edges.map((e) => e.node);
    expect(nodes).toHaveLength(20);
    const withExams = nodes.filter((n) => n.examinations.length > 0);
    expect(withExams.length).toBeGreaterThan(5);
    expect(insertCalls).toHaveLength(1);

    const requestId = requestIdOf(result);
    const entries = await entriesFor(requestId);
    expect(new Set(entries.map((e) => e.request_id))).toEqual(new Set([requestId]));
    // one transaction (same xmin, same now())
    const xmins = (await app.clinical.query('SELECT DISTINCT xmin::text AS x, occurred_at FROM clinical_access_log_entry WHERE request_id = $1', [requestId])) as unknown[];
    expect(xmins).toHaveLength(1);

    const groups = new Set(entries.map((e) => `${e.customer_id}|${e.subject}|${e.store_id}|${e.outcome}`));
    expect(entries.length).toBe(groups.size);
    for (const entry of entries) expect(new Set(entry.fields).size).toBe(entry.fields.length);
    for (const entry of entries) expect(new Set(entry.record_ids).size).toBe(entry.record_ids.length);

    // every customer of the page with examinations has exactly one Examination and one SpectaclePrescription entry
    const examEntries = entries.filter((e) => e.subject === 'Examination');
    expect(examEntries.map((e) => e.customer_id).sort()).toEqual(withExams.map((n) => n.id).sort());
    for (const node of withExams) {
      const entry = examEntries.find((e) => e.customer_id === node.id)!;
      expect(entry.record_ids.sort()).toEqual(node.examinations.map((x) => x.id).sort());
    }
    expect(entries.filter((e) => e.subject === 'SpectaclePrescription')).toHaveLength(withExams.length);
    expect(entries.length).toBe(withExams.length * 2);
  });

  it('loses no entries when 10 requests run in parallel', async () => {
    const before = await logCount();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => app.request<ChartData>(CHART, { id: patientId }, optometristToken)),
    );
    const requestIds = results.map((r) => {
      expect(r.status).toBe(200);
      expect(r.errors).toBeUndefined();
      return requestIdOf(r);
    });
    expect(new Set(requestIds).size).toBe(10);
    for (const requestId of requestIds) {
      const entries = await entriesFor(requestId);
      expect(entries.map((e) => e.subject).sort()).toEqual(['Examination', 'SpectaclePrescription']);
      for (const entry of entries) {
        expect(entry.customer_id).toBe(patientId);
        expect(entry.outcome).toBe('GRANTED');
      }
    }
    expect(await logCount()).toBe(before + 20);
  });

  it('logs a field denied to a store manager (clinical summary only) as DENIED beside the GRANTED ones', async () => {
    const result = await app.request<{ customer: { examinations: { id: string; history: string | null }[] } }>(
      'query($id: ID!) { customer(id: $id) { examinations { id history } } }', { id: patientId }, managerToken,
    );
    expect(result.status).toBe(200);
    const exams = result.data!.customer.examinations;
    expect(exams.length).toBeGreaterThan(0);
    for (const exam of exams) {
      expect(exam.id).toMatch(UUID);
      expect(exam.history).toBeNull();
    }
    expect(errorCodes(result).length).toBe(exams.length);
    expect(new Set(errorCodes(result))).toEqual(new Set(['FORBIDDEN']));
    expect(result.errors![0].path).toEqual(['customer', 'examinations', 0, 'history']);
    expect(JSON.stringify(result)).not.toContain(SEEDED_HISTORY);

    const entries = await entriesFor(requestIdOf(result));
    for (const entry of entries) {
      expect(entry.user_id).toBe(managerId);
      expect(entry.customer_id).toBe(patientId);
      expect(entry.subject).toBe('Examination');
    }
    const denied = entries.filter((e) => e.outcome === 'DENIED');
    const granted = entries.filter((e) => e.outcome === 'GRANTED');
    expect(denied).toHaveLength(1);
    expect(granted).toHaveLength(1);
    expect(denied[0].fields).toEqual(['history']);
    expect(denied[0].record_ids.sort()).toEqual(exams.map((e) => e.id).sort());
    expect(granted[0].fields.sort()).toEqual(['examinations', 'id']);
    expect(granted[0].record_ids.sort()).toEqual(exams.map((e) => e.id).sort());
  });

  it('logs a receptionist’s attempt at examinations (no Examination read at all) as DENIED', async () => {
    const result = await app.request<{ customer: { examinations: { id: string }[] | null } | null }>(
      'query($id: ID!) { customer(id: $id) { examinations { id } } }', { id: patientId }, receptionToken,
    );
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.data?.customer?.examinations ?? null).toBeNull();

    const entries = await entriesFor(requestIdOf(result));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ user_id: receptionId, customer_id: patientId, subject: 'Examination', outcome: 'DENIED', chain_id: chainId, store_id: leedsStoreId });
    expect(entries[0].record_ids).toEqual([]);
  });

  it('writes no entries for non-clinical reads', async () => {
    const before = await logCount();
    const list = await app.request<{ customers: { edges: { node: { firstName: string } }[] } }>(
      '{ customers(first: 20) { edges { node { firstName } } } }', {}, optometristToken,
    );
    expect(list.errors).toBeUndefined();
    expect(list.data!.customers.edges.length).toBeGreaterThan(0);
    const one = await app.request<{ customer: { firstName: string; lastName: string } }>(
      'query($id: ID!) { customer(id: $id) { firstName lastName dateOfBirth } }', { id: patientId }, optometristToken,
    );
    expect(one.errors).toBeUndefined();
    expect(one.data!.customer.firstName).toBeTruthy();
    expect(await entriesFor(requestIdOf(list))).toHaveLength(0);
    expect(await entriesFor(requestIdOf(one))).toHaveLength(0);
    expect(await logCount()).toBe(before);
  });

  it('stores only identifiers, never clinical values', async () => {
    const result = await app.request<ChartData>(CHART, { id: patientId }, optometristToken);
    expect(result.errors).toBeUndefined();
    const exams = result.data!.customer!.examinations!;
    const values: string[] = [];
    for (const exam of exams) {
      if (exam.history) values.push(exam.history);
      for (const r of exam.refractions) values.push(String(r.sphere));
    }
    for (const rx of result.data!.customer!.spectaclePrescriptions!) values.push(String(rx.rightSphere));
    expect(values.some((v) => v.includes(SEEDED_HISTORY))).toBe(true);

    const entries = await entriesFor(requestIdOf(result));
    expect(entries.length).toBeGreaterThan(0);
    const all = (await app.clinical.query('SELECT * FROM clinical_access_log_entry')) as LogRow[];
    for (const row of all) {
      // shape: identifiers and field names only
      for (const id of row.record_ids) expect(id).toMatch(UUID);
      for (const field of row.fields) expect(field).toMatch(/^(\*|[A-Za-z]+(\.[A-Za-z]+)?)$/);
      expect(row.customer_id).toMatch(UUID);
      expect(['GRANTED', 'DENIED']).toContain(row.outcome);
      const { occurred_at: _at, client_address: _address, ...rest } = row;
      const json = JSON.stringify(rest);
      expect(json).not.toContain(SEEDED_HISTORY);
      expect(json).not.toMatch(/ocular|glaucoma|medication/i);
      for (const value of values) {
        if (value.includes(SEEDED_HISTORY)) continue;
        // a non-integer dioptre value can only appear in the row as a number, never inside a uuid or id
        if (!/\./.test(value)) continue;
        expect(json).not.toMatch(new RegExp(`(^|[^0-9.])${value.replace(/[.+-]/g, '\\$&')}([^0-9]|$)`));
      }
    }
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are rejected', async () => {
    // make sure there are rows for the row triggers to fire on
    await app.request(CHART, { id: patientId }, optometristToken);
    const before = await logCount();
    expect(before).toBeGreaterThan(0);
    const snapshot = await app.clinical.query('SELECT id, outcome, fields FROM clinical_access_log_entry ORDER BY id');

    // The API's role has no privilege for them; the owner meets the trigger.
    for (const [db, refusal] of [[app.clinical, /permission denied/], [app.ownerClinical, /append-only/]] as const) {
      await expect(db.query("UPDATE clinical_access_log_entry SET outcome = 'DENIED'")).rejects.toThrow(refusal);
      await expect(db.query('DELETE FROM clinical_access_log_entry')).rejects.toThrow(refusal);
      await expect(db.query('TRUNCATE clinical_access_log_entry')).rejects.toThrow(refusal);
    }

    expect(await logCount()).toBe(before);
    expect(await app.clinical.query('SELECT id, outcome, fields FROM clinical_access_log_entry ORDER BY id')).toEqual(snapshot);
  });

  it('fails closed for a mutation: no clinical data returned and the change rolled back, in both databases', async () => {
    const [{ city: cityBefore }] = (await app.core.query('SELECT city FROM customer WHERE id = $1', [patientId])) as { city: string }[];
    const notesBefore = ((await app.clinical.query('SELECT count(*)::int AS n FROM clinical_note WHERE customer_id = $1', [patientId])) as { n: number }[])[0].n;
    const personalLogBefore = ((await app.ownerCore.query('SELECT count(*)::int AS n FROM personal_change_log_entry')) as { n: number }[])[0].n;
    const clinicalLogBefore = ((await app.ownerClinical.query('SELECT count(*)::int AS n FROM clinical_change_log_entry')) as { n: number }[])[0].n;
    const before = await logCount();
    await app.ownerClinical.query('ALTER TABLE clinical_access_log_entry ADD CONSTRAINT no_writes CHECK (false) NOT VALID');
    try {
      // A core write whose payload reads clinical fields.
      const update = await app.request<{ updateCustomer: unknown }>(
        `mutation($id: ID!) { updateCustomer(id: $id, input: { city: "Wetherby" }) { city examinations { history refractions { sphere } } } }`,
        { id: patientId }, optometristToken,
      );
      expect(update.status).toBe(500);
      expect(update.data ?? null).toBeNull();
      expect(errorCodes(update)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(update.errors?.[0].message).toMatch(/not saved/);
      expect(JSON.stringify(update)).not.toContain(SEEDED_HISTORY);
      // A clinical write returning its own clinical fields.
      const note = await app.request<{ addClinicalNote: unknown }>(
        `mutation($c: ID!, $s: ID!) { addClinicalNote(input: { customerId: $c, storeId: $s, subjective: "Rolled back note" }) { id subjective } }`,
        { c: patientId, s: leedsStoreId }, optometristToken,
      );
      expect(note.status).toBe(500);
      expect(note.data ?? null).toBeNull();
      expect(JSON.stringify(note)).not.toContain('Rolled back note');
    } finally {
      await app.ownerClinical.query('ALTER TABLE clinical_access_log_entry DROP CONSTRAINT no_writes');
    }
    const [{ city: cityAfter }] = (await app.core.query('SELECT city FROM customer WHERE id = $1', [patientId])) as { city: string }[];
    expect(cityAfter).toBe(cityBefore);
    const notesAfter = ((await app.clinical.query('SELECT count(*)::int AS n FROM clinical_note WHERE customer_id = $1', [patientId])) as { n: number }[])[0].n;
    expect(notesAfter).toBe(notesBefore);
    expect(((await app.ownerCore.query('SELECT count(*)::int AS n FROM personal_change_log_entry')) as { n: number }[])[0].n).toBe(personalLogBefore);
    expect(((await app.ownerClinical.query('SELECT count(*)::int AS n FROM clinical_change_log_entry')) as { n: number }[])[0].n).toBe(clinicalLogBefore);
    expect(await logCount()).toBe(before);

    // With the log writable again the same change commits, and its reads are logged.
    const again = await app.request<{ updateCustomer: { city: string; examinations: unknown[] } }>(
      `mutation($id: ID!) { updateCustomer(id: $id, input: { city: "Wetherby" }) { city examinations { history } } }`,
      { id: patientId }, optometristToken,
    );
    expect(again.errors).toBeUndefined();
    expect(again.data?.updateCustomer.city).toBe('Wetherby');
    expect(await entriesFor(requestIdOf(again))).not.toHaveLength(0);
    const [{ city: committed }] = (await app.core.query('SELECT city FROM customer WHERE id = $1', [patientId])) as { city: string }[];
    expect(committed).toBe('Wetherby');
    await app.request(`mutation($id: ID!) { updateCustomer(id: $id, input: { city: ${JSON.stringify(cityBefore)} }) { id } }`, { id: patientId }, optometristToken);
  });

  it('fails closed: no clinical data leaves when the log cannot be written', async () => {
    const before = await logCount();
    await app.ownerClinical.query('ALTER TABLE clinical_access_log_entry ADD CONSTRAINT no_writes CHECK (false) NOT VALID');
    try {
      const clinicalRead = await app.request<ChartData>(CHART, { id: patientId }, optometristToken);
      expect(clinicalRead.status).toBe(500);
      expect(clinicalRead.data ?? null).toBeNull();
      expect(errorCodes(clinicalRead)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(JSON.stringify(clinicalRead.errors)).not.toContain(SEEDED_HISTORY);
      expect(await entriesFor(requestIdOf(clinicalRead))).toHaveLength(0);

      // a denied attempt that cannot be logged is refused too (and leaks no customer data)
      const deniedRead = await app.request<{ customer: unknown }>(
        'query($id: ID!) { customer(id: $id) { firstName examinations { id } } }', { id: patientId }, receptionToken,
      );
      expect(deniedRead.status).toBe(500);
      expect(deniedRead.data ?? null).toBeNull();
      expect(errorCodes(deniedRead)).toEqual(['INTERNAL_SERVER_ERROR']);

      const plain = await app.request<{ customers: { edges: { node: { firstName: string } }[] } }>(
        '{ customers(first: 5) { edges { node { firstName } } } }', {}, optometristToken,
      );
      expect(plain.status).toBe(200);
      expect(plain.errors).toBeUndefined();
      expect(plain.data!.customers.edges).toHaveLength(5);
      expect(await logCount()).toBe(before);
    } finally {
      await app.ownerClinical.query('ALTER TABLE clinical_access_log_entry DROP CONSTRAINT no_writes');
    }

    const again = await app.request<ChartData>(CHART, { id: patientId }, optometristToken);
    expect(again.status).toBe(200);
    expect(again.errors).toBeUndefined();
    expect(again.data!.customer!.examinations!.length).toBeGreaterThan(0);
    expect(await entriesFor(requestIdOf(again))).toHaveLength(2);
    expect(await logCount()).toBe(before + 2);
  });
});
