/**
 * Every mutation end to end through the real GraphQL API: the answer, the rows written (or not
 * written) in the core and clinical databases, FORBIDDEN for callers without the right and
 * BAD_USER_INPUT (naming the field) for bad input, which must change nothing.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { publishWordings } from '../support/consent-wordings';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';
import { decryptRow, EXAMINATION_TEXT, NOTE_TEXT } from '../support/clinical-ciphertext';

const MANAGER = EMAIL.leedsManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const ASSISTANT = EMAIL.leedsAssistant;
const RECEPTION = EMAIL.leedsReception;
const CHAIN_MANAGER = EMAIL.chainManager;
const LOCUM = EMAIL.locum;
const CHAIN = 'Clearview Opticians';
const ALL_CHANNELS = '{SMS,EMAIL,MAIL,SOCIAL_MEDIA}';

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

const CUSTOMER_FIELDS = 'id firstName lastName dateOfBirth sex email phone addressLine1 city postcode country homeStoreId status';

const CREATE_CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { ${CUSTOMER_FIELDS} } }`;
const UPDATE_CUSTOMER = `mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { ${CUSTOMER_FIELDS} } }`;
const UPDATE_CUSTOMER_CONTACT = 'mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id firstName phone email } }';

const RECORD_CONSENT = `mutation($input: ConsentChangeInput!) {
  recordConsentChange(input: $input) { id customerId channel granted actor source wordingVersion recordedById }
}`;
const CONSENTS_OF = `query($id: ID!) {
  customer(id: $id) { consents { channel granted history { granted changedAt actor source wordingVersion } } }
}`;

const APPOINTMENT_FIELDS = 'id customerId storeId type startsAt endsAt status cancellationReason';
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { ${APPOINTMENT_FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String) { cancelAppointment(id: $id, reason: $reason) { ${APPOINTMENT_FIELDS} } }`;

const EXAM_FIELDS = `id customerId storeId practitionerId status signedAt signedById reasonForVisit history
  refractions { eye type sphere cylinder axis }
  visualAcuities { eye distance aid unit value logMar }
  intraocularPressures { eye mmHg instrument }`;
const CREATE_EXAM = `mutation($input: CreateExaminationInput!) { createExamination(input: $input) { ${EXAM_FIELDS} } }`;
const UPDATE_EXAM = `mutation($id: ID!, $input: UpdateExaminationInput!) { updateExamination(id: $id, input: $input) { ${EXAM_FIELDS} } }`;
const SIGN_EXAM = 'mutation($id: ID!) { signExamination(id: $id) { id status signedAt signedById } }';

const ISSUE_RX = `mutation($input: IssueSpectaclePrescriptionInput!) {
  issueSpectaclePrescription(input: $input) {
    id customerId storeId issuedOn outcome prescriberId prescriberName prescriberRegistrationNumber
    rightSphere rightCylinder rightAxis leftSphere leftCylinder leftAxis notes
  }
}`;
const ISSUE_CL = `mutation($input: IssueContactLensSpecificationInput!) {
  issueContactLensSpecification(input: $input) {
    id customerId storeId issuedOn expiresOn replacement patientDateOfBirth prescriberId prescriberName prescriberRegistrationNumber
    rightBrand rightPower rightBaseCurve rightDiameter leftPower
  }
}`;
const ADD_NOTE = `mutation($input: AddClinicalNoteInput!) {
  addClinicalNote(input: $input) { id customerId storeId authorId examinationId subjective objective assessment plan }
}`;

// ---------------------------------------------------------------------------------------------
// Shapes of answers
// ---------------------------------------------------------------------------------------------

interface CustomerAnswer {
  id: string; firstName: string; lastName: string; dateOfBirth: string; sex: string; email: string | null; phone: string | null;
  addressLine1: string | null; city: string | null; postcode: string | null; country: string | null; homeStoreId: string; status: string;
}
interface ConsentAnswer { id: string; customerId: string; channel: string; granted: boolean; actor: string; source: string; wordingVersion: string; recordedById: string }
interface HistoryAnswer { granted: boolean; changedAt: string; actor: string; source: string; wordingVersion: string }
interface AppointmentAnswer { id: string; customerId: string; storeId: string; type: string; startsAt: string; endsAt: string; status: string; cancellationReason: string | null }
interface ExamAnswer {
  id: string; customerId: string; storeId: string; practitionerId: string; status: string; signedAt: string | null; signedById: string | null;
  reasonForVisit: string | null; history: string | null;
  refractions: { eye: string; type: string; sphere: number; cylinder: number; axis: number | null }[];
  visualAcuities: { eye: string; distance: string; aid: string; unit: string; value: string; logMar: number | null }[];
  intraocularPressures: { eye: string; mmHg: number; instrument: string }[];
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function todayUtc(): string {
  return isoDay(new Date());
}

function daysFromToday(days: number): string {
  return isoDay(new Date(Date.now() + days * 86400_000));
}

/** Tomorrow (UTC) at the given hour and minute, as an ISO instant. */
function tomorrowAt(hour: number, minute = 0): string {
  const d = new Date(Date.now() + 86400_000);
  d.setUTCHours(hour, minute, 0, 0);
  return d.toISOString();
}

async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: string | number }[] = await ds.query(sql, params);
  return Number(rows[0].n);
}

const tableCount = (ds: DataSource, table: string) => count(ds, `SELECT count(*) AS n FROM ${table}`);

function expectBadInput(result: GraphQLResult<unknown>, field?: string): void {
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  if (field !== undefined) expect(result.errors?.[0].extensions?.field).toBe(field);
}

function expectForbidden(result: GraphQLResult<unknown>): void {
  expect(errorCodes(result)).toEqual(['FORBIDDEN']);
}

// Refraction / acuity / pressure inputs of a standard exam.
const REFRACTIONS = [
  { eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 90 },
  { eye: 'LEFT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 90 },
];
const ACUITIES = [
  { eye: 'RIGHT', distance: 'DISTANCE', aid: 'GLASSES', unit: 'SNELLEN_METRE', value: '6/6' },
  { eye: 'LEFT', distance: 'DISTANCE', aid: 'GLASSES', unit: 'SNELLEN_METRE', value: '6/6' },
];
const PRESSURES = [
  { eye: 'RIGHT', mmHg: 15, instrument: 'NON_CONTACT' },
  { eye: 'LEFT', mmHg: 15, instrument: 'NON_CONTACT' },
];
const CLINICAL_TABLES = ['examination', 'refraction', 'visual_acuity', 'intraocular_pressure'] as const;

describe('mutations', () => {
  let app: TestApp;
  let leedsId: string;
  let yorkId: string;
  /** Leeds customers, each reserved for one group of tests so they do not disturb one another. */
  let leedsCustomers: string[];
  let optometristId: string;

  /** One session per user for the whole file (a new login would end the previous one). */
  const { as } = sessionsFor(() => app);

  async function clinicalCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of CLINICAL_TABLES) out[table] = await tableCount(app.clinical, table);
    return out;
  }

  function customer(n: number): string {
    return leedsCustomers[n];
  }

  async function draftExam(customerId: string): Promise<ExamAnswer> {
    const result = await as<{ createExamination: ExamAnswer }>(OPTOMETRIST, CREATE_EXAM, {
      input: {
        customerId, storeId: leedsId, reasonForVisit: 'Routine sight test', history: 'No relevant history.',
        refractions: REFRACTIONS, visualAcuities: ACUITIES, intraocularPressures: PRESSURES,
      },
    });
    expect(result.errors).toBeUndefined();
    return result.data!.createExamination;
  }

  beforeAll(async () => {
    app = await startTestApp();
    await publishWordings(app, ['2026-02', '2026-03']); // the wording versions this suite's consent changes name
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    [{ id: yorkId }] = await app.core.query(`SELECT id FROM store WHERE name = 'York'`);
    [{ id: optometristId }] = await app.core.query('SELECT id FROM staff_user WHERE email = $1', [OPTOMETRIST]);
    const rows: { id: string }[] = await app.core.query(
      `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' AND date_of_birth < current_date - interval '20 years' ORDER BY id LIMIT 12`,
      [leedsId],
    );
    leedsCustomers = rows.map((r) => r.id);
    expect(leedsCustomers).toHaveLength(12);
  });
  afterAll(() => app?.stop());

  // -------------------------------------------------------------------------------------------
  // Customers
  // -------------------------------------------------------------------------------------------

  describe('createCustomer / updateCustomer', () => {
    const newCustomer = () => ({
      homeStoreId: leedsId, firstName: '  Jane ', lastName: 'Doe', dateOfBirth: '1985-04-12', sex: 'FEMALE',
      email: 'Jane.Doe@Example.com', phone: '07700 900123', addressLine1: '1 Test Street', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB',
    });

    it('the store manager creates a customer at Leeds and gets it back with its fields', async () => {
      const before = await tableCount(app.core, 'customer');
      const result = await as<{ createCustomer: CustomerAnswer }>(MANAGER, CREATE_CUSTOMER, { input: newCustomer() });
      expect(result.errors).toBeUndefined();
      const created = result.data!.createCustomer;
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/), firstName: 'Jane', lastName: 'Doe', dateOfBirth: '1985-04-12', sex: 'FEMALE',
        email: 'jane.doe@example.com', phone: '07700 900123', addressLine1: '1 Test Street', city: 'Leeds', postcode: 'LS1 1AA',
        country: 'GB', homeStoreId: leedsId, status: 'ACTIVE',
      });
      expect(await tableCount(app.core, 'customer')).toBe(before + 1);
      const [row] = await app.core.query(
        `SELECT c.first_name, c.last_name, c.date_of_birth::text AS dob, c.email, c.phone, c.home_store_id, c.chain_id = ch.id AS in_chain, c.status
           FROM customer c JOIN chain ch ON ch.name = $2 WHERE c.id = $1`,
        [created.id, CHAIN],
      );
      expect(row).toEqual({
        first_name: 'Jane', last_name: 'Doe', dob: '1985-04-12', email: 'jane.doe@example.com', phone: '07700 900123',
        home_store_id: leedsId, in_chain: true, status: 'ACTIVE',
      });
    });

    it('updateCustomer changes only the given fields', async () => {
      const created = await as<{ createCustomer: CustomerAnswer }>(MANAGER, CREATE_CUSTOMER, { input: { ...newCustomer(), firstName: 'Ursula', email: 'ursula@example.com' } });
      expect(created.errors).toBeUndefined();
      const id = created.data!.createCustomer.id;
      await app.core.query(`UPDATE customer SET updated_at = now() - interval '1 day' WHERE id = $1`, [id]);
      const result = await as<{ updateCustomer: CustomerAnswer }>(MANAGER, UPDATE_CUSTOMER, { id, input: { phone: '0113 496 0999', city: 'Wakefield' } });
      expect(result.errors).toBeUndefined();
      expect(result.data!.updateCustomer).toMatchObject({
        id, phone: '0113 496 0999', city: 'Wakefield', firstName: 'Ursula', lastName: 'Doe', dateOfBirth: '1985-04-12',
        email: 'ursula@example.com', addressLine1: '1 Test Street', postcode: 'LS1 1AA', country: 'GB', sex: 'FEMALE', homeStoreId: leedsId,
      });
      const [row] = await app.core.query(
        `SELECT first_name, last_name, date_of_birth::text AS dob, email, phone, city, address_line1, postcode, country, sex, home_store_id
           FROM customer WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({
        first_name: 'Ursula', last_name: 'Doe', dob: '1985-04-12', email: 'ursula@example.com', phone: '0113 496 0999', city: 'Wakefield',
        address_line1: '1 Test Street', postcode: 'LS1 1AA', country: 'GB', sex: 'FEMALE', home_store_id: leedsId,
      });
      const [{ fresh }] = await app.core.query(`SELECT updated_at > now() - interval '1 minute' AS fresh FROM customer WHERE id = $1`, [id]);
      expect(fresh).toBe(true);
    });

    it('a receptionist may update phone and email', async () => {
      const id = customer(0);
      const result = await as<{ updateCustomer: { id: string; phone: string; email: string } }>(RECEPTION, UPDATE_CUSTOMER_CONTACT, {
        id, input: { phone: '07700 900555', email: 'new.address@example.com' },
      });
      expect(result.errors).toBeUndefined();
      expect(result.data!.updateCustomer).toMatchObject({ id, phone: '07700 900555', email: 'new.address@example.com' });
      const [row] = await app.core.query('SELECT phone, email FROM customer WHERE id = $1', [id]);
      expect(row).toEqual({ phone: '07700 900555', email: 'new.address@example.com' });
    });

    it('a receptionist gets FORBIDDEN setting dateOfBirth or firstName, and the row is unchanged', async () => {
      const id = customer(1);
      const select = 'SELECT first_name, last_name, date_of_birth::text AS dob, phone, email, updated_at FROM customer WHERE id = $1';
      const [before] = await app.core.query(select, [id]);
      for (const input of [{ dateOfBirth: '1970-01-01' }, { firstName: 'Mallory' }, { firstName: 'Mallory', phone: '07700 900666' }]) {
        const result = await as<{ updateCustomer: unknown }>(RECEPTION, UPDATE_CUSTOMER_CONTACT, { id, input });
        expectForbidden(result);
        expect(result.data?.updateCustomer ?? null).toBeNull();
        const [after] = await app.core.query(select, [id]);
        expect(after).toEqual(before);
      }
    });

    it('the Leeds store manager cannot create a customer at York (outside their scope)', async () => {
      const before = await tableCount(app.core, 'customer');
      const result = await as<{ createCustomer: unknown }>(MANAGER, CREATE_CUSTOMER, { input: { ...newCustomer(), homeStoreId: yorkId } });
      expectForbidden(result);
      expect(await tableCount(app.core, 'customer')).toBe(before);
    });

    it('a receptionist cannot create a customer at all', async () => {
      const before = await tableCount(app.core, 'customer');
      const result = await as<{ createCustomer: unknown }>(RECEPTION, CREATE_CUSTOMER, { input: newCustomer() });
      expectForbidden(result);
      expect(result.data?.createCustomer ?? null).toBeNull();
      expect(await tableCount(app.core, 'customer')).toBe(before);
    });
  });

  describe('bad customer input changes nothing', () => {
    const valid = () => ({ homeStoreId: leedsId, firstName: 'Bad', lastName: 'Input', dateOfBirth: '1990-06-01', email: 'bad.input@example.com' });

    it.each([
      ['a bad email', 'input.email', { email: 'not-an-email' }],
      ['a date of birth in the future', 'input.dateOfBirth', { dateOfBirth: 'FUTURE' }],
      ['a blank first name', 'input.firstName', { firstName: '   ' }],
      ['an unknown home store', 'input.homeStoreId', { homeStoreId: 'RANDOM' }],
    ])('createCustomer with %s is BAD_USER_INPUT naming %s and adds no row', async (_what, field, change) => {
      const patch: Record<string, unknown> = { ...change };
      if (patch.dateOfBirth === 'FUTURE') patch.dateOfBirth = daysFromToday(30);
      if (patch.homeStoreId === 'RANDOM') patch.homeStoreId = randomUUID();
      const before = await tableCount(app.core, 'customer');
      const result = await as<{ createCustomer: unknown }>(MANAGER, CREATE_CUSTOMER, { input: { ...valid(), ...patch } });
      expectBadInput(result, field);
      expect(result.data?.createCustomer ?? null).toBeNull();
      expect(await tableCount(app.core, 'customer')).toBe(before);
      expect(await count(app.core, `SELECT count(*) AS n FROM customer WHERE last_name = 'Input'`)).toBe(0);
    });

    it('updateCustomer with an empty input is BAD_USER_INPUT and changes nothing', async () => {
      const id = customer(2);
      const select = 'SELECT first_name, last_name, date_of_birth::text AS dob, phone, email, city, updated_at FROM customer WHERE id = $1';
      const [before] = await app.core.query(select, [id]);
      const result = await as<{ updateCustomer: unknown }>(MANAGER, UPDATE_CUSTOMER, { id, input: {} });
      expectBadInput(result, 'input');
      expect(result.data?.updateCustomer ?? null).toBeNull();
      const [after] = await app.core.query(select, [id]);
      expect(after).toEqual(before);
    });
  });

  // -------------------------------------------------------------------------------------------
  // Consents
  // -------------------------------------------------------------------------------------------

  describe('recordConsentChange', () => {
    let consentCustomer: string;
    beforeAll(async () => {
      // A Leeds customer with no EMAIL consent yet, so the history holds exactly what this suite records.
      [{ id: consentCustomer }] = await app.core.query(
        `SELECT c.id FROM customer c WHERE c.home_store_id = $1 AND c.status = 'ACTIVE' AND c.id <> ALL($2::uuid[])
            AND NOT EXISTS (SELECT 1 FROM consent_event e WHERE e.customer_id = c.id AND e.channel = 'EMAIL')
          ORDER BY c.id LIMIT 1`,
        [leedsId, leedsCustomers],
      );
    });

    const change = (customerId: string, granted: boolean, extra: Record<string, unknown> = {}) => ({
      input: { customerId, channel: 'EMAIL', granted, source: 'IN_STORE', wordingVersion: '2026-02', ...extra },
    });

    it('an optical assistant grants then withdraws EMAIL; granted follows and the history lists both, newest first', async () => {
      const [{ id: assistantId }] = await app.core.query('SELECT id FROM staff_user WHERE email = $1', [ASSISTANT]);
      const eventsBefore = await tableCount(app.core, 'consent_event');

      const grant = await as<{ recordConsentChange: ConsentAnswer }>(ASSISTANT, RECORD_CONSENT, change(consentCustomer, true));
      expect(grant.errors).toBeUndefined();
      expect(grant.data!.recordConsentChange).toMatchObject({
        customerId: consentCustomer, channel: 'EMAIL', granted: true, actor: 'STAFF', source: 'IN_STORE', wordingVersion: '2026-02', recordedById: assistantId,
      });
      const [afterGrant] = await app.core.query(`SELECT granted FROM consent WHERE customer_id = $1 AND channel = 'EMAIL'`, [consentCustomer]);
      expect(afterGrant.granted).toBe(true);

      const withdraw = await as<{ recordConsentChange: ConsentAnswer }>(ASSISTANT, RECORD_CONSENT, change(consentCustomer, false, { source: 'PHONE', actor: 'STAFF', wordingVersion: '2026-03' }));
      expect(withdraw.errors).toBeUndefined();
      expect(withdraw.data!.recordConsentChange).toMatchObject({ channel: 'EMAIL', granted: false, actor: 'STAFF', source: 'PHONE', wordingVersion: '2026-03', recordedById: assistantId });

      // One current consent row, two appended events.
      expect(await count(app.core, `SELECT count(*) AS n FROM consent WHERE customer_id = $1 AND channel = 'EMAIL'`, [consentCustomer])).toBe(1);
      const [current] = await app.core.query(`SELECT granted, source, actor, wording_version FROM consent WHERE customer_id = $1 AND channel = 'EMAIL'`, [consentCustomer]);
      expect(current).toEqual({ granted: false, source: 'PHONE', actor: 'STAFF', wording_version: '2026-03' });
      expect(await tableCount(app.core, 'consent_event')).toBe(eventsBefore + 2);
      const events = await app.core.query(
        `SELECT granted, source, actor, wording_version, recorded_by_id FROM consent_event WHERE customer_id = $1 AND channel = 'EMAIL' ORDER BY changed_at`,
        [consentCustomer],
      );
      expect(events).toEqual([
        { granted: true, source: 'IN_STORE', actor: 'STAFF', wording_version: '2026-02', recorded_by_id: assistantId },
        { granted: false, source: 'PHONE', actor: 'STAFF', wording_version: '2026-03', recorded_by_id: assistantId },
      ]);

      const read = await as<{ customer: { consents: { channel: string; granted: boolean; history: HistoryAnswer[] }[] } }>(ASSISTANT, CONSENTS_OF, { id: consentCustomer });
      expect(read.errors).toBeUndefined();
      const email = read.data!.customer.consents.find((c) => c.channel === 'EMAIL');
      expect(email?.granted).toBe(false);
      expect(email?.history).toHaveLength(2);
      expect(email?.history.map((h) => [h.granted, h.source, h.actor, h.wordingVersion])).toEqual([
        [false, 'PHONE', 'STAFF', '2026-03'],
        [true, 'IN_STORE', 'STAFF', '2026-02'],
      ]);
      expect(Date.parse(email!.history[0].changedAt)).toBeGreaterThanOrEqual(Date.parse(email!.history[1].changedAt));
    });

    it('staff cannot record a change as the customer’s own: actor CUSTOMER is BAD_USER_INPUT naming input.actor and changes nothing', async () => {
      const customerId = customer(10);
      const state = async () => ({
        events: await tableCount(app.core, 'consent_event'),
        consents: await app.core.query('SELECT * FROM consent WHERE customer_id = $1 ORDER BY channel', [customerId]),
        log: await tableCount(app.core, 'personal_change_log_entry'),
      });
      const before = await state();
      for (const email of [ASSISTANT, MANAGER, CHAIN_MANAGER]) {
        for (const granted of [true, false]) {
          const result = await as<{ recordConsentChange: unknown }>(email, RECORD_CONSENT, change(customerId, granted, { actor: 'CUSTOMER' }));
          expectBadInput(result, 'input.actor');
          expect(result.data?.recordConsentChange ?? null).toBeNull();
        }
      }
      // Nor by naming the customer's own channel as the source: only the unsubscribe link records EMAIL_LINK.
      const viaLink = await as<{ recordConsentChange: unknown }>(ASSISTANT, RECORD_CONSENT, change(customerId, false, { source: 'EMAIL_LINK' }));
      expectBadInput(viaLink, 'input.source');
      expect(await state()).toEqual(before);
    });

    it('the actor a staff change records is STAFF whether actor is left out, null or STAFF, with the staff member as recordedById', async () => {
      const customerId = customer(10);
      const [{ id: managerId }] = await app.core.query('SELECT id FROM staff_user WHERE email = $1', [MANAGER]);
      const variants: Record<string, unknown>[] = [{}, { actor: null }, { actor: 'STAFF' }];
      for (const [i, extra] of variants.entries()) {
        const result = await as<{ recordConsentChange: ConsentAnswer }>(MANAGER, RECORD_CONSENT, change(customerId, i % 2 === 0, { channel: 'SMS', ...extra }));
        expect(result.errors).toBeUndefined();
        expect(result.data!.recordConsentChange).toMatchObject({ channel: 'SMS', granted: i % 2 === 0, actor: 'STAFF', recordedById: managerId });
      }
      const events = await app.core.query(
        `SELECT actor, recorded_by_id FROM consent_event WHERE customer_id = $1 AND channel = 'SMS' AND wording_version = '2026-02' ORDER BY changed_at DESC LIMIT 3`,
        [customerId],
      );
      expect(events).toEqual(variants.map(() => ({ actor: 'STAFF', recorded_by_id: managerId })));
    });

    it('a consent keeps its id across changes (it is the current state of one channel, not the latest event)', async () => {
      const customerId = customer(11);
      const first = await as<{ recordConsentChange: ConsentAnswer }>(ASSISTANT, RECORD_CONSENT, change(customerId, true, { channel: 'MAIL' }));
      expect(first.errors).toBeUndefined();
      const [{ id: storedId }] = await app.core.query(`SELECT id FROM consent WHERE customer_id = $1 AND channel = 'MAIL'`, [customerId]);
      const second = await as<{ recordConsentChange: ConsentAnswer }>(ASSISTANT, RECORD_CONSENT, change(customerId, false, { channel: 'MAIL' }));
      expect(second.errors).toBeUndefined();
      const [{ id: storedAfter }] = await app.core.query(`SELECT id FROM consent WHERE customer_id = $1 AND channel = 'MAIL'`, [customerId]);
      expect(storedAfter).toBe(storedId);
      expect(second.data!.recordConsentChange.id).toBe(first.data!.recordConsentChange.id);
      // The consent row's id is its own, not borrowed from one of its events.
      expect(await count(app.core, 'SELECT count(*) AS n FROM consent_event WHERE id = $1', [storedAfter])).toBe(0);
    });

    it('consent_event is append-only in the database: UPDATE, DELETE and TRUNCATE throw (the API role has no privilege; the owner meets the trigger)', async () => {
      const before = await tableCount(app.core, 'consent_event');
      expect(before).toBeGreaterThan(0);
      for (const [db, refusal] of [[app.core, /permission denied/], [app.ownerCore, /append-only/]] as const) {
        await expect(db.query('UPDATE consent_event SET granted = true')).rejects.toThrow(refusal);
        await expect(db.query('DELETE FROM consent_event')).rejects.toThrow(refusal);
        await expect(db.query('TRUNCATE consent_event')).rejects.toThrow(refusal);
      }
      expect(await tableCount(app.core, 'consent_event')).toBe(before);
      expect(await count(app.core, 'SELECT count(*) AS n FROM consent_event WHERE granted = false')).toBeGreaterThan(0);
    });

    it('a receptionist gets FORBIDDEN and no consent event is added', async () => {
      const events = await tableCount(app.core, 'consent_event');
      const [before] = await app.core.query(`SELECT granted, changed_at FROM consent WHERE customer_id = $1 AND channel = 'EMAIL'`, [consentCustomer]);
      const result = await as<{ recordConsentChange: unknown }>(RECEPTION, RECORD_CONSENT, change(consentCustomer, true));
      expectForbidden(result);
      expect(result.data?.recordConsentChange ?? null).toBeNull();
      expect(await tableCount(app.core, 'consent_event')).toBe(events);
      const [after] = await app.core.query(`SELECT granted, changed_at FROM consent WHERE customer_id = $1 AND channel = 'EMAIL'`, [consentCustomer]);
      expect(after).toEqual(before);
    });

    it('a channel the chain disabled is BAD_USER_INPUT naming input.channel', async () => {
      await app.core.query(`UPDATE chain SET enabled_consent_channels = '{SMS,EMAIL,MAIL}' WHERE name = $1`, [CHAIN]);
      try {
        const events = await tableCount(app.core, 'consent_event');
        const consents = await tableCount(app.core, 'consent');
        const result = await as<{ recordConsentChange: unknown }>(ASSISTANT, RECORD_CONSENT, change(customer(3), true, { channel: 'SOCIAL_MEDIA' }));
        expectBadInput(result, 'input.channel');
        expect(await tableCount(app.core, 'consent_event')).toBe(events);
        expect(await tableCount(app.core, 'consent')).toBe(consents);
        // An enabled channel still works.
        const sms = await as<{ recordConsentChange: ConsentAnswer }>(ASSISTANT, RECORD_CONSENT, change(customer(3), true, { channel: 'SMS' }));
        expect(sms.errors).toBeUndefined();
        expect(sms.data!.recordConsentChange).toMatchObject({ channel: 'SMS', granted: true });
        expect(await tableCount(app.core, 'consent_event')).toBe(events + 1);
      } finally {
        await app.core.query(`UPDATE chain SET enabled_consent_channels = '${ALL_CHANNELS}' WHERE name = $1`, [CHAIN]);
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  // Appointments
  // -------------------------------------------------------------------------------------------

  describe('bookAppointment / cancelAppointment', () => {
    const booking = (extra: Record<string, unknown> = {}) => ({
      input: { customerId: customer(4), storeId: leedsId, type: 'SIGHT_TEST', startsAt: tomorrowAt(10), endsAt: tomorrowAt(10, 30), ...extra },
    });

    it('the receptionist books an appointment and cancels it with a reason; cancelling again is BAD_USER_INPUT', async () => {
      const before = await tableCount(app.core, 'appointment');
      const booked = await as<{ bookAppointment: AppointmentAnswer }>(RECEPTION, BOOK, booking());
      expect(booked.errors).toBeUndefined();
      const appointment = booked.data!.bookAppointment;
      expect(appointment).toMatchObject({
        customerId: customer(4), storeId: leedsId, type: 'SIGHT_TEST', status: 'BOOKED', cancellationReason: null,
      });
      expect(Date.parse(appointment.startsAt)).toBe(Date.parse(tomorrowAt(10)));
      expect(Date.parse(appointment.endsAt)).toBe(Date.parse(tomorrowAt(10, 30)));
      expect(await tableCount(app.core, 'appointment')).toBe(before + 1);
      const [row] = await app.core.query('SELECT customer_id, store_id, type, status, starts_at, ends_at, cancellation_reason FROM appointment WHERE id = $1', [appointment.id]);
      expect(row).toMatchObject({ customer_id: customer(4), store_id: leedsId, type: 'SIGHT_TEST', status: 'BOOKED', cancellation_reason: null });
      expect((row.starts_at as Date).toISOString()).toBe(tomorrowAt(10));

      const cancelled = await as<{ cancelAppointment: AppointmentAnswer }>(RECEPTION, CANCEL, { id: appointment.id, reason: '  Customer unwell ' });
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.cancelAppointment).toMatchObject({ id: appointment.id, status: 'CANCELLED', cancellationReason: 'Customer unwell' });
      const [afterCancel] = await app.core.query('SELECT status, cancellation_reason FROM appointment WHERE id = $1', [appointment.id]);
      expect(afterCancel).toEqual({ status: 'CANCELLED', cancellation_reason: 'Customer unwell' });

      const again = await as<{ cancelAppointment: unknown }>(RECEPTION, CANCEL, { id: appointment.id, reason: 'Second time' });
      expectBadInput(again, 'id');
      const [afterAgain] = await app.core.query('SELECT status, cancellation_reason FROM appointment WHERE id = $1', [appointment.id]);
      expect(afterAgain).toEqual({ status: 'CANCELLED', cancellation_reason: 'Customer unwell' });
      expect(await tableCount(app.core, 'appointment')).toBe(before + 1);
    });

    it('endsAt before startsAt is BAD_USER_INPUT naming input.endsAt and adds no row', async () => {
      const before = await tableCount(app.core, 'appointment');
      const result = await as<{ bookAppointment: unknown }>(RECEPTION, BOOK, booking({ startsAt: tomorrowAt(11), endsAt: tomorrowAt(10, 30) }));
      expectBadInput(result, 'input.endsAt');
      expect(result.data?.bookAppointment ?? null).toBeNull();
      expect(await tableCount(app.core, 'appointment')).toBe(before);
      // Equal start and end is no appointment either.
      expectBadInput(await as(RECEPTION, BOOK, booking({ startsAt: tomorrowAt(11), endsAt: tomorrowAt(11) })), 'input.endsAt');
      expect(await tableCount(app.core, 'appointment')).toBe(before);
    });
  });

  // -------------------------------------------------------------------------------------------
  // Examinations
  // -------------------------------------------------------------------------------------------

  describe('examinations', () => {
    it('the optometrist drafts an examination with refractions, acuities and pressures, all readable', async () => {
      const before = await clinicalCounts();
      const exam = await draftExam(customer(5));
      expect(exam).toMatchObject({
        customerId: customer(5), storeId: leedsId, practitionerId: optometristId, status: 'DRAFT', signedAt: null, signedById: null,
        reasonForVisit: 'Routine sight test', history: 'No relevant history.',
      });
      const byEye = <T extends { eye: string }>(list: T[]) => [...list].sort((a, b) => a.eye.localeCompare(b.eye));
      expect(byEye(exam.refractions)).toEqual([
        { eye: 'LEFT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 90 },
        { eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 90 },
      ]);
      expect(byEye(exam.visualAcuities)).toEqual([
        { eye: 'LEFT', distance: 'DISTANCE', aid: 'GLASSES', unit: 'SNELLEN_METRE', value: '6/6', logMar: 0 },
        { eye: 'RIGHT', distance: 'DISTANCE', aid: 'GLASSES', unit: 'SNELLEN_METRE', value: '6/6', logMar: 0 },
      ]);
      expect(byEye(exam.intraocularPressures)).toEqual([
        { eye: 'LEFT', mmHg: 15, instrument: 'NON_CONTACT' },
        { eye: 'RIGHT', mmHg: 15, instrument: 'NON_CONTACT' },
      ]);
      const after = await clinicalCounts();
      expect(after).toEqual({
        examination: before.examination + 1, refraction: before.refraction + 2,
        visual_acuity: before.visual_acuity + 2, intraocular_pressure: before.intraocular_pressure + 2,
      });
      const [row] = await app.clinical.query('SELECT status, customer_id, store_id, practitioner_id, signed_at FROM examination WHERE id = $1', [exam.id]);
      expect(row).toEqual({ status: 'DRAFT', customer_id: customer(5), store_id: leedsId, practitioner_id: optometristId, signed_at: null });
      const refractions = await app.clinical.query('SELECT eye::text AS eye, type, sphere::float8 AS sphere, cylinder::float8 AS cylinder, axis FROM refraction WHERE examination_id = $1 ORDER BY eye::text', [exam.id]);
      expect(refractions).toEqual([
        { eye: 'LEFT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 90 },
        { eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 90 },
      ]);
      expect(await count(app.clinical, 'SELECT count(*) AS n FROM visual_acuity WHERE examination_id = $1 AND value = $2 AND log_mar = 0', [exam.id, '6/6'])).toBe(2);
      expect(await count(app.clinical, 'SELECT count(*) AS n FROM intraocular_pressure WHERE examination_id = $1 AND mm_hg = 15 AND instrument = $2', [exam.id, 'NON_CONTACT'])).toBe(2);
    });

    it('updateExamination replaces the refractions and leaves the other findings', async () => {
      const exam = await draftExam(customer(5));
      const result = await as<{ updateExamination: ExamAnswer }>(OPTOMETRIST, UPDATE_EXAM, {
        id: exam.id,
        input: { reasonForVisit: 'Blurred distance vision', refractions: [{ eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -2, cylinder: -0.75, axis: 180 }] },
      });
      expect(result.errors).toBeUndefined();
      const updated = result.data!.updateExamination;
      expect(updated.status).toBe('DRAFT');
      expect(updated.reasonForVisit).toBe('Blurred distance vision');
      expect(updated.refractions).toEqual([{ eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -2, cylinder: -0.75, axis: 180 }]);
      expect(updated.visualAcuities).toHaveLength(2);
      expect(updated.intraocularPressures).toHaveLength(2);
      const refractions = await app.clinical.query('SELECT eye, sphere::float8 AS sphere, cylinder::float8 AS cylinder, axis FROM refraction WHERE examination_id = $1', [exam.id]);
      expect(refractions).toEqual([{ eye: 'RIGHT', sphere: -2, cylinder: -0.75, axis: 180 }]);
      expect(await count(app.clinical, 'SELECT count(*) AS n FROM visual_acuity WHERE examination_id = $1', [exam.id])).toBe(2);
      expect(await count(app.clinical, 'SELECT count(*) AS n FROM intraocular_pressure WHERE examination_id = $1', [exam.id])).toBe(2);
      // Stored encrypted (test/encryption): decrypted here with the run's master key.
      const [row] = await app.clinical.query('SELECT reason_for_visit, history FROM examination WHERE id = $1', [exam.id]);
      expect(row.reason_for_visit).toMatch(/^enc:v1:/);
      expect(await decryptRow(app.ownerClinical, 'Examination', exam.id, row, EXAMINATION_TEXT)).toEqual({ reason_for_visit: 'Blurred distance vision', history: 'No relevant history.' });
    });

    it('signExamination signs and locks: later updates and a second signature are BAD_USER_INPUT and change nothing', async () => {
      const exam = await draftExam(customer(5));
      const signed = await as<{ signExamination: { id: string; status: string; signedAt: string; signedById: string } }>(OPTOMETRIST, SIGN_EXAM, { id: exam.id });
      expect(signed.errors).toBeUndefined();
      expect(signed.data!.signExamination).toMatchObject({ id: exam.id, status: 'SIGNED', signedById: optometristId });
      const signedAt = Date.parse(signed.data!.signExamination.signedAt);
      expect(Math.abs(Date.now() - signedAt)).toBeLessThan(60_000);

      const selectExam = 'SELECT status, signed_at, signed_by_id, reason_for_visit, history, examined_at, updated_at FROM examination WHERE id = $1';
      const selectRefractions = 'SELECT id, eye, sphere::float8 AS sphere, cylinder::float8 AS cylinder, axis FROM refraction WHERE examination_id = $1 ORDER BY id';
      const [examRow] = await app.clinical.query(selectExam, [exam.id]);
      expect(examRow).toMatchObject({ status: 'SIGNED', signed_by_id: optometristId });
      expect((examRow.signed_at as Date).getTime()).toBe(signedAt);
      const refractionsBefore = await app.clinical.query(selectRefractions, [exam.id]);
      const countsBefore = await clinicalCounts();

      const update = await as<{ updateExamination: unknown }>(OPTOMETRIST, UPDATE_EXAM, {
        id: exam.id, input: { reasonForVisit: 'Changed after signing', refractions: [{ eye: 'LEFT', type: 'SUBJECTIVE', sphere: 1 }] },
      });
      expectBadInput(update, 'id');
      expect(update.data?.updateExamination ?? null).toBeNull();
      expect(await app.clinical.query(selectExam, [exam.id])).toEqual([examRow]);
      expect(await app.clinical.query(selectRefractions, [exam.id])).toEqual(refractionsBefore);
      expect(await clinicalCounts()).toEqual(countsBefore);

      const again = await as<{ signExamination: unknown }>(OPTOMETRIST, SIGN_EXAM, { id: exam.id });
      expectBadInput(again, 'id');
      expect(await app.clinical.query(selectExam, [exam.id])).toEqual([examRow]);
    });

    it('an axis of 200 is BAD_USER_INPUT naming input.refractions[0].axis and writes no examination or finding', async () => {
      const before = await clinicalCounts();
      const result = await as<{ createExamination: unknown }>(OPTOMETRIST, CREATE_EXAM, {
        input: {
          customerId: customer(6), storeId: leedsId,
          refractions: [{ ...REFRACTIONS[0], axis: 200 }, REFRACTIONS[1]], visualAcuities: ACUITIES, intraocularPressures: PRESSURES,
        },
      });
      expectBadInput(result, 'input.refractions[0].axis');
      expect(result.data?.createExamination ?? null).toBeNull();
      expect(await clinicalCounts()).toEqual(before);
      expect(await count(app.clinical, 'SELECT count(*) AS n FROM examination WHERE customer_id = $1 AND status = $2', [customer(6), 'DRAFT'])).toBe(0);
    });

    it('a sphere of -1.3 (not a 0.25 step) is BAD_USER_INPUT and writes nothing', async () => {
      const before = await clinicalCounts();
      const result = await as<{ createExamination: unknown }>(OPTOMETRIST, CREATE_EXAM, {
        input: { customerId: customer(6), storeId: leedsId, refractions: [REFRACTIONS[0], { ...REFRACTIONS[1], sphere: -1.3 }], visualAcuities: ACUITIES },
      });
      expectBadInput(result, 'input.refractions[1].sphere');
      expect(await clinicalCounts()).toEqual(before);
    });

    it.each([
      ['the store manager', MANAGER],
      ['the optical assistant', ASSISTANT],
    ])('%s gets FORBIDDEN on createExamination and nothing is written', async (_who, email) => {
      const before = await clinicalCounts();
      const result = await as<{ createExamination: unknown }>(email, CREATE_EXAM, {
        input: { customerId: customer(6), storeId: leedsId, refractions: REFRACTIONS, visualAcuities: ACUITIES, intraocularPressures: PRESSURES },
      });
      expectForbidden(result);
      expect(result.data?.createExamination ?? null).toBeNull();
      expect(await clinicalCounts()).toEqual(before);
    });

    it('the store manager gets FORBIDDEN on updateExamination and signExamination of a draft, which stays as it was', async () => {
      const exam = await draftExam(customer(6));
      const select = 'SELECT status, reason_for_visit, signed_at, updated_at FROM examination WHERE id = $1';
      const [before] = await app.clinical.query(select, [exam.id]);
      expectForbidden(await as(MANAGER, UPDATE_EXAM, { id: exam.id, input: { reasonForVisit: 'Manager edit' } }));
      expectForbidden(await as(MANAGER, SIGN_EXAM, { id: exam.id }));
      expect(await app.clinical.query(select, [exam.id])).toEqual([before]);
      expect(before.status).toBe('DRAFT');
    });
    it('only the examining practitioner edits or signs a draft: the chain manager (manage, no registration) and another registered optometrist are refused', async () => {
      const exam = await draftExam(customer(7));
      const select = 'SELECT status, history, practitioner_id, updated_at FROM examination WHERE id = $1';
      const [before] = await app.clinical.query(select, [exam.id]);
      const byManager = await as(CHAIN_MANAGER, UPDATE_EXAM, { id: exam.id, input: { history: 'changed by manager' } });
      expectForbidden(byManager);
      expect(byManager.errors?.[0].message).toMatch(/registered practitioner/);
      expectForbidden(await as(CHAIN_MANAGER, SIGN_EXAM, { id: exam.id }));
      // A second registered optometrist with full clinical rights at Leeds, who did not examine.
      await app.core.query(
        `INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type, store_id)
         SELECT u.chain_id, u.id, r.id, 'STORE', $1 FROM staff_user u JOIN role r ON r.chain_id = u.chain_id AND r.name = 'Optometrist'
          WHERE u.email = '${EMAIL.locum}'`,
        [leedsId],
      );
      const byColleague = await as(LOCUM, UPDATE_EXAM, { id: exam.id, input: { history: 'changed by colleague' } });
      expectForbidden(byColleague);
      expect(byColleague.errors?.[0].message).toMatch(/examining practitioner/);
      expectForbidden(await as(LOCUM, SIGN_EXAM, { id: exam.id }));
      expect(await app.clinical.query(select, [exam.id])).toEqual([before]);
    });

    it('a clinical note needs a registered practitioner: the chain manager is refused and nothing is written', async () => {
      const before = await tableCount(app.clinical, 'clinical_note');
      const result = await as(CHAIN_MANAGER, ADD_NOTE, { input: { customerId: customer(7), storeId: leedsId, plan: 'Recall in a year.' } });
      expectForbidden(result);
      expect(await tableCount(app.clinical, 'clinical_note')).toBe(before);
    });
  });

  // -------------------------------------------------------------------------------------------
  // Prescriptions and contact lens specifications
  // -------------------------------------------------------------------------------------------

  describe('prescriptions', () => {
    const spectacles = (customerId: string, extra: Record<string, unknown> = {}) => ({
      input: {
        customerId, storeId: leedsId, outcome: 'NEW_RX', notes: 'Distance wear',
        rightSphere: -1.25, rightCylinder: -0.5, rightAxis: 90, leftSphere: -1, leftCylinder: -0.25, leftAxis: 85, ...extra,
      },
    });
    const lenses = (customerId: string, extra: Record<string, unknown> = {}) => ({
      input: {
        customerId, storeId: leedsId, expiresOn: daysFromToday(365), replacement: 'MONTHLY',
        rightBrand: 'Acuvue Oasys', rightPower: -1.25, rightBaseCurve: 8.4, rightDiameter: 14, leftPower: -1, ...extra,
      },
    });

    it('the optometrist issues a spectacle prescription with their own name and registration number', async () => {
      const before = await tableCount(app.clinical, 'spectacle_prescription');
      const result = await as<{ issueSpectaclePrescription: Record<string, unknown> }>(OPTOMETRIST, ISSUE_RX, spectacles(customer(7)));
      expect(result.errors).toBeUndefined();
      const rx = result.data!.issueSpectaclePrescription;
      expect(rx).toMatchObject({
        customerId: customer(7), storeId: leedsId, issuedOn: todayUtc(), outcome: 'NEW_RX', prescriberId: optometristId,
        prescriberName: 'Dr Omar Rahman', prescriberRegistrationNumber: '01-34567',
        rightSphere: -1.25, rightCylinder: -0.5, rightAxis: 90, leftSphere: -1, leftCylinder: -0.25, leftAxis: 85, notes: 'Distance wear',
      });
      expect(await tableCount(app.clinical, 'spectacle_prescription')).toBe(before + 1);
      const [row] = await app.clinical.query(
        `SELECT customer_id, store_id, issued_on::text AS issued_on, prescriber_id, prescriber_name, prescriber_registration_number, outcome,
                right_sphere::float8 AS right_sphere, right_axis, left_sphere::float8 AS left_sphere
           FROM spectacle_prescription WHERE id = $1`,
        [rx.id],
      );
      expect(row).toEqual({
        customer_id: customer(7), store_id: leedsId, issued_on: todayUtc(), prescriber_id: optometristId, prescriber_name: 'Dr Omar Rahman',
        prescriber_registration_number: '01-34567', outcome: 'NEW_RX', right_sphere: -1.25, right_axis: 90, left_sphere: -1,
      });
    });

    it('the optometrist issues a contact lens specification with an expiry date (adult: no date of birth on it)', async () => {
      const before = await tableCount(app.clinical, 'contact_lens_specification');
      const result = await as<{ issueContactLensSpecification: Record<string, unknown> }>(OPTOMETRIST, ISSUE_CL, lenses(customer(7)));
      expect(result.errors).toBeUndefined();
      const spec = result.data!.issueContactLensSpecification;
      expect(spec).toMatchObject({
        customerId: customer(7), storeId: leedsId, issuedOn: todayUtc(), expiresOn: daysFromToday(365), replacement: 'MONTHLY',
        patientDateOfBirth: null, prescriberId: optometristId, prescriberName: 'Dr Omar Rahman', prescriberRegistrationNumber: '01-34567',
        rightBrand: 'Acuvue Oasys', rightPower: -1.25, rightBaseCurve: 8.4, rightDiameter: 14, leftPower: -1,
      });
      expect(await tableCount(app.clinical, 'contact_lens_specification')).toBe(before + 1);
      const [row] = await app.clinical.query(
        `SELECT customer_id, issued_on::text AS issued_on, expires_on::text AS expires_on, patient_date_of_birth, prescriber_name, prescriber_registration_number,
                right_power::float8 AS right_power, right_base_curve::float8 AS right_base_curve
           FROM contact_lens_specification WHERE id = $1`,
        [spec.id],
      );
      expect(row).toEqual({
        customer_id: customer(7), issued_on: todayUtc(), expires_on: daysFromToday(365), patient_date_of_birth: null,
        prescriber_name: 'Dr Omar Rahman', prescriber_registration_number: '01-34567', right_power: -1.25, right_base_curve: 8.4,
      });
    });

    it('a contact lens expiry before the issue date is BAD_USER_INPUT naming input.expiresOn and adds no row', async () => {
      const before = await tableCount(app.clinical, 'contact_lens_specification');
      const result = await as<{ issueContactLensSpecification: unknown }>(OPTOMETRIST, ISSUE_CL, lenses(customer(7), { issuedOn: daysFromToday(-10), expiresOn: daysFromToday(-20) }));
      expectBadInput(result, 'input.expiresOn');
      expect(result.data?.issueContactLensSpecification ?? null).toBeNull();
      expect(await tableCount(app.clinical, 'contact_lens_specification')).toBe(before);
    });

    it('a specification for a customer under 16 carries their date of birth', async () => {
      const child = customer(8);
      await app.core.query(`UPDATE customer SET date_of_birth = (current_date - interval '10 years')::date WHERE id = $1`, [child]);
      const [{ dob }] = await app.core.query('SELECT date_of_birth::text AS dob FROM customer WHERE id = $1', [child]);
      expect(dob).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const result = await as<{ issueContactLensSpecification: Record<string, unknown> }>(OPTOMETRIST, ISSUE_CL, lenses(child));
      expect(result.errors).toBeUndefined();
      const spec = result.data!.issueContactLensSpecification;
      expect(spec.patientDateOfBirth).toBe(dob);
      const [row] = await app.clinical.query('SELECT patient_date_of_birth::text AS dob FROM contact_lens_specification WHERE id = $1', [spec.id]);
      expect(row.dob).toBe(dob);
    });

    it('the optical assistant (no create right) gets FORBIDDEN on both and nothing is written', async () => {
      const rx = await tableCount(app.clinical, 'spectacle_prescription');
      const cl = await tableCount(app.clinical, 'contact_lens_specification');
      const a = await as<{ issueSpectaclePrescription: unknown }>(ASSISTANT, ISSUE_RX, spectacles(customer(7)));
      expectForbidden(a);
      expect(a.data?.issueSpectaclePrescription ?? null).toBeNull();
      const b = await as<{ issueContactLensSpecification: unknown }>(ASSISTANT, ISSUE_CL, lenses(customer(7)));
      expectForbidden(b);
      expect(b.data?.issueContactLensSpecification ?? null).toBeNull();
      expect(await tableCount(app.clinical, 'spectacle_prescription')).toBe(rx);
      expect(await tableCount(app.clinical, 'contact_lens_specification')).toBe(cl);
    });
  });

  // -------------------------------------------------------------------------------------------
  // Clinical notes
  // -------------------------------------------------------------------------------------------

  describe('addClinicalNote', () => {
    it('the optometrist adds a SOAP note, linked to an examination of the customer', async () => {
      const exam = await draftExam(customer(9));
      const before = await tableCount(app.clinical, 'clinical_note');
      const result = await as<{ addClinicalNote: Record<string, unknown> }>(OPTOMETRIST, ADD_NOTE, {
        input: {
          customerId: customer(9), storeId: leedsId, examinationId: exam.id,
          subjective: ' Reports eye strain. ', objective: 'Anterior eyes healthy.', assessment: 'Mild myopia.', plan: '  ',
        },
      });
      expect(result.errors).toBeUndefined();
      const note = result.data!.addClinicalNote;
      expect(note).toMatchObject({
        customerId: customer(9), storeId: leedsId, authorId: optometristId, examinationId: exam.id,
        subjective: 'Reports eye strain.', objective: 'Anterior eyes healthy.', assessment: 'Mild myopia.', plan: null,
      });
      expect(await tableCount(app.clinical, 'clinical_note')).toBe(before + 1);
      const [stored] = await app.clinical.query('SELECT customer_id, store_id, author_id, examination_id, subjective, objective, assessment, plan FROM clinical_note WHERE id = $1', [note.id]);
      expect(stored.subjective).toMatch(/^enc:v1:/);
      // Stored encrypted (test/encryption): decrypted here with the run's master key.
      const row = await decryptRow(app.ownerClinical, 'ClinicalNote', String(note.id), stored, NOTE_TEXT);
      expect(row).toEqual({
        customer_id: customer(9), store_id: leedsId, author_id: optometristId, examination_id: exam.id,
        subjective: 'Reports eye strain.', objective: 'Anterior eyes healthy.', assessment: 'Mild myopia.', plan: null,
      });
    });

    it('a note with every part blank is BAD_USER_INPUT and adds no row', async () => {
      const before = await tableCount(app.clinical, 'clinical_note');
      const result = await as<{ addClinicalNote: unknown }>(OPTOMETRIST, ADD_NOTE, {
        input: { customerId: customer(9), storeId: leedsId, subjective: '   ', objective: '', assessment: null },
      });
      expectBadInput(result, 'input.subjective');
      expect(result.data?.addClinicalNote ?? null).toBeNull();
      expect(await tableCount(app.clinical, 'clinical_note')).toBe(before);
    });

    it('the store manager gets FORBIDDEN and no note is added', async () => {
      const before = await tableCount(app.clinical, 'clinical_note');
      const result = await as<{ addClinicalNote: unknown }>(MANAGER, ADD_NOTE, { input: { customerId: customer(9), storeId: leedsId, subjective: 'Manager note' } });
      expectForbidden(result);
      expect(result.data?.addClinicalNote ?? null).toBeNull();
      expect(await tableCount(app.clinical, 'clinical_note')).toBe(before);
    });
  });

  // -------------------------------------------------------------------------------------------
  // Scope: a store outside the caller's assignment
  // -------------------------------------------------------------------------------------------

  describe('scope', () => {
    it('the Leeds optometrist cannot draft an examination at York, and nothing is written', async () => {
      const before = await clinicalCounts();
      const result = await as<{ createExamination: unknown }>(OPTOMETRIST, CREATE_EXAM, {
        input: { customerId: customer(10), storeId: yorkId, refractions: REFRACTIONS },
      });
      expectForbidden(result);
      expect(await clinicalCounts()).toEqual(before);
    });
  });
});
