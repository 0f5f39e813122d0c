/**
 * Bad input gets a clear error and changes nothing (issue 8): one table per hole an adversary found.
 * Every row failed before the fix (INTERNAL_SERVER_ERROR, a database error, an HTTP 5xx, or an error
 * that did not name the argument); tests marked "as before" pin down what already held beside them.
 * Each answer is BAD_USER_INPUT naming the argument (or NOT_FOUND, or the HTTP status the protocol
 * defines), and both databases are unchanged after each test, row for row.
 * test/server/bad-input-generated.test.ts generates thousands more from the schema.
 */
import { createHash, randomUUID } from 'node:crypto';
import { buildSchema, isInputObjectType, isListType, isNonNullType, getNullableType, GraphQLSchema } from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { validateVisualAcuity } from '../../src/clinical/visual-acuity';
import { AcuityAid, AcuityDistance, AcuityUnit, Eye } from '../../src/schema/enums';
import { NUMBERED_IDS } from '../../src/server/argument-guard';
import { QUERY_LIMITS } from '../../src/server/query-limits';
import { Checksums, DatabaseChecksums } from '../support/db-checksums';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { DEMO_PASSWORD, EMAIL } from '../support/actors';

const CHAIN_MANAGER = EMAIL.chainManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const DPO = EMAIL.dpo;

type Row = [name: string, query: string, variables: Record<string, unknown> | undefined, field: string];
/** Runs a table of rows by name (the rows read the suite's ids when they run). */
const named = (rows: () => Row[]): [string, number][] => rows().map((row, i) => [row[0], i]);

describe('bad input', () => {
  let app: TestApp;
  let tokens: Record<string, string>;
  // (Placeholders until beforeAll: the tables are listed by name before it runs.)
  let ids = { leeds: '', customer: '', yorkCustomer: '', exam: '', role: '', user: '', lakesideStore: '', event: '' };
  let checksums: DatabaseChecksums;
  let baseline: Checksums;

  const as = (email: string, query: string, variables?: Record<string, unknown>) => app.request(query, variables, tokens[email]);

  async function expectBadInput(result: GraphQLResult<unknown>, field: string): Promise<void> {
    expect({ codes: errorCodes(result), field: result.errors?.[0]?.extensions?.field }).toEqual({ codes: ['BAD_USER_INPUT'], field });
    expect(result.status).toBeLessThan(500);
    expect(result.data?.[Object.keys(result.data ?? {})[0] as never] ?? null).toBeNull();
  }

  beforeAll(async () => {
    app = await startTestApp();
    tokens = {};
    for (const email of [CHAIN_MANAGER, OPTOMETRIST, DPO]) tokens[email] = await app.login(email);
    const one = async (sql: string, params: unknown[] = []) => ((await app.ownerCore.query(sql, params)) as { id: string }[])[0].id;
    const leeds = await one(`SELECT id FROM store WHERE name = 'Leeds'`);
    const customer = await one('SELECT id FROM customer WHERE home_store_id = $1 ORDER BY id LIMIT 1', [leeds]);
    const [{ id: exam }] = await app.ownerClinical.query('SELECT id FROM examination WHERE customer_id = $1 LIMIT 1', [customer]);
    const user = await one(`SELECT id FROM staff_user WHERE email = '${EMAIL.leedsReception}'`);
    const chainId = await one('SELECT chain_id AS id FROM store WHERE id = $1', [leeds]);
    const [{ id: event }] = await app.ownerCore.query(
      `INSERT INTO security_event (chain_id, user_id, kind, window_start, window_end, observed_count, threshold)
       VALUES ($1, $2, 'BULK_CLINICAL_READS', now() - interval '1 hour', now(), 60, 50) RETURNING id::text AS id`, [chainId, user]);
    ids = {
      leeds, customer, exam, user, event,
      yorkCustomer: await one(`SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'York' ORDER BY c.id LIMIT 1`),
      role: await one(`SELECT id FROM role WHERE chain_id = $1 AND name = 'Receptionist'`, [chainId]),
      lakesideStore: await one(`SELECT id FROM store WHERE name = 'Keswick'`),
    };
    checksums = await new DatabaseChecksums(app).prepare();
  });
  beforeEach(async () => {
    baseline = await checksums.take();
  });
  afterEach(async () => {
    expect(DatabaseChecksums.changed(baseline, await checksums.take())).toEqual([]);
  });
  afterAll(() => app.stop());

  describe('required arguments and input fields are non-null: missing or null is BAD_USER_INPUT naming it', () => {
    const rows = (): Row[] => [
      ['createCustomer without input', 'mutation { createCustomer { id } }', undefined, 'input'],
      ['login without email', `mutation { login(password: "${DEMO_PASSWORD}") { token } }`, undefined, 'email'],
      ['login with email: null', 'mutation { login(email: null, password: "x") { token } }', undefined, 'email'],
      ['updateCustomer without input', `mutation { updateCustomer(id: "${ids.customer}") { id } }`, undefined, 'input'],
      ['updateCustomer without id', 'mutation { updateCustomer(input: { city: "Leeds" }) { id } }', undefined, 'id'],
      ['customer without id', '{ customer { id } }', undefined, 'id'],
      ['customer(id: null)', '{ customer(id: null) { id } }', undefined, 'id'],
      ['signExamination without id', 'mutation { signExamination { id } }', undefined, 'id'],
      ['cancelAppointment without id', 'mutation { cancelAppointment(reason: "x") { id } }', undefined, 'id'],
      ['revokeAssignment(id: null)', 'mutation { revokeAssignment(id: null) }', undefined, 'id'],
      ['deleteRole without id', 'mutation { deleteRole(removeAssignments: true) }', undefined, 'id'],
      ['updateRole without input', `mutation { updateRole(id: "${ids.role}") { id } }`, undefined, 'input'],
      ['previewRoleChange without input', `{ previewRoleChange(id: "${ids.role}") { change } }`, undefined, 'input'],
      ['a required input field left out (in the document)',
        `mutation { createCustomer(input: { homeStoreId: "${ids.leeds}", lastName: "Bad", dateOfBirth: "1990-01-01" }) { id } }`, undefined, 'input.firstName'],
      ['a required input field null (in the document)',
        `mutation { createCustomer(input: { homeStoreId: "${ids.leeds}", firstName: null, lastName: "Bad", dateOfBirth: "1990-01-01" }) { id } }`, undefined, 'input.firstName'],
      ['a required input field left out (in a variable)', 'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
        { input: { homeStoreId: ids.leeds, lastName: 'Bad', dateOfBirth: '1990-01-01' } }, 'input.firstName'],
      ['an unknown argument', 'mutation { logout(everywhere: true) }', undefined, 'everywhere'],
    ];
    it.each(named(rows))('%s', async (_name, i) => {
      const [, query, variables, field] = rows()[i];
      await expectBadInput(await as(/login|logout/.test(query) ? DPO : CHAIN_MANAGER, query, variables), field);
    });

    it('the schema: required arguments are non-null, optional ones are exactly the filters, lists hold no nulls', async () => {
      const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'schema', 'schema.graphql'), 'utf8'));
      const nullableArgs: string[] = [];
      const listsWithNulls: string[] = [];
      const checkList = (coordinate: string, type: Parameters<typeof getNullableType>[0]) => {
        const nullable = getNullableType(type);
        if (isListType(nullable) && !isNonNullType(nullable.ofType)) listsWithNulls.push(coordinate);
      };
      for (const type of Object.values(schema.getTypeMap())) {
        if (type.name.startsWith('__')) continue;
        if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) checkList(`${type.name}.${field.name}`, field.type);
        if (!('getFields' in type) || isInputObjectType(type)) continue;
        for (const field of Object.values(type.getFields())) {
          for (const arg of field.args) {
            checkList(`${type.name}.${field.name}(${arg.name}:)`, arg.type);
            if (!isNonNullType(arg.type)) nullableArgs.push(`${type.name}.${field.name}(${arg.name}:)`);
          }
        }
      }
      expect(listsWithNulls).toEqual([]);
      const filters = (field: string, args: string[]) => args.map((a) => `Query.${field}(${a}:)`);
      expect(nullableArgs.sort()).toEqual([
        'Mutation.cancelAppointment(reason:)',
        'Mutation.deleteRole(removeAssignments:)',
        // The source of a terms acceptance defaults to IN_STORE (EMAIL_LINK refused).
        'Mutation.recordTermsAcceptance(source:)',
        // Issue 12: a pause's note is optional; a correction names its rectification request only when it answers one.
        'Mutation.pauseDataRequest(note:)',
        'Mutation.updateCustomer(dataRequestId:)',
        // A hold's release may say why.
        'Mutation.releaseLegalHold(reason:)',
        // Issue 13: a passkey sign-in names its user only when it is not a discoverable-credential sign-in.
        'Mutation.beginPasskeySignIn(email:)',
        // Issue 13: the authenticator code, for users who have one.
        'Mutation.reauthenticate(code:)',
        ...filters('apiTokens', ['userId']),
        ...filters('breaches', ['overdue']),
        ...filters('legalHolds', ['customerId']),
        ...filters('verificationDue', ['after', 'first', 'storeId']),
        ...filters('consentWordings', ['channel']),
        ...filters('marketingList', ['after', 'first', 'storeIds']),
        ...filters('clinicalAccessLog', ['after', 'customerId', 'emergencyAccessId', 'first', 'from', 'storeId', 'to', 'userId']),
        ...filters('customers', ['after', 'first', 'search', 'storeId', 'includeErased']),
        ...filters('dataChangeLog', ['after', 'customerId', 'first', 'from', 'recordId', 'subject', 'to', 'userId']),
        ...filters('dataRequests', ['after', 'dueBefore', 'first', 'overdue', 'status']),
        ...filters('emergencyAccesses', ['after', 'customerId', 'first', 'pending', 'userId']),
        // The matrix views take exactly one of each pair (checked by the resolver: BAD_USER_INPUT naming it).
        ...filters('effectivePermissions', ['storeId', 'storeName', 'userEmail', 'userId']),
        ...filters('explain', ['field', 'storeId', 'storeName', 'userEmail', 'userId']),
        ...filters('roleChanges', ['first', 'roleId']),
        ...filters('securityEvents', ['acknowledged', 'after', 'first', 'userId']),
        ...filters('stores', ['name']),
        ...filters('users', ['email']),
      ].sort());
    });
  });

  describe('null list items are BAD_USER_INPUT naming the item', () => {
    const rows = (): Row[] => [
      ['refractions: [null] (document)', `mutation { createExamination(input: { customerId: "${ids.customer}", storeId: "${ids.leeds}", refractions: [null] }) { id } }`, undefined, 'input.refractions[0]'],
      ['visualAcuities: [null] (variable)', 'mutation($id: ID!, $input: UpdateExaminationInput!) { updateExamination(id: $id, input: $input) { id } }',
        { id: randomUUID(), input: { visualAcuities: [null] } }, 'input.visualAcuities[0]'],
      ['intraocularPressures: [.., null]', 'mutation($input: CreateExaminationInput!) { createExamination(input: $input) { id } }',
        { input: { customerId: randomUUID(), storeId: randomUUID(), intraocularPressures: [{ eye: 'RIGHT', mmHg: 15, instrument: 'GOLDMANN' }, null] } }, 'input.intraocularPressures[1]'],
      ['updateRole permissions: [null]', `mutation { updateRole(id: "${ids.role}", input: { permissions: [null] }) { id } }`, undefined, 'input.permissions[0]'],
      ['previewRoleChange permissions: [null]', `{ previewRoleChange(id: "${ids.role}", input: { permissions: [null] }) { change } }`, undefined, 'input.permissions[0]'],
    ];
    it.each(named(rows))('%s', async (_name, i) => {
      const [, query, variables, field] = rows()[i];
      await expectBadInput(await as(/Examination/.test(query) ? OPTOMETRIST : CHAIN_MANAGER, query, variables), field);
    });
  });

  describe('ids are validated in one place: a malformed id is BAD_USER_INPUT naming it, never a database error', () => {
    const BOOK = 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }';
    const slot = () => {
      const start = new Date(Date.now() + 7 * 86400_000);
      start.setUTCHours(10, 0, 0, 0);
      return { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 1800_000).toISOString() };
    };
    const rows = (): Row[] => [
      ['bookAppointment practitionerId ""', BOOK, { input: { customerId: ids.customer, storeId: ids.leeds, practitionerId: '', type: 'SIGHT_TEST', ...slot() } }, 'input.practitionerId'],
      ['issueSpectaclePrescription examinationId ""', 'mutation($input: IssueSpectaclePrescriptionInput!) { issueSpectaclePrescription(input: $input) { id } }',
        { input: { customerId: ids.customer, storeId: ids.leeds, examinationId: '', outcome: 'NO_RX_NEEDED' } }, 'input.examinationId'],
      ['issueContactLensSpecification examinationId ""', 'mutation($input: IssueContactLensSpecificationInput!) { issueContactLensSpecification(input: $input) { id } }',
        { input: { customerId: ids.customer, storeId: ids.leeds, examinationId: '', expiresOn: '2099-01-01', rightPower: -1 } }, 'input.examinationId'],
      ['addClinicalNote examinationId ""', 'mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }',
        { input: { customerId: ids.customer, storeId: ids.leeds, examinationId: '', plan: 'Review in a year.' } }, 'input.examinationId'],
      ['assignRole regionId "" on a CHAIN assignment', 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }',
        { input: { userId: ids.user, roleId: ids.role, scopeType: 'CHAIN', regionId: '' } }, 'input.regionId'],
      ['assignRole storeId "" on a CHAIN assignment (document)', `mutation { assignRole(input: { userId: "${ids.user}", roleId: "${ids.role}", scopeType: CHAIN, storeId: "" }) { id } }`, undefined, 'input.storeId'],
      ['updateCustomer id ""', 'mutation { updateCustomer(id: "", input: { city: "Leeds" }) { id } }', undefined, 'id'],
      ['customer(id: "")', '{ customer(id: "") { id } }', undefined, 'id'],
      ['acknowledgeSecurityEvent id "abc"', 'mutation { acknowledgeSecurityEvent(id: "abc", note: "Seen.") { id } }', undefined, 'id'],
      ['acknowledgeSecurityEvent id "-1"', 'mutation { acknowledgeSecurityEvent(id: "-1", note: "Seen.") { id } }', undefined, 'id'],
      ['dataChangeLog recordId ""', '{ dataChangeLog(recordId: "") { totalCount } }', undefined, 'recordId'],
      ['effectivePermissions userId ""', `{ effectivePermissions(userId: "", storeId: "${ids.leeds}") { action } }`, undefined, 'userId'],
    ];
    it.each(named(rows))('%s', async (_name, i) => {
      const [, query, variables, field] = rows()[i];
      const email = /Prescription|Specification|ClinicalNote|Examination/.test(query) ? OPTOMETRIST : /dataChangeLog|clinicalAccessLog/.test(query) ? DPO : CHAIN_MANAGER;
      await expectBadInput(await as(email, query, variables), field);
    });

    it('a well-formed id that names nothing visible is NOT_FOUND (as before: existence is not disclosed)', async () => {
      for (const id of [randomUUID(), ids.yorkCustomer.toUpperCase()]) {
        expect(errorCodes(await as(OPTOMETRIST, 'query($id: ID!) { customer(id: $id) { id } }', { id }))).toEqual(['NOT_FOUND']);
      }
      expect(errorCodes(await as(CHAIN_MANAGER, 'mutation { acknowledgeSecurityEvent(id: "999999999", note: "Seen.") { id } }'))).toEqual(['NOT_FOUND']);
      const other = await as(CHAIN_MANAGER, 'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
        { input: { homeStoreId: ids.lakesideStore, firstName: 'A', lastName: 'B', dateOfBirth: '1990-01-01' } });
      expect({ codes: errorCodes(other), field: other.errors?.[0].extensions?.field }).toEqual({ codes: ['BAD_USER_INPUT'], field: 'input.homeStoreId' });
    });

    it('every numbered id the guard knows is an ID argument of the schema', () => {
      const schema: GraphQLSchema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'schema', 'schema.graphql'), 'utf8'));
      for (const coordinate of NUMBERED_IDS) {
        const [, type, field, arg] = /^(\w+)\.(\w+)\((\w+):\)$/.exec(coordinate) ?? [];
        const found = (schema.getType(type) as { getFields?: () => Record<string, { args: { name: string; type: unknown }[] }> })?.getFields?.()[field]?.args.find((a) => a.name === arg);
        expect(String(found?.type)).toBe('ID!');
      }
    });
  });

  describe('visual acuity: values outside logMAR -0.3 … 3.0 are BAD_USER_INPUT naming the value', () => {
    const acuity = (unit: AcuityUnit, value: string) => ({ eye: Eye.RIGHT, distance: AcuityDistance.DISTANCE, aid: AcuityAid.UNAIDED, unit, value });
    const tooFar: [AcuityUnit, string][] = [
      [AcuityUnit.SNELLEN_METRE, `6/1${'0'.repeat(300)}`],
      [AcuityUnit.SNELLEN_METRE, '6/0.0000001'],
      [AcuityUnit.SNELLEN_METRE, '6/6100'],
      [AcuityUnit.SNELLEN_METRE, '6/2.9'],
      [AcuityUnit.SNELLEN_FOOT, '20/0.00001'],
      [AcuityUnit.SNELLEN_FOOT, `20/9${'9'.repeat(50)}`],
    ];
    it.each(tooFar)('%s %s is refused through the API, and nothing is stored', async (unit, value) => {
      const result = await as(OPTOMETRIST, 'mutation($input: CreateExaminationInput!) { createExamination(input: $input) { id } }',
        { input: { customerId: ids.customer, storeId: ids.leeds, visualAcuities: [acuity(AcuityUnit.SNELLEN_METRE, '6/6'), acuity(unit, value)] } });
      await expectBadInput(result, 'input.visualAcuities[1].value');
    });
    it('accepts the ends of the range (as before)', () => {
      expect(validateVisualAcuity(acuity(AcuityUnit.SNELLEN_METRE, '6/3'), 'va')).toEqual({ value: '6/3', logMar: -0.3 });
      expect(validateVisualAcuity(acuity(AcuityUnit.SNELLEN_METRE, '6/6000'), 'va')).toEqual({ value: '6/6000', logMar: 3 });
      expect(validateVisualAcuity(acuity(AcuityUnit.SNELLEN_FOOT, '20/20000'), 'va')).toEqual({ value: '20/20000', logMar: 3 });
      expect(validateVisualAcuity(acuity(AcuityUnit.DECIMAL, '2'), 'va').logMar).toBe(-0.3);
    });
  });

  describe('client text never indexes a plain object: prototype keys are refused like any unknown name', () => {
    const KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
    it.each(KEYS)('dataChangeLog(subject: "%s")', async (key) => {
      await expectBadInput(await as(DPO, 'query($s: String) { dataChangeLog(subject: $s) { totalCount } }', { s: key }), 'subject');
    });
    // The other lookups by client text already used Maps or own checks (the audit found only the one
    // above); these keep it so.
    it.each(KEYS)('explain and role entries with "%s" (as before)', async (key) => {
      await expectBadInput(await as(CHAIN_MANAGER, 'query($u: ID!, $s: ID!, $sub: String!) { explain(userId: $u, storeId: $s, action: "read", subject: $sub) { granted } }',
        { u: ids.user, s: ids.leeds, sub: key }), 'subject');
      await expectBadInput(await as(CHAIN_MANAGER, 'query($u: ID!, $s: ID!, $a: String!) { explain(userId: $u, storeId: $s, action: $a, subject: "Customer") { granted } }',
        { u: ids.user, s: ids.leeds, a: key }), 'action');
      await expectBadInput(await as(CHAIN_MANAGER, 'query($u: ID!, $s: ID!, $f: String) { explain(userId: $u, storeId: $s, action: "read", subject: "Customer", field: $f) { granted } }',
        { u: ids.user, s: ids.leeds, f: key }), 'field');
      const CREATE = 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }';
      await expectBadInput(await as(CHAIN_MANAGER, CREATE, { input: { name: `Proto ${key}`, permissions: [{ action: 'read', subject: key }] } }), 'input.permissions[0].subject');
      await expectBadInput(await as(CHAIN_MANAGER, CREATE, { input: { name: `Proto ${key}`, permissions: [{ action: key, subject: 'Customer' }] } }), 'input.permissions[0].action');
      await expectBadInput(await as(CHAIN_MANAGER, CREATE, { input: { name: `Proto ${key}`, permissions: [{ action: 'read', subject: 'Customer', fields: [key] }] } }), 'input.permissions[0].fields[0]');
    });
    it('an input object with a prototype key is refused by GraphQL itself (as before)', async () => {
      const body = `{"query":"mutation($input: UpdateAuditSettingsInput!) { updateAuditSettings(input: $input) { anomalyWindowMinutes } }","variables":{"input":{"__proto__":{"anomalyWindowMinutes":1}}}}`;
      const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[CHAIN_MANAGER]}` }, body });
      const json = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(response.status).toBe(400);
      expect(json.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('request-level refusals are 4xx with a code, never 5xx or INTERNAL_SERVER_ERROR', () => {
    const post = async (body: string, token?: string) => {
      const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
      const text = await response.text();
      return { status: response.status, json: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string; field?: string } }[] } };
    };
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const QUERY = '{ me { id } }';

    it('a persisted query whose hash does not match its text', async () => {
      for (const hash of ['0'.repeat(64), sha256(`${QUERY} `), 'not-a-hash', '']) {
        const { status, json } = await post(JSON.stringify({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }), tokens[DPO]);
        expect(status).toBe(400);
        expect(json.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'extensions.persistedQuery.sha256Hash']]);
      }
    });
    it('an unsupported persisted query version', async () => {
      const { status, json } = await post(JSON.stringify({ query: QUERY, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(QUERY) } } }));
      expect(status).toBe(400);
      expect(json.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'extensions.persistedQuery.version']]);
    });
    it('persisted queries still work as Apollo defines them (as before)', async () => {
      const unknown = await post(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ stores { id } }') } } }), tokens[DPO]);
      expect(unknown.json.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      const registered = await post(JSON.stringify({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(QUERY) } } }), tokens[DPO]);
      expect(registered.status).toBe(200);
      expect(registered.json.errors).toBeUndefined();
    });
    it(`a document over ${QUERY_LIMITS.maxTokens} tokens is GRAPHQL_PARSE_FAILED, HTTP 400`, async () => {
      for (const query of [`{ me { ${'id '.repeat(QUERY_LIMITS.maxTokens)} } }`, `query { ${'__typename '.repeat(QUERY_LIMITS.maxTokens + 1)} }`]) {
        const { status, json } = await post(JSON.stringify({ query }), tokens[DPO]);
        expect(status).toBe(400);
        expect(json.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
      }
      // Just under the limit: parsed, and refused for what it says (more than 200 role entries).
      const entries = Array.from({ length: Math.floor((QUERY_LIMITS.maxTokens - 30) / 9) }, () => '{ action: "read", subject: "Customer" }').join(' ');
      const { status, json } = await post(JSON.stringify({ query: `{ previewRoleChange(id: "${ids.role}", input: { permissions: [${entries}] }) { change } }` }), tokens[CHAIN_MANAGER]);
      expect({ status, errors: json.errors?.map((e) => [e.extensions?.code, e.extensions?.field]) }).toEqual({ status: 200, errors: [['BAD_USER_INPUT', 'input.permissions']] });
    });
    it('a body over 1 MB is HTTP 413 with a JSON error, and the server answers the next request', async () => {
      for (const size of [1024 * 1024 + 1, 3 * 1024 * 1024, 20 * 1024 * 1024]) {
        const body = JSON.stringify({ query: 'mutation($note: String!) { acknowledgeSecurityEvent(id: "1", note: $note) { id } }', variables: { note: 'x'.repeat(size) } });
        const { status, json } = await post(body, tokens[CHAIN_MANAGER]);
        expect(status).toBe(413);
        expect(json.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
      }
      const justUnder = JSON.stringify({ query: 'mutation($note: String!) { acknowledgeSecurityEvent(id: "1", note: $note) { id } }', variables: { note: 'x'.repeat(1024 * 1024 - 200) } });
      const { status, json } = await post(justUnder, tokens[CHAIN_MANAGER]);
      expect(status).toBe(200);
      expect(json.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'note']]);
      expect((await post(JSON.stringify({ query: QUERY }), tokens[DPO])).status).toBe(200);
    });
    it('malformed bodies are 4xx BAD_REQUEST (as before)', async () => {
      for (const body of ['{', 'null', '[]', '"query"', '{"query": 5}', '{"query": "{ me { id } }", "variables": "x"}', '{"query": "{ me { id } }", "extensions": 1}']) {
        const { status, json } = await post(body, tokens[DPO]);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        expect(json.errors?.every((e) => e.extensions?.code === 'BAD_REQUEST')).toBe(true);
      }
    });
  });
});
