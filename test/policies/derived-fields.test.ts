/**
 * Issue 8, hole 2: a field must not be readable through a write, nor through a value derived from it.
 *
 * The locum (Optometrist at York, Receptionist at Bath, so no Customer.dateOfBirth at Bath) must not learn a
 * Bath customer's date of birth, or whether they are under 16, by issuing a contact lens specification at
 * York (its payload's patientDateOfBirth, an error message, whether a check passes), by backdating a
 * spectacle prescription or an examination (checked against the date of birth), or by reading a derived
 * field later (policies/derived-fields.ts: ContactLensSpecification.patientDateOfBirth needs
 * Customer.dateOfBirth at the customer's home store; EmergencyAccess.storeId needs Customer.homeStoreId).
 * And clinical dates impossible for the patient (before their date of birth, before 1900, in the future)
 * are BAD_USER_INPUT naming the field, for callers who may read the date of birth, without stating it.
 */
import { DataSource } from 'typeorm';
import { DERIVED_FIELDS } from '../../src/policies/derived-fields';
import { catalogHasField } from '../../src/policies/catalog';
import { TYPE_POLICIES } from '../../src/policies/type-policies';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';

const CM = EMAIL.chainManager;
const LOCUM = EMAIL.locum;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const DPO = EMAIL.dpo;
const CL_READER = 'cl.reader@clearview.example';

const ISSUE_CL = `mutation($input: IssueContactLensSpecificationInput!) {
  issueContactLensSpecification(input: $input) { id customerId storeId issuedOn expiresOn patientDateOfBirth rightPower }
}`;
const ISSUE_RX = 'mutation($input: IssueSpectaclePrescriptionInput!) { issueSpectaclePrescription(input: $input) { id issuedOn } }';
const CREATE_EXAM = 'mutation($input: CreateExaminationInput!) { createExamination(input: $input) { id examinedAt intraocularPressures { measuredAt } } }';
const UPDATE_EXAM = 'mutation($id: ID!, $input: UpdateExaminationInput!) { updateExamination(id: $id, input: $input) { id examinedAt } }';
const SPECS_OF = `query($id: ID!) { customer(id: $id) { id contactLensSpecifications { id customerId issuedOn expiresOn patientDateOfBirth rightPower } } }`;
const REQUEST_EMERGENCY = 'mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { id customerId storeId reason } }';
const MY_EMERGENCIES = '{ emergencyAccesses { edges { node { id customerId storeId } } } }';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = () => isoDay(Date.now());
const daysFromToday = (days: number) => isoDay(Date.now() + days * DAY);
/** The same calendar day `years` earlier (28 February for 29 February). */
const yearsAgo = (years: number) => {
  const d = new Date();
  const target = new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return isoDay(target.getTime());
};
const dayBefore = (iso: string) => isoDay(Date.parse(`${iso}T00:00:00Z`) - DAY);

async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: string | number }[] = await ds.query(sql, params);
  return Number(rows[0].n);
}

function expectBadInput(result: GraphQLResult<unknown>, field: string): void {
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  expect(result.errors?.[0].extensions?.field).toBe(field);
}

/** FORBIDDEN for want of Customer.dateOfBirth; returns the message (compared across variants). */
function expectDobForbidden(result: GraphQLResult<unknown>, dob: string): string {
  expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  const message = result.errors![0].message;
  expect(message).toMatch(/Customer\.dateOfBirth/);
  expect(message).not.toContain(dob);
  expect(JSON.stringify(result)).not.toContain(dob);
  return message;
}

describe('the derived-field registry', () => {
  it('names catalog fields of subjects with a type policy, derived from catalog fields of Customer', () => {
    for (const [subject, fields] of Object.entries(DERIVED_FIELDS)) {
      expect(Object.values(TYPE_POLICIES).some((p) => p.kind === 'subject' && p.subject === subject && !p.viaField)).toBe(true);
      for (const [field, source] of Object.entries(fields)) {
        expect(catalogHasField(subject, field)).toBe(true);
        expect(catalogHasField(source.subject, source.field)).toBe(true);
      }
    }
    expect(DERIVED_FIELDS.ContactLensSpecification.patientDateOfBirth).toEqual({ subject: 'Customer', field: 'dateOfBirth' });
  });
});

describe('values derived from a field the caller may not read (issue 8, hole 2)', () => {
  let app: TestApp;
  const stores: Record<string, string> = {};
  const users: Record<string, string> = {};
  /** Bath customers (the locum sees their names, not their dates of birth): a child and an adult. */
  let bathChild: string;
  let bathAdult: string;
  let yorkChild: string;
  let leedsChild: string;
  let leedsAdult: string;
  const childDob = yearsAgo(10);
  const adultDob = yearsAgo(40);

  const { as } = sessionsFor(() => app);
  const rows = (table: string) => count(app.clinical, `SELECT count(*) AS n FROM ${table}`);

  /** A specification; a given issue date gets an expiry a year after it (unless one is given). */
  const lenses = (customerId: string, storeId: string, extra: Record<string, unknown> = {}) => ({
    input: {
      customerId, storeId, replacement: 'MONTHLY', rightPower: -1.25, leftPower: -1,
      expiresOn: typeof extra.issuedOn === 'string' ? isoDay(Date.parse(`${extra.issuedOn}T00:00:00Z`) + 365 * DAY) : daysFromToday(365), ...extra,
    },
  });
  const spectacles = (customerId: string, storeId: string, extra: Record<string, unknown> = {}) => ({
    input: { customerId, storeId, outcome: 'NEW_RX', rightSphere: -1.25, leftSphere: -1, ...extra },
  });
  const exam = (customerId: string, storeId: string, extra: Record<string, unknown> = {}) => ({ input: { customerId, storeId, ...extra } });

  beforeAll(async () => {
    app = await startTestApp();
    for (const row of (await app.core.query('SELECT id, name FROM store')) as { id: string; name: string }[]) stores[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, email FROM staff_user')) as { id: string; email: string }[]) users[row.email] = row.id;
    const customersAt = async (store: string): Promise<string[]> => ((await app.core.query(
      `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT 2`, [stores[store]])) as { id: string }[]).map((r) => r.id);
    [bathChild, bathAdult] = await customersAt('Bath');
    [yorkChild] = await customersAt('York');
    [leedsChild, leedsAdult] = await customersAt('Leeds');
    for (const id of [bathChild, yorkChild, leedsChild]) await app.ownerCore.query('UPDATE customer SET date_of_birth = $2 WHERE id = $1', [id, childDob]);
    for (const id of [bathAdult, leedsAdult]) await app.ownerCore.query('UPDATE customer SET date_of_birth = $2 WHERE id = $1', [id, adultDob]);
  });
  afterAll(() => app?.stop());

  describe('the locum issues a contact lens specification at York for a Bath customer', () => {
    it('is FORBIDDEN naming Customer.dateOfBirth, discloses nothing and writes nothing, child or adult, whatever the dates', async () => {
      const before = await rows('contact_lens_specification');
      const messages = new Set<string>();
      for (const [customer, dob] of [[bathChild, childDob], [bathAdult, adultDob]]) {
        for (const extra of [{}, { issuedOn: daysFromToday(-30) }, { issuedOn: dayBefore(dob) }, { issuedOn: dob }, { issuedOn: yearsAgo(16) }]) {
          const result = await as<{ issueContactLensSpecification: unknown }>(LOCUM, ISSUE_CL, lenses(customer, stores.York, extra));
          expect(result.data?.issueContactLensSpecification ?? null).toBeNull();
          messages.add(expectDobForbidden(result, dob));
        }
      }
      // One and the same answer: nothing to tell a child from an adult, nor any date from another.
      expect(messages.size).toBe(1);
      expect(await rows('contact_lens_specification')).toBe(before);
    });

    it('input errors that do not depend on the patient come first and alike for every patient', async () => {
      const answers = [];
      for (const customer of [bathChild, bathAdult]) {
        const result = await as(LOCUM, ISSUE_CL, lenses(customer, stores.York, { expiresOn: daysFromToday(-1) }));
        expectBadInput(result, 'input.expiresOn');
        answers.push(result.errors![0].message);
      }
      expect(answers[0]).toBe(answers[1]);
    });

    it('at York, for a York child, the locum issues it and reads the date of birth it carries', async () => {
      const result = await as<{ issueContactLensSpecification: { patientDateOfBirth: string | null; storeId: string } }>(LOCUM, ISSUE_CL, lenses(yorkChild, stores.York));
      expect(result.errors).toBeUndefined();
      expect(result.data!.issueContactLensSpecification).toMatchObject({ patientDateOfBirth: childDob, storeId: stores.York });
    });

    it('given Customer.dateOfBirth at Bath (and only then), the locum may issue one for the Bath child', async () => {
      const [{ id: dobReader }] = await app.core.query(`INSERT INTO role (chain_id, name, description) SELECT chain_id, 'DOB reader', '' FROM store WHERE id = $1 RETURNING id`, [stores.Bath]);
      await app.core.query(`INSERT INTO role_permission (role_id, action, subject, fields) VALUES ($1, 'read', 'Customer', '{dateOfBirth}')`, [dobReader]);
      const assign = await as<{ assignRole: { id: string } }>(CM, 'mutation($i: AssignRoleInput!) { assignRole(input: $i) { id } }', {
        i: { userId: users[LOCUM], roleId: dobReader, scopeType: 'STORE', storeId: stores.Bath },
      });
      expect(assign.errors).toBeUndefined();
      const result = await as<{ issueContactLensSpecification: { patientDateOfBirth: string | null } }>(LOCUM, ISSUE_CL, lenses(bathChild, stores.York));
      expect(result.errors).toBeUndefined();
      expect(result.data!.issueContactLensSpecification.patientDateOfBirth).toBe(childDob);
      // …and for them, a Bath customer's impossible issue date is BAD_USER_INPUT like anyone's.
      expectBadInput(await as(LOCUM, ISSUE_CL, lenses(bathChild, stores.York, { issuedOn: dayBefore(childDob) })), 'input.issuedOn');
      expect((await as(CM, 'mutation($id: ID!) { revokeAssignment(id: $id) }', { id: assign.data!.assignRole.id })).errors).toBeUndefined();
      const again = await as(LOCUM, ISSUE_CL, lenses(bathChild, stores.York));
      expectDobForbidden(again, childDob);
    });
  });

  describe('other writes that check dates against the date of birth', () => {
    it('spectacle prescription: dated today it needs no date of birth; backdated, the locum is FORBIDDEN for a Bath customer', async () => {
      const ok = await as<{ issueSpectaclePrescription: { issuedOn: string } }>(LOCUM, ISSUE_RX, spectacles(bathChild, stores.York));
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.issueSpectaclePrescription.issuedOn).toBe(today());
      const before = await rows('spectacle_prescription');
      const messages = new Set<string>();
      for (const [customer, dob] of [[bathChild, childDob], [bathAdult, adultDob]]) {
        for (const issuedOn of [daysFromToday(-1), dayBefore(dob), dob, '1950-01-01']) {
          const result = await as(LOCUM, ISSUE_RX, spectacles(customer, stores.York, { issuedOn }));
          messages.add(expectDobForbidden(result, dob));
        }
      }
      expect(messages.size).toBe(1);
      expect(await rows('spectacle_prescription')).toBe(before);
    });

    it('examination: drafted now it needs no date of birth; a past examination or measurement time is FORBIDDEN to the locum for a Bath customer', async () => {
      const draft = await as<{ createExamination: { id: string } }>(LOCUM, CREATE_EXAM, exam(bathChild, stores.York));
      expect(draft.errors).toBeUndefined();
      const before = await rows('examination');
      const messages = new Set<string>();
      for (const [customer, dob] of [[bathChild, childDob], [bathAdult, adultDob]]) {
        const beforeBirth = `${dayBefore(dob)}T05:00:00Z`;
        for (const extra of [
          { examinedAt: new Date(Date.now() - 2 * DAY).toISOString() },
          { examinedAt: beforeBirth },
          { intraocularPressures: [{ eye: 'RIGHT', mmHg: 15, instrument: 'GOLDMANN', measuredAt: beforeBirth }] },
        ]) {
          messages.add(expectDobForbidden(await as(LOCUM, CREATE_EXAM, exam(customer, stores.York, extra)), dob));
        }
      }
      expect(await rows('examination')).toBe(before);
      // Editing the draft: the same rule.
      const id = draft.data!.createExamination.id;
      messages.add(expectDobForbidden(await as(LOCUM, UPDATE_EXAM, { id, input: { examinedAt: `${dayBefore(childDob)}T12:00:00Z` } }), childDob));
      messages.add(expectDobForbidden(await as(LOCUM, UPDATE_EXAM, { id, input: { examinedAt: new Date(Date.now() - 3 * DAY).toISOString() } }), childDob));
      expect(messages.size).toBe(1);
      const now = await as(LOCUM, UPDATE_EXAM, { id, input: { examinedAt: new Date(Date.now() - 60_000).toISOString(), reasonForVisit: 'Headaches' } });
      expect(now.errors).toBeUndefined();
    });
  });

  describe('impossible clinical dates (for callers who may read the date of birth)', () => {
    it('before the date of birth: BAD_USER_INPUT naming the field, without the date, nothing written', async () => {
      const counts = async () => [await rows('spectacle_prescription'), await rows('contact_lens_specification'), await rows('examination'), await rows('intraocular_pressure')];
      const before = await counts();
      const beforeBirth = dayBefore(childDob);
      const cases: [string, Record<string, unknown>, string][] = [
        [ISSUE_RX, spectacles(leedsChild, stores.Leeds, { issuedOn: beforeBirth }), 'input.issuedOn'],
        [ISSUE_RX, spectacles(leedsChild, stores.Leeds, { issuedOn: '1950-06-01' }), 'input.issuedOn'],
        [ISSUE_CL, lenses(leedsChild, stores.Leeds, { issuedOn: beforeBirth }), 'input.issuedOn'],
        [ISSUE_CL, lenses(leedsChild, stores.Leeds, { issuedOn: yearsAgo(12), expiresOn: yearsAgo(11) }), 'input.issuedOn'],
        [CREATE_EXAM, exam(leedsChild, stores.Leeds, { examinedAt: `${beforeBirth}T08:00:00Z` }), 'input.examinedAt'],
        [CREATE_EXAM, exam(leedsChild, stores.Leeds, { examinedAt: '1960-01-01T09:00:00Z' }), 'input.examinedAt'],
        [CREATE_EXAM, exam(leedsChild, stores.Leeds, {
          intraocularPressures: [{ eye: 'RIGHT', mmHg: 15, instrument: 'GOLDMANN' }, { eye: 'LEFT', mmHg: 15, instrument: 'GOLDMANN', measuredAt: `${beforeBirth}T08:00:00Z` }],
        }), 'input.intraocularPressures[1].measuredAt'],
      ];
      for (const [document, variables, field] of cases) {
        const result = await as(OPTOMETRIST, document, variables);
        expectBadInput(result, field);
        expect(result.errors![0].message).toMatch(/before the patient's date of birth/);
        expect(JSON.stringify(result)).not.toContain(childDob);
      }
      expect(await counts()).toEqual(before);
      // An adult's prescription from last year is fine (not before their birth).
      const old = await as(OPTOMETRIST, ISSUE_RX, spectacles(leedsAdult, stores.Leeds, { issuedOn: yearsAgo(1) }));
      expect(old.errors).toBeUndefined();
    });

    it('on the date of birth is accepted, also in the first hours of the local birth date (an instant up to 14 hours before it in UTC)', async () => {
      const rx = await as(OPTOMETRIST, ISSUE_RX, spectacles(leedsChild, stores.Leeds, { issuedOn: childDob }));
      expect(rx.errors).toBeUndefined();
      const early = new Date(Date.parse(`${childDob}T00:00:00Z`) - 13 * 3600_000).toISOString();
      const exam1 = await as(OPTOMETRIST, CREATE_EXAM, exam(leedsChild, stores.Leeds, { examinedAt: early }));
      expect(exam1.errors).toBeUndefined();
      const tooEarly = new Date(Date.parse(`${childDob}T00:00:00Z`) - 15 * 3600_000).toISOString();
      expectBadInput(await as(OPTOMETRIST, CREATE_EXAM, exam(leedsChild, stores.Leeds, { examinedAt: tooEarly })), 'input.examinedAt');
    });

    it('editing a draft: an examination time before the date of birth is BAD_USER_INPUT and changes nothing', async () => {
      const draft = await as<{ createExamination: { id: string; examinedAt: string } }>(OPTOMETRIST, CREATE_EXAM, exam(leedsChild, stores.Leeds));
      const { id, examinedAt } = draft.data!.createExamination;
      expectBadInput(await as(OPTOMETRIST, UPDATE_EXAM, { id, input: { examinedAt: `${dayBefore(childDob)}T05:00:00Z` } }), 'input.examinedAt');
      const [row] = await app.clinical.query('SELECT examined_at AS "examinedAt" FROM examination WHERE id = $1', [id]);
      expect(row.examinedAt.toISOString()).toBe(new Date(examinedAt).toISOString());
    });

    it('before 1900 and in the future stay BAD_USER_INPUT naming the field', async () => {
      expectBadInput(await as(OPTOMETRIST, ISSUE_RX, spectacles(leedsAdult, stores.Leeds, { issuedOn: '1899-12-31' })), 'input.issuedOn');
      expectBadInput(await as(OPTOMETRIST, ISSUE_RX, spectacles(leedsAdult, stores.Leeds, { issuedOn: daysFromToday(2) })), 'input.issuedOn');
      expectBadInput(await as(OPTOMETRIST, ISSUE_CL, lenses(leedsAdult, stores.Leeds, { issuedOn: daysFromToday(2) })), 'input.issuedOn');
      expectBadInput(await as(OPTOMETRIST, CREATE_EXAM, exam(leedsAdult, stores.Leeds, { examinedAt: '1899-06-01T10:00:00Z' })), 'input.examinedAt');
      expectBadInput(await as(OPTOMETRIST, CREATE_EXAM, exam(leedsAdult, stores.Leeds, { examinedAt: new Date(Date.now() + 2 * DAY).toISOString() })), 'input.examinedAt');
    });
  });

  describe('reading a derived field', () => {
    let childSpec: string;
    let adultSpec: string;
    let readerAssignment: string;

    beforeAll(async () => {
      const issued = async (customer: string) => {
        const result = await as<{ issueContactLensSpecification: { id: string } }>(OPTOMETRIST, ISSUE_CL, lenses(customer, stores.Leeds));
        expect(result.errors).toBeUndefined();
        return result.data!.issueContactLensSpecification.id;
      };
      childSpec = await issued(leedsChild);
      adultSpec = await issued(leedsAdult);
      // A user who reads every field of specifications at Leeds, and customers' names but not their dates of birth.
      const [{ id }] = await app.core.query(
        `INSERT INTO staff_user (chain_id, email, name, profession, password_hash)
         SELECT chain_id, $1, 'Cleo Reader', 'OPTICAL_ASSISTANT', password_hash FROM staff_user WHERE email = $2 RETURNING id`, [CL_READER, CM]);
      users[CL_READER] = id;
      const role = await as<{ createRole: { id: string } }>(CM, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }', { i: {
        name: 'Contact lens reader',
        permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'lastName'] }, { action: 'read', subject: 'ContactLensSpecification' }],
      } });
      expect(role.errors).toBeUndefined();
      const assigned = await as<{ assignRole: { id: string } }>(CM, 'mutation($i: AssignRoleInput!) { assignRole(input: $i) { id } }', {
        i: { userId: id, roleId: role.data!.createRole.id, scopeType: 'STORE', storeId: stores.Leeds },
      });
      expect(assigned.errors).toBeUndefined();
      readerAssignment = assigned.data!.assignRole.id;
    });

    it('patientDateOfBirth is FORBIDDEN (null) without Customer.dateOfBirth, for a child and an adult alike; the rest resolves', async () => {
      for (const [customer, spec, dob] of [[leedsChild, childSpec, childDob], [leedsAdult, adultSpec, adultDob]]) {
        const result = await as<{ customer: { contactLensSpecifications: Record<string, unknown>[] } }>(CL_READER, SPECS_OF, { id: customer });
        const row = result.data!.customer.contactLensSpecifications.find((r) => r.id === spec)!;
        expect(row).toMatchObject({ id: spec, customerId: customer, rightPower: -1.25, patientDateOfBirth: null });
        const denied = (result.errors ?? []).filter((e) => e.path?.at(-1) === 'patientDateOfBirth');
        expect(denied.length).toBe(result.data!.customer.contactLensSpecifications.length);
        for (const error of denied) {
          expect(error.extensions?.code).toBe('FORBIDDEN');
          expect(error.message).toMatch(/ContactLensSpecification\.patientDateOfBirth/);
        }
        expect(errorCodes(result).every((code) => code === 'FORBIDDEN')).toBe(true);
        expect(JSON.stringify(result)).not.toContain(dob);
      }
    });

    it('the refused read is logged as DENIED in the clinical access log; a granted one as GRANTED with its assignment', async () => {
      const denied = await count(app.clinical,
        `SELECT count(*) AS n FROM clinical_access_log_entry WHERE user_id = $1 AND subject = 'ContactLensSpecification' AND outcome = 'DENIED' AND 'patientDateOfBirth' = ANY(fields)`,
        [users[CL_READER]]);
      expect(denied).toBeGreaterThan(0);
      const seen = await as<{ customer: { contactLensSpecifications: { id: string; patientDateOfBirth: string | null }[] } }>(OPTOMETRIST, SPECS_OF, { id: leedsChild });
      expect(seen.errors).toBeUndefined();
      expect(seen.data!.customer.contactLensSpecifications.find((r) => r.id === childSpec)?.patientDateOfBirth).toBe(childDob);
      const [{ assignment }] = await app.core.query('SELECT id AS assignment FROM role_assignment WHERE user_id = $1', [users[OPTOMETRIST]]);
      const granted: { assignmentIds: string[] }[] = await app.clinical.query(
        `SELECT assignment_ids AS "assignmentIds" FROM clinical_access_log_entry
          WHERE user_id = $1 AND subject = 'ContactLensSpecification' AND outcome = 'GRANTED' AND 'patientDateOfBirth' = ANY(fields)`,
        [users[OPTOMETRIST]]);
      expect(granted.length).toBeGreaterThan(0);
      expect(granted.every((entry) => entry.assignmentIds.includes(assignment))).toBe(true);
    });

    it('with Customer.dateOfBirth added at Leeds, the same user reads it', async () => {
      const [{ roleId }] = await app.core.query('SELECT role_id AS "roleId" FROM role_assignment WHERE id = $1', [readerAssignment]);
      const updated = await as(CM, 'mutation($id: ID!, $i: UpdateRoleInput!) { updateRole(id: $id, input: $i) { id } }', { id: roleId, i: {
        permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'lastName', 'dateOfBirth'] }, { action: 'read', subject: 'ContactLensSpecification' }],
      } });
      expect(updated.errors).toBeUndefined();
      const result = await as<{ customer: { contactLensSpecifications: { id: string; patientDateOfBirth: string | null }[] } }>(CL_READER, SPECS_OF, { id: leedsChild });
      expect(result.errors).toBeUndefined();
      expect(result.data!.customer.contactLensSpecifications.find((r) => r.id === childSpec)?.patientDateOfBirth).toBe(childDob);
    });
  });

  describe('break the glass records the customer’s home store', () => {
    it('the requester, who may not read Customer.homeStoreId there, gets EmergencyAccess.storeId refused; the DPO reads it', async () => {
      const result = await as<{ requestEmergencyAccess: { id: string; customerId: string; storeId: string | null } }>(OPTOMETRIST, REQUEST_EMERGENCY, {
        input: { customerId: yorkChild, reason: 'Sudden vision loss, needs previous refraction' },
      });
      expect(result.data!.requestEmergencyAccess).toMatchObject({ customerId: yorkChild, storeId: null });
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors![0].message).toMatch(/EmergencyAccess\.storeId/);
      expect(JSON.stringify(result)).not.toContain(stores.York);
      const id = result.data!.requestEmergencyAccess.id;

      // Also later, while the emergency access is in force (it grants identity, not the home store).
      const mine = await as<{ emergencyAccesses: { edges: { node: { id: string; storeId: string | null } }[] } }>(OPTOMETRIST, MY_EMERGENCIES);
      expect(mine.data!.emergencyAccesses.edges.find((e) => e.node.id === id)?.node.storeId).toBeNull();
      expect(JSON.stringify(mine)).not.toContain(stores.York);

      const reviewed = await as<{ emergencyAccesses: { edges: { node: { id: string; storeId: string | null } }[] } }>(DPO, MY_EMERGENCIES);
      expect(reviewed.errors).toBeUndefined();
      expect(reviewed.data!.emergencyAccesses.edges.find((e) => e.node.id === id)?.node.storeId).toBe(stores.York);
    });
  });
});
