/**
 * The data change logs: every mutation that changes personal or clinical data writes one entry per record
 * it created, changed, signed, cancelled or removed, with the changed fields' values before and after, in
 * one statement inside the mutation's own transaction. If the log cannot be written, nothing changes
 * (fail closed); a mutation that fails leaves no entry; the database rejects UPDATE, DELETE and TRUNCATE
 * on the logs.
 */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { publishWordings } from '../support/consent-wordings';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';
import { decryptChanges, decryptStored } from '../support/clinical-ciphertext';

const MANAGER = EMAIL.leedsManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const ASSISTANT = EMAIL.leedsAssistant;
const RECEPTION = EMAIL.leedsReception;
const LOCUM = EMAIL.locum;
const USER_AGENT = 'visus-change-log-test/1.0';

const PERSONAL = 'personal_change_log_entry';
const CLINICAL = 'clinical_change_log_entry';

interface Entry {
  seq: string;
  action: string;
  subject: string;
  record_type: string;
  record_id: string;
  customer_id: string;
  store_id: string | null;
  user_id: string;
  session_id: string;
  request_id: string;
  client_address: string | null;
  user_agent: string | null;
  operation_name: string | null;
  changes: Record<string, { before: unknown; after: unknown }>;
}

const CREATE_CUSTOMER = 'mutation CreateCustomerForTest($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }';
const UPDATE_CUSTOMER = 'mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }';
const RECORD_CONSENT = 'mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { id } }';
const BOOK = 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }';
const CANCEL = 'mutation($id: ID!, $reason: String) { cancelAppointment(id: $id, reason: $reason) { id } }';
const CREATE_EXAM = 'mutation DraftExam($input: CreateExaminationInput!) { createExamination(input: $input) { id } }';
const UPDATE_EXAM = 'mutation($id: ID!, $input: UpdateExaminationInput!) { updateExamination(id: $id, input: $input) { id } }';
const SIGN_EXAM = 'mutation($id: ID!) { signExamination(id: $id) { id } }';
const ISSUE_RX = 'mutation($input: IssueSpectaclePrescriptionInput!) { issueSpectaclePrescription(input: $input) { id } }';
const ISSUE_CL = 'mutation($input: IssueContactLensSpecificationInput!) { issueContactLensSpecification(input: $input) { id } }';
const ADD_NOTE = 'mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }';

const REFRACTIONS = [
  { eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 90 },
  { eye: 'LEFT', type: 'SUBJECTIVE', sphere: -1, cylinder: 0 },
];
const ACUITIES = [{ eye: 'RIGHT', distance: 'DISTANCE', aid: 'GLASSES', unit: 'SNELLEN_METRE', value: '6/9' }];
const PRESSURES = [{ eye: 'RIGHT', mmHg: 16, instrument: 'NON_CONTACT' }];

const created = (after: unknown) => ({ before: null, after });

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10);
}

/** Runs SQL as the superuser on its own connection (not the application's DataSource). */
async function superuser(url: string, sql: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

describe('data change logs', () => {
  let app: TestApp;
  let leedsId: string;
  let managerId: string;
  let optometristId: string;
  let customers: string[];

  const sessions = sessionsFor(() => app);
  const as = <T = Record<string, unknown>>(email: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> =>
    sessions.as<T>(email, query, variables, { 'user-agent': USER_AGENT });

  async function ok<T = Record<string, unknown>>(email: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data: T; requestId: string }> {
    const result = await as<T>(email, query, variables);
    expect(result.errors).toBeUndefined();
    return { data: result.data!, requestId: result.headers.get('x-request-id')! };
  }

  /** The entries of a request, the encrypted clinical text in `changes` decrypted (stored as envelopes: test/encryption). */
  async function entries(db: DataSource, table: string, requestId: string): Promise<Entry[]> {
    const rows: Entry[] = await db.query(
      `SELECT seq::text, action::text, subject, record_type, record_id, customer_id, store_id, user_id, session_id, request_id,
              client_address, user_agent, operation_name, changes
         FROM ${table} e WHERE request_id = $1 ORDER BY e.seq`,
      [requestId],
    );
    if (table !== CLINICAL) return rows;
    return Promise.all(rows.map(async (row) => ({ ...row, changes: await decryptChanges(db, row.record_type, row.record_id, row.changes as never) }) as Entry));
  }

  async function entryCounts(): Promise<[number, number]> {
    const [[p], [c]] = await Promise.all([
      app.core.query(`SELECT count(*)::int AS n FROM ${PERSONAL}`),
      app.clinical.query(`SELECT count(*)::int AS n FROM ${CLINICAL}`),
    ]) as [{ n: number }[], { n: number }[]];
    return [p.n, c.n];
  }

  async function draftExam(customerId: string): Promise<{ id: string; requestId: string }> {
    const { data, requestId } = await ok<{ createExamination: { id: string } }>(OPTOMETRIST, CREATE_EXAM, {
      input: { customerId, storeId: leedsId, reasonForVisit: 'Blurred distance vision', history: 'No relevant history.', refractions: REFRACTIONS, visualAcuities: ACUITIES, intraocularPressures: PRESSURES },
    });
    return { id: data.createExamination.id, requestId };
  }

  beforeAll(async () => {
    app = await startTestApp();
    await publishWordings(app, ['2026-11', 'x']); // the wording versions this suite's consent changes name
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    [{ id: managerId }] = await app.core.query('SELECT id FROM staff_user WHERE email = $1', [MANAGER]);
    [{ id: optometristId }] = await app.core.query('SELECT id FROM staff_user WHERE email = $1', [OPTOMETRIST]);
    const rows: { id: string }[] = await app.core.query(
      `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' AND date_of_birth < current_date - interval '20 years' ORDER BY id LIMIT 12`,
      [leedsId],
    );
    customers = rows.map((r) => r.id);
    expect(customers).toHaveLength(12);
  });
  afterAll(() => app?.stop());

  describe('personal data (core database)', () => {
    it('createCustomer: one CREATE entry with every field set, who, from where, and nothing in the clinical log', async () => {
      const { data, requestId } = await ok<{ createCustomer: { id: string } }>(MANAGER, CREATE_CUSTOMER, {
        input: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1985-12-10', email: 'Ada@Example.com', phone: '0113 496 0000', homeStoreId: leedsId },
      });
      const id = data.createCustomer.id;
      const [entry, ...more] = await entries(app.core, PERSONAL, requestId);
      expect(more).toEqual([]);
      const [session]: { id: string }[] = await app.core.query('SELECT id FROM session WHERE user_id = $1 AND ended_at IS NULL', [managerId]);
      expect(entry).toMatchObject({
        action: 'CREATE', subject: 'Customer', record_type: 'Customer', record_id: id, customer_id: id, store_id: leedsId,
        user_id: managerId, session_id: session.id, request_id: requestId, user_agent: USER_AGENT, operation_name: 'CreateCustomerForTest',
      });
      expect(entry.client_address).toEqual(expect.any(String));
      expect(entry.changes).toEqual({
        firstName: created('Ada'), lastName: created('Lovelace'), dateOfBirth: created('1985-12-10'), email: created('ada@example.com'),
        phone: created('0113 496 0000'), sex: created('UNKNOWN'), status: created('ACTIVE'), homeStoreId: created(leedsId),
      });
      expect(await entries(app.clinical, CLINICAL, requestId)).toEqual([]);
    });

    it('updateCustomer: only the fields whose value changed, before and after; a no-op update leaves no entry', async () => {
      const id = customers[0];
      const [before]: { first_name: string; phone: string | null; email: string | null }[] = await app.core.query('SELECT first_name, phone, email FROM customer WHERE id = $1', [id]);
      const { requestId } = await ok(MANAGER, UPDATE_CUSTOMER, { id, input: { firstName: before.first_name, phone: '07700 900123', email: 'new.address@example.com' } });
      const [entry, ...more] = await entries(app.core, PERSONAL, requestId);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({ action: 'UPDATE', subject: 'Customer', record_type: 'Customer', record_id: id, customer_id: id, store_id: leedsId, user_id: managerId });
      expect(entry.changes).toEqual({
        phone: { before: before.phone, after: '07700 900123' },
        email: { before: before.email, after: 'new.address@example.com' },
      });

      const again = await ok(MANAGER, UPDATE_CUSTOMER, { id, input: { phone: '07700 900123' } });
      expect(await entries(app.core, PERSONAL, again.requestId)).toEqual([]);
    });

    it('recordConsentChange: UPDATE of the channel’s consent with its previous state; CREATE for a first consent', async () => {
      const id = customers[1];
      const state = `SELECT id, channel::text AS channel, granted, changed_at AS "changedAt", actor::text AS actor, source::text AS source,
                            wording_version AS "wordingVersion", recorded_by_id AS "recordedById" FROM consent`;
      const [existing]: Record<string, unknown>[] = await app.core.query(`${state} WHERE customer_id = $1 ORDER BY channel LIMIT 1`, [id]);
      expect(existing).toBeDefined();
      const { requestId } = await ok(MANAGER, RECORD_CONSENT, {
        input: { customerId: id, channel: existing.channel, granted: !existing.granted, source: 'PHONE', wordingVersion: '2026-11' },
      });
      const [entry, ...more] = await entries(app.core, PERSONAL, requestId);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({ action: 'UPDATE', subject: 'Consent', record_type: 'Consent', record_id: existing.id, customer_id: id, store_id: leedsId });
      const [now]: Record<string, unknown>[] = await app.core.query(`${state} WHERE id = $1`, [existing.id]);
      const json = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
      const expected: Record<string, unknown> = {};
      for (const field of ['granted', 'changedAt', 'actor', 'source', 'wordingVersion', 'recordedById']) {
        if (json(existing[field]) !== json(now[field])) expected[field] = { before: json(existing[field]), after: json(now[field]) };
      }
      expect(expected).toMatchObject({ granted: { after: !existing.granted }, wordingVersion: { after: '2026-11' }, recordedById: { after: managerId } });
      expect(entry.changes).toEqual(expected);
      expect(Object.keys(entry.changes)).not.toContain('channel');

      const [fresh]: { id: string; channel: string }[] = await app.core.query(
        `SELECT c.id, ch.channel FROM customer c CROSS JOIN unnest(ARRAY['SMS','EMAIL','MAIL','SOCIAL_MEDIA']) AS ch(channel)
          WHERE c.home_store_id = $1 AND NOT EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id AND k.channel::text = ch.channel)
          ORDER BY c.id LIMIT 1`, [leedsId]);
      expect(fresh).toBeDefined();
      const first = await ok<{ recordConsentChange: { id: string } }>(MANAGER, RECORD_CONSENT, {
        input: { customerId: fresh.id, channel: fresh.channel, granted: true, source: 'IN_STORE', wordingVersion: '2026-11' },
      });
      const [createdEntry] = await entries(app.core, PERSONAL, first.requestId);
      expect(createdEntry).toMatchObject({ action: 'CREATE', subject: 'Consent', record_id: first.data.recordConsentChange.id, customer_id: fresh.id });
      expect(createdEntry.changes).toMatchObject({
        channel: created(fresh.channel), granted: created(true), source: created('IN_STORE'), actor: created('STAFF'),
        wordingVersion: created('2026-11'), recordedById: created(managerId), customerId: created(fresh.id),
      });
    });

    it('bookAppointment and cancelAppointment: CREATE with the booking, CANCEL with status and reason before and after', async () => {
      const id = customers[2];
      const startsAt = new Date(Date.now() + 2 * 86400_000);
      // before 09:00 UTC: the demo seed books the optometrist's slots from 09:00 on, and their appointments never overlap
      startsAt.setUTCHours(8, 0, 0, 0);
      const endsAt = new Date(startsAt.getTime() + 30 * 60_000);
      const booked = await ok<{ bookAppointment: { id: string } }>(MANAGER, BOOK, {
        input: { customerId: id, storeId: leedsId, type: 'SIGHT_TEST', startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), practitionerId: optometristId },
      });
      const appointmentId = booked.data.bookAppointment.id;
      const [entry] = await entries(app.core, PERSONAL, booked.requestId);
      expect(entry).toMatchObject({ action: 'CREATE', subject: 'Appointment', record_type: 'Appointment', record_id: appointmentId, customer_id: id, store_id: leedsId });
      expect(entry.changes).toEqual({
        storeId: created(leedsId), customerId: created(id), practitionerId: created(optometristId), type: created('SIGHT_TEST'),
        startsAt: created(startsAt.toISOString()), endsAt: created(endsAt.toISOString()), status: created('BOOKED'),
      });

      const cancelled = await ok(MANAGER, CANCEL, { id: appointmentId, reason: 'Customer phoned' });
      const [cancel, ...more] = await entries(app.core, PERSONAL, cancelled.requestId);
      expect(more).toEqual([]);
      expect(cancel).toMatchObject({ action: 'CANCEL', subject: 'Appointment', record_id: appointmentId, customer_id: id, store_id: leedsId });
      expect(cancel.changes).toEqual({ status: { before: 'BOOKED', after: 'CANCELLED' }, cancellationReason: { before: null, after: 'Customer phoned' } });
    });
  });

  describe('clinical data (clinical database)', () => {
    it('createExamination: the examination, then each refraction, acuity and pressure, all CREATE, in one statement of the same transaction', async () => {
      const id = customers[3];
      const exam = await draftExam(id);
      const log = await entries(app.clinical, CLINICAL, exam.requestId);
      expect(log.map((e) => [e.action, e.subject, e.record_type])).toEqual([
        ['CREATE', 'Examination', 'Examination'],
        ['CREATE', 'Examination', 'Refraction'], ['CREATE', 'Examination', 'Refraction'],
        ['CREATE', 'Examination', 'VisualAcuity'], ['CREATE', 'Examination', 'IntraocularPressure'],
      ]);
      for (const entry of log) {
        expect(entry).toMatchObject({ customer_id: id, store_id: leedsId, user_id: optometristId, user_agent: USER_AGENT, operation_name: 'DraftExam' });
      }
      const [stored]: { examined_at: Date }[] = await app.clinical.query('SELECT examined_at FROM examination WHERE id = $1', [exam.id]);
      expect(log[0].record_id).toBe(exam.id);
      expect(log[0].changes).toEqual({
        storeId: created(leedsId), customerId: created(id), practitionerId: created(optometristId), examinedAt: created(stored.examined_at.toISOString()),
        reasonForVisit: created('Blurred distance vision'), history: created('No relevant history.'), status: created('DRAFT'),
      });
      const refractions: { id: string; eye: string }[] = await app.clinical.query('SELECT id, eye::text FROM refraction WHERE examination_id = $1', [exam.id]);
      const right = refractions.find((r) => r.eye === 'RIGHT')!;
      const rightEntry = log.find((e) => e.record_id === right.id)!;
      expect(rightEntry.changes).toEqual({
        examinationId: created(exam.id), storeId: created(leedsId), customerId: created(id), eye: created('RIGHT'), type: created('SUBJECTIVE'),
        sphere: created(-1.25), cylinder: created(-0.5), axis: created(90),
      });
      const [acuity]: { id: string }[] = await app.clinical.query('SELECT id FROM visual_acuity WHERE examination_id = $1', [exam.id]);
      expect(log[3]).toMatchObject({ record_id: acuity.id });
      expect(log[3].changes).toMatchObject({ value: created('6/9'), logMar: created(0.18), unit: created('SNELLEN_METRE') });
      expect(log[4].changes).toMatchObject({ mmHg: created(16), instrument: created('NON_CONTACT'), measuredAt: created(stored.examined_at.toISOString()) });

      // one INSERT (one command id) in the transaction that wrote the examination (same xmin)
      const [{ xmin }]: { xmin: string }[] = await app.clinical.query('SELECT xmin::text AS xmin FROM examination WHERE id = $1', [exam.id]);
      const stamps: { xmin: string; cmin: string }[] = await app.clinical.query(`SELECT DISTINCT xmin::text AS xmin, cmin::text AS cmin FROM ${CLINICAL} WHERE request_id = $1`, [exam.requestId]);
      expect(stamps).toEqual([{ xmin, cmin: expect.any(String) }]);
      expect(await entries(app.core, PERSONAL, exam.requestId)).toEqual([]);
    });

    it('updateExamination: the changed fields, and each replaced finding as a DELETE of the old row and a CREATE of the new one', async () => {
      const exam = await draftExam(customers[4]);
      const old: { id: string; eye: string; sphere: string }[] = await app.clinical.query('SELECT id, eye::text, sphere::text FROM refraction WHERE examination_id = $1 ORDER BY eye', [exam.id]);
      const { requestId } = await ok(OPTOMETRIST, UPDATE_EXAM, {
        id: exam.id,
        input: { history: 'Diabetic since 2019.', reasonForVisit: 'Blurred distance vision', refractions: [{ eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.5, cylinder: -0.5, axis: 85 }] },
      });
      const log = await entries(app.clinical, CLINICAL, requestId);
      expect(log.map((e) => [e.action, e.record_type])).toEqual([
        ['UPDATE', 'Examination'], ['DELETE', 'Refraction'], ['DELETE', 'Refraction'], ['CREATE', 'Refraction'],
      ]);
      expect(log[0]).toMatchObject({ record_id: exam.id, subject: 'Examination' });
      expect(log[0].changes).toEqual({ history: { before: 'No relevant history.', after: 'Diabetic since 2019.' } });
      expect(log.slice(1, 3).map((e) => e.record_id).sort()).toEqual(old.map((r) => r.id).sort());
      const removedRight = log.find((e) => e.action === 'DELETE' && e.record_id === old.find((r) => r.eye === 'RIGHT')!.id)!;
      expect(removedRight.changes).toEqual({
        examinationId: { before: exam.id, after: null }, storeId: { before: leedsId, after: null }, customerId: { before: customers[4], after: null },
        eye: { before: 'RIGHT', after: null }, type: { before: 'SUBJECTIVE', after: null }, sphere: { before: -1.25, after: null },
        cylinder: { before: -0.5, after: null }, axis: { before: 90, after: null },
      });
      const [now]: { id: string }[] = await app.clinical.query('SELECT id FROM refraction WHERE examination_id = $1', [exam.id]);
      expect(log[3]).toMatchObject({ record_id: now.id });
      expect(log[3].changes).toMatchObject({ sphere: created(-1.5), axis: created(85), eye: created('RIGHT') });
    });

    it('signExamination: SIGN with status, signedAt and signedById', async () => {
      const exam = await draftExam(customers[5]);
      const { requestId } = await ok(OPTOMETRIST, SIGN_EXAM, { id: exam.id });
      const [entry, ...more] = await entries(app.clinical, CLINICAL, requestId);
      expect(more).toEqual([]);
      const [signed]: { signed_at: Date }[] = await app.clinical.query('SELECT signed_at FROM examination WHERE id = $1', [exam.id]);
      expect(entry).toMatchObject({ action: 'SIGN', subject: 'Examination', record_type: 'Examination', record_id: exam.id });
      expect(entry.changes).toEqual({
        status: { before: 'DRAFT', after: 'SIGNED' }, signedAt: { before: null, after: signed.signed_at.toISOString() }, signedById: { before: null, after: optometristId },
      });
    });

    it('issueSpectaclePrescription, issueContactLensSpecification and addClinicalNote: one CREATE each with the values written', async () => {
      const id = customers[6];
      const rx = await ok<{ issueSpectaclePrescription: { id: string } }>(OPTOMETRIST, ISSUE_RX, {
        input: { customerId: id, storeId: leedsId, outcome: 'NEW_RX', rightSphere: -2, rightCylinder: -0.75, rightAxis: 180, leftSphere: -1.75, notes: 'Single vision distance' },
      });
      const [rxEntry] = await entries(app.clinical, CLINICAL, rx.requestId);
      expect(rxEntry).toMatchObject({ action: 'CREATE', subject: 'SpectaclePrescription', record_type: 'SpectaclePrescription', record_id: rx.data.issueSpectaclePrescription.id, customer_id: id });
      expect(rxEntry.changes).toMatchObject({
        outcome: created('NEW_RX'), rightSphere: created(-2), rightCylinder: created(-0.75), rightAxis: created(180), leftSphere: created(-1.75),
        notes: created('Single vision distance'), issuedOn: created(isoDay(0)), prescriberId: created(optometristId),
        prescriberName: created('Dr Omar Rahman'), prescriberRegistrationNumber: created('01-34567'),
      });
      expect(rxEntry.changes).not.toHaveProperty('leftCylinder');

      const expiresOn = isoDay(365);
      const cl = await ok<{ issueContactLensSpecification: { id: string } }>(OPTOMETRIST, ISSUE_CL, {
        input: { customerId: id, storeId: leedsId, expiresOn, replacement: 'DAILY', rightBrand: 'Acme Daily', rightPower: -2.25, rightBaseCurve: 8.6, rightDiameter: 14.2 },
      });
      const [clEntry] = await entries(app.clinical, CLINICAL, cl.requestId);
      expect(clEntry).toMatchObject({ action: 'CREATE', subject: 'ContactLensSpecification', record_id: cl.data.issueContactLensSpecification.id });
      expect(clEntry.changes).toMatchObject({
        expiresOn: created(expiresOn), replacement: created('DAILY'), rightBrand: created('Acme Daily'), rightPower: created(-2.25),
        rightBaseCurve: created(8.6), rightDiameter: created(14.2),
      });

      const note = await ok<{ addClinicalNote: { id: string } }>(OPTOMETRIST, ADD_NOTE, { input: { customerId: id, storeId: leedsId, subjective: 'Headaches when reading', plan: 'Review in 3 months' } });
      const [noteEntry, ...more] = await entries(app.clinical, CLINICAL, note.requestId);
      expect(more).toEqual([]);
      expect(noteEntry).toMatchObject({ action: 'CREATE', subject: 'ClinicalNote', record_type: 'ClinicalNote', record_id: note.data.addClinicalNote.id, customer_id: id, store_id: leedsId });
      expect(noteEntry.changes).toEqual({
        storeId: created(leedsId), customerId: created(id), authorId: created(optometristId),
        subjective: created('Headaches when reading'), plan: created('Review in 3 months'),
      });
    });
  });

  describe('failed mutations', () => {
    it.each([
      ['bad input', MANAGER, CREATE_CUSTOMER, () => ({ input: { firstName: 'Bad', lastName: 'Email', dateOfBirth: '1990-01-01', email: 'not-an-email', homeStoreId: leedsId } }), 'BAD_USER_INPUT'],
      ['forbidden (no create on Customer)', RECEPTION, CREATE_CUSTOMER, () => ({ input: { firstName: 'No', lastName: 'Right', dateOfBirth: '1990-01-01', homeStoreId: leedsId } }), 'FORBIDDEN'],
      ['forbidden field (receptionist may not change a name)', RECEPTION, UPDATE_CUSTOMER, () => ({ id: customers[7], input: { firstName: 'Changed', phone: '0113 000 0001' } }), 'FORBIDDEN'],
      ['not found (no such appointment)', MANAGER, CANCEL, () => ({ id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND'],
      ['forbidden (assistant drafts an examination)', ASSISTANT, CREATE_EXAM, () => ({ input: { customerId: customers[8], storeId: leedsId, history: 'x' } }), 'FORBIDDEN'],
      ['bad input (axis missing)', OPTOMETRIST, CREATE_EXAM, () => ({ input: { customerId: customers[8], storeId: leedsId, refractions: [{ eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1, cylinder: -0.5 }] } }), 'BAD_USER_INPUT'],
      ['bad input (expired specification)', OPTOMETRIST, ISSUE_CL, () => ({ input: { customerId: customers[8], storeId: leedsId, expiresOn: isoDay(-1) } }), 'BAD_USER_INPUT'],
      ['forbidden (locum has no role at Leeds)', LOCUM, ADD_NOTE, () => ({ input: { customerId: customers[8], storeId: leedsId, plan: 'x' } }), 'NOT_FOUND'],
    ])('%s leaves no entry in either log', async (_name, email, query, variables, code) => {
      const before = await entryCounts();
      const result = await as(email, query, variables());
      expect(errorCodes(result)).toEqual([code]);
      expect(await entryCounts()).toEqual(before);
      const requestId = result.headers.get('x-request-id')!;
      expect(await entries(app.core, PERSONAL, requestId)).toEqual([]);
      expect(await entries(app.clinical, CLINICAL, requestId)).toEqual([]);
    });

    it('an examiner’s draft changed by someone else is FORBIDDEN and logs nothing', async () => {
      const exam = await draftExam(customers[9]);
      // a second registered practitioner with the Optometrist role at Leeds
      await app.core.query(
        `INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type, store_id)
         SELECT r.chain_id, u.id, r.id, 'STORE', $1 FROM staff_user u JOIN role r ON r.chain_id = u.chain_id AND r.name = 'Optometrist' WHERE u.email = $2`,
        [leedsId, LOCUM]);
      await app.core.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = (SELECT chain_id FROM store WHERE id = $1)', [leedsId]);
      const before = await entryCounts();
      const result = await as(LOCUM, UPDATE_EXAM, { id: exam.id, input: { history: 'Overwritten' } });
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(await entryCounts()).toEqual(before);
      await app.core.query(`DELETE FROM role_assignment WHERE user_id = (SELECT id FROM staff_user WHERE email = $1) AND store_id = $2`, [LOCUM, leedsId]);
      await app.core.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = (SELECT chain_id FROM store WHERE id = $1)', [leedsId]);
    });
  });

  describe('fail closed: a change whose log cannot be written is rolled back', () => {
    async function breakLog(url: string, table: string): Promise<void> {
      await superuser(url, `CREATE OR REPLACE FUNCTION test_refuse_log() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'change log unavailable (test)'; END $$`);
      await superuser(url, `CREATE TRIGGER test_refuse_log BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_refuse_log()`);
    }
    async function repairLog(url: string, table: string): Promise<void> {
      await superuser(url, `DROP TRIGGER test_refuse_log ON ${table}`);
      await superuser(url, 'DROP FUNCTION test_refuse_log()');
    }

    async function coreSnapshot(): Promise<unknown> {
      return app.core.query(
        `SELECT (SELECT count(*)::int FROM customer) AS customers, (SELECT count(*)::int FROM consent_event) AS events,
                (SELECT count(*)::int FROM appointment) AS appointments,
                (SELECT md5(string_agg(c::text, '|' ORDER BY c.id)) FROM customer c) AS customer_rows,
                (SELECT md5(string_agg(k::text, '|' ORDER BY k.id)) FROM consent k) AS consent_rows,
                (SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM appointment a) AS appointment_rows`);
    }
    async function clinicalSnapshot(): Promise<unknown> {
      const tables = ['examination', 'refraction', 'visual_acuity', 'intraocular_pressure', 'spectacle_prescription', 'contact_lens_specification', 'clinical_note'];
      return app.clinical.query(`SELECT ${tables.map((t) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM ${t} x) AS ${t}`).join(', ')}`);
    }

    it('personal data: create, update, consent, booking and cancelling fail and change nothing', async () => {
      const startsAt = new Date(Date.now() + 3 * 86400_000);
      startsAt.setUTCHours(11, 0, 0, 0);
      const booked = await ok<{ bookAppointment: { id: string } }>(MANAGER, BOOK, {
        input: { customerId: customers[10], storeId: leedsId, type: 'DISPENSING', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 900_000).toISOString() },
      });
      const before = await coreSnapshot();
      const counts = await entryCounts();
      await breakLog(app.coreUrl, PERSONAL);
      try {
        const attempts = [
          await as(MANAGER, CREATE_CUSTOMER, { input: { firstName: 'Never', lastName: 'Saved', dateOfBirth: '1990-01-01', homeStoreId: leedsId } }),
          await as(MANAGER, UPDATE_CUSTOMER, { id: customers[10], input: { phone: '0113 496 0999' } }),
          await as(MANAGER, RECORD_CONSENT, { input: { customerId: customers[10], channel: 'EMAIL', granted: true, source: 'IN_STORE', wordingVersion: 'x' } }),
          await as(MANAGER, BOOK, { input: { customerId: customers[10], storeId: leedsId, type: 'REPAIR', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 900_000).toISOString() } }),
          await as(MANAGER, CANCEL, { id: booked.data.bookAppointment.id }),
        ];
        for (const result of attempts) {
          expect([errorCodes(result), result.errors?.[0].message]).toEqual([['INTERNAL_SERVER_ERROR'], 'Internal error.']);
          expect(JSON.stringify(result.data ?? null)).not.toContain('"id"');
        }
      } finally {
        await repairLog(app.coreUrl, PERSONAL);
      }
      expect(await coreSnapshot()).toEqual(before);
      expect(await entryCounts()).toEqual(counts);
      // and with the log back, the same change goes through and is logged
      const retry = await ok(MANAGER, UPDATE_CUSTOMER, { id: customers[10], input: { phone: '0113 496 0999' } });
      expect(await entries(app.core, PERSONAL, retry.requestId)).toHaveLength(1);
    });

    it('clinical data: drafting, editing (findings replaced), signing, prescribing and notes fail and change nothing', async () => {
      const exam = await draftExam(customers[11]);
      const before = await clinicalSnapshot();
      const counts = await entryCounts();
      await breakLog(app.clinicalUrl, CLINICAL);
      try {
        const attempts = [
          await as(OPTOMETRIST, CREATE_EXAM, { input: { customerId: customers[11], storeId: leedsId, history: 'Never saved', refractions: REFRACTIONS } }),
          await as(OPTOMETRIST, UPDATE_EXAM, { id: exam.id, input: { history: 'Never saved', refractions: [], visualAcuities: [], intraocularPressures: [] } }),
          await as(OPTOMETRIST, SIGN_EXAM, { id: exam.id }),
          await as(OPTOMETRIST, ISSUE_RX, { input: { customerId: customers[11], storeId: leedsId, outcome: 'NO_RX_NEEDED' } }),
          await as(OPTOMETRIST, ISSUE_CL, { input: { customerId: customers[11], storeId: leedsId, expiresOn: isoDay(200), rightBrand: 'Acme', rightPower: -1, rightBaseCurve: 8.6, rightDiameter: 14.2 } }),
          await as(OPTOMETRIST, ADD_NOTE, { input: { customerId: customers[11], storeId: leedsId, plan: 'Never saved' } }),
        ];
        for (const result of attempts) expect([errorCodes(result), result.errors?.[0].message]).toEqual([['INTERNAL_SERVER_ERROR'], 'Internal error.']);
      } finally {
        await repairLog(app.clinicalUrl, CLINICAL);
      }
      expect(await clinicalSnapshot()).toEqual(before);
      expect(await entryCounts()).toEqual(counts);
      const [row]: { status: string; history: string }[] = await app.clinical.query('SELECT status::text, history FROM examination WHERE id = $1', [exam.id]);
      expect({ ...row, history: await decryptStored(app.ownerClinical, 'Examination', 'history', exam.id, row.history) }).toEqual({ status: 'DRAFT', history: 'No relevant history.' });
    });
  });

  describe('append-only', () => {
    it.each([
      [PERSONAL, 'core'],
      [CLINICAL, 'clinical'],
    ] as const)('%s rejects UPDATE, DELETE and TRUNCATE, even from the superuser', async (table, database) => {
      const url = database === 'core' ? app.coreUrl : app.clinicalUrl;
      const db = database === 'core' ? app.core : app.clinical;
      const [{ n }]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(n).toBeGreaterThan(0);
      await expect(superuser(url, `UPDATE ${table} SET changes = '{}'::jsonb`)).rejects.toThrow(`${table} is append-only: UPDATE rejected`);
      await expect(superuser(url, `DELETE FROM ${table}`)).rejects.toThrow(`${table} is append-only: DELETE rejected`);
      await expect(superuser(url, `TRUNCATE ${table}`)).rejects.toThrow(`${table} is append-only: TRUNCATE rejected`);
      const [{ n: after }]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(after).toBe(n);
    });
  });
});
