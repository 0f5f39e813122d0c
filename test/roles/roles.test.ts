/**
 * The role matrix as chain managers use it (issue 3), end to end through the real GraphQL API on
 * real PostgreSQL: the permission catalog; creating, changing and deleting roles; assignments at
 * chain, region and store level with validity windows; the matrix view, `explain` and the dry run;
 * the guard rails (no privilege escalation, no lock-out, no cross-chain access, an append-only
 * history of every change); freshness of cached abilities, also across two API processes sharing
 * one database; and default deny of the new operations for callers without Role rights.
 */
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../../src/app';
import { createDataSource } from '../../src/db/data-sources';
import { errorCodes, graphql, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';

const CM = 'chain.manager@clearview.example';
const NORTH = 'north.manager@clearview.example';
const LEEDS_MANAGER = 'leeds.manager@clearview.example';
const RECEPTION = 'leeds.reception@clearview.example';
const LOCUM = 'locum@clearview.example';
const DPO = 'dpo@clearview.example';
const LAKESIDE = 'manager@lakeside.example';
/** Made by this suite (SQL): staff without any role, to receive roles in the tests. */
const SCOPE_TESTER = 'scope.tester@clearview.example';
const STORE_ADMIN = 'store.admin@clearview.example';
const CHAIN_ADMIN = 'chain.admin@clearview.example';

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

const ROLE_FIELDS = 'id name description permissions { action subject fields }';
const CATALOG = `{ permissionCatalog { name description actions clinical fieldGroups { name fields { name description } } } }`;
const ROLES = `{ roles { ${ROLE_FIELDS} } }`;
const ROLE = `query($id: ID!) { role(id: $id) { ${ROLE_FIELDS} } }`;
const ROLE_HOLDERS = `query($id: ID!) { role(id: $id) { name assignments { id user { email } scopeType regionId storeId } } }`;
const CREATE_ROLE = `mutation($input: CreateRoleInput!) { createRole(input: $input) { ${ROLE_FIELDS} } }`;
const UPDATE_ROLE = `mutation($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { ${ROLE_FIELDS} } }`;
const DELETE_ROLE = `mutation($id: ID!, $remove: Boolean) { deleteRole(id: $id, removeAssignments: $remove) }`;
const ASSIGNMENT_FIELDS = 'id userId roleId scopeType regionId storeId validFrom validUntil active';
const ASSIGN = `mutation($input: AssignRoleInput!) { assignRole(input: $input) { ${ASSIGNMENT_FIELDS} } }`;
const REVOKE = `mutation($id: ID!) { revokeAssignment(id: $id) }`;
const EFFECTIVE = `query($u: ID!, $s: ID!) {
  effectivePermissions(userId: $u, storeId: $s) { subject action field grantedBy { id scopeType storeId role { name } user { email } } }
}`;
const EXPLAIN = `query($u: ID!, $s: ID!, $a: String!, $sub: String!, $f: String) {
  explain(userId: $u, storeId: $s, action: $a, subject: $sub, field: $f) {
    granted reason assignment { id scopeType storeId role { name } } entry { action subject fields }
  }
}`;
const PREVIEW = `query($id: ID!, $input: UpdateRoleInput!) {
  previewRoleChange(id: $id, input: $input) { user { email } store { name } subject action field change }
}`;
const ROLE_CHANGES = `query($roleId: ID, $first: Int) {
  roleChanges(roleId: $roleId, first: $first) { id occurredAt actorId action roleId assignmentId before after }
}`;
const CUSTOMER_DOB = `query($id: ID!) { customer(id: $id) { id firstName dateOfBirth } }`;
const CUSTOMER_SEX = `query($id: ID!) { customer(id: $id) { id sex } }`;

// ---------------------------------------------------------------------------------------------
// Shapes of answers
// ---------------------------------------------------------------------------------------------

interface Entry { action: string; subject: string; fields: string[] | null }
interface RoleAnswer { id: string; name: string; description: string; permissions: Entry[] }
interface AssignmentAnswer {
  id: string; userId: string; roleId: string; scopeType: string; regionId: string | null; storeId: string | null;
  validFrom: string | null; validUntil: string | null; active: boolean;
}
interface CatalogAnswer {
  name: string; description: string; actions: string[]; clinical: boolean;
  fieldGroups: { name: string; fields: { name: string; description: string }[] }[];
}
interface EffectiveAnswer {
  subject: string; action: string; field: string | null;
  grantedBy: { id: string; scopeType: string; storeId: string | null; role: { name: string }; user: { email: string } }[];
}
interface ExplainAnswer {
  granted: boolean; reason: string;
  assignment: { id: string; scopeType: string; storeId: string | null; role: { name: string } } | null;
  entry: Entry | null;
}
interface PreviewAnswer { user: { email: string }; store: { name: string }; subject: string; action: string; field: string | null; change: string }
interface ChangeAnswer {
  id: string; occurredAt: string; actorId: string; action: string; roleId: string | null; assignmentId: string | null;
  before: Record<string, unknown> | null; after: Record<string, unknown> | null;
}
interface CustomerAnswer { id: string; firstName: string | null; dateOfBirth: string | null }

interface EntryInput { action: string; subject: string; fields?: string[] | null }
interface AssignInput {
  userId: string; roleId: string; scopeType: 'CHAIN' | 'REGION' | 'STORE';
  regionId?: string | null; storeId?: string | null; validFrom?: string | null; validUntil?: string | null;
}

/** A change to roles or assignments the suite made and expects to find in `roleChanges`. */
interface ExpectedChange { action: string; actorId: string; roleId: string; assignmentId: string | null }

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: string | number }[] = await ds.query(sql, params);
  return Number(rows[0].n);
}

function expectOk<T>(result: GraphQLResult<T>): T {
  expect(result.errors).toBeUndefined();
  expect(result.data).toBeTruthy();
  return result.data as T;
}

function expectBadInput(result: GraphQLResult<unknown>, field?: string): void {
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  if (field !== undefined) expect(result.errors?.[0].extensions?.field).toBe(field);
}

function expectForbidden(result: GraphQLResult<unknown>, message?: RegExp): void {
  expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  if (message) expect(result.errors?.[0].message).toMatch(message);
}

function expectNotFound(result: GraphQLResult<unknown>): void {
  expect(errorCodes(result)).toEqual(['NOT_FOUND']);
}

const sortEntries = (entries: Entry[]): Entry[] =>
  entries
    .map((e) => ({ action: e.action, subject: e.subject, fields: e.fields ? [...e.fields].sort() : null }))
    .sort((a, b) => `${a.subject}|${a.action}|${a.fields}`.localeCompare(`${b.subject}|${b.action}|${b.fields}`));

const ESCALATION = /cannot grant/i;
const LOCK_OUT = /without anyone able to manage roles/i;

describe('role matrix (issue 3)', () => {
  let app: TestApp;
  let chainId: string;
  const stores: Record<string, string> = {};
  const regions: Record<string, string> = {};
  const roles: Record<string, string> = {};
  const users: Record<string, string> = {};
  /** A Leeds, a York and a Bristol customer (active). */
  let leedsCustomer: string;
  let leedsCustomerDob: string;
  let yorkCustomer: string;
  let bristolCustomer: string;
  /** Seeded assignments. */
  let receptionAssignment: string;
  let locumBathAssignment: string;
  let cmAssignment: string;
  const expectedChanges: ExpectedChange[] = [];
  const tokens = new Map<string, string>();

  /** One session per user for the whole file (a new login ends the previous one). */
  async function tokenOf(email: string): Promise<string> {
    let token = tokens.get(email);
    if (!token) {
      token = await app.login(email);
      tokens.set(email, token);
    }
    return token;
  }

  async function as<T>(email: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
    return app.request<T>(query, variables, await tokenOf(email));
  }

  const roleChangeCount = () => count(app.core, 'SELECT count(*) AS n FROM role_change');
  const assignmentCount = () => count(app.core, 'SELECT count(*) AS n FROM role_assignment');
  const authzVersion = async () => String((await app.core.query('SELECT authz_version AS v FROM chain WHERE id = $1', [chainId]))[0].v);

  async function entriesInSql(roleId: string): Promise<Entry[]> {
    const rows: Entry[] = await app.core.query('SELECT action, subject, fields FROM role_permission WHERE role_id = $1', [roleId]);
    return sortEntries(rows);
  }

  async function createRoleAs(email: string, input: { name: string; description?: string; permissions: EntryInput[] }): Promise<RoleAnswer> {
    const role = expectOk(await as<{ createRole: RoleAnswer }>(email, CREATE_ROLE, { input })).createRole;
    expectedChanges.push({ action: 'ROLE_CREATED', actorId: users[email], roleId: role.id, assignmentId: null });
    return role;
  }

  async function updateRoleAs(email: string, id: string, input: { name?: string; description?: string; permissions?: EntryInput[] }): Promise<RoleAnswer> {
    const role = expectOk(await as<{ updateRole: RoleAnswer }>(email, UPDATE_ROLE, { id, input })).updateRole;
    expectedChanges.push({ action: 'ROLE_UPDATED', actorId: users[email], roleId: id, assignmentId: null });
    return role;
  }

  async function assignAs(email: string, input: AssignInput): Promise<AssignmentAnswer> {
    const assignment = expectOk(await as<{ assignRole: AssignmentAnswer }>(email, ASSIGN, { input })).assignRole;
    expectedChanges.push({ action: 'ASSIGNMENT_CREATED', actorId: users[email], roleId: input.roleId, assignmentId: assignment.id });
    return assignment;
  }

  async function revokeAs(email: string, id: string): Promise<void> {
    const [{ roleId }]: { roleId: string }[] = await app.core.query('SELECT role_id AS "roleId" FROM role_assignment WHERE id = $1', [id]);
    expect(expectOk(await as<{ revokeAssignment: boolean }>(email, REVOKE, { id })).revokeAssignment).toBe(true);
    expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = $1', [id])).toBe(0);
    expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: users[email], roleId, assignmentId: id });
  }

  async function deleteRoleAs(email: string, id: string, remove: boolean): Promise<void> {
    const held: { id: string }[] = await app.core.query('SELECT id FROM role_assignment WHERE role_id = $1', [id]);
    expect(expectOk(await as<{ deleteRole: boolean }>(email, DELETE_ROLE, { id, remove })).deleteRole).toBe(true);
    for (const a of held) expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: users[email], roleId: id, assignmentId: a.id });
    expectedChanges.push({ action: 'ROLE_DELETED', actorId: users[email], roleId: id, assignmentId: null });
  }

  /** A user's view of one customer's date of birth: the value, or the error codes. */
  async function dobSeenBy(email: string, customerId: string, url?: string): Promise<{ dob: string | null; codes: string[] }> {
    const result = url
      ? await graphql<{ customer: CustomerAnswer | null }>(url, CUSTOMER_DOB, { id: customerId }, await tokenOf(email))
      : await as<{ customer: CustomerAnswer | null }>(email, CUSTOMER_DOB, { id: customerId });
    return { dob: result.data?.customer?.dateOfBirth ?? null, codes: errorCodes(result) };
  }

  async function makeUser(email: string, name: string): Promise<string> {
    const [{ id }]: { id: string }[] = await app.core.query(
      `INSERT INTO staff_user (chain_id, email, name, profession, password_hash)
       SELECT chain_id, $1, $2, 'MANAGER', password_hash FROM staff_user WHERE email = $3 RETURNING id`,
      [email, name, CM],
    );
    return id;
  }

  beforeAll(async () => {
    app = await startTestApp();
    [{ id: chainId }] = await app.core.query(`SELECT id FROM chain WHERE name = 'Clearview Opticians'`);
    for (const row of (await app.core.query('SELECT id, name FROM store')) as { id: string; name: string }[]) stores[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, name FROM region')) as { id: string; name: string }[]) regions[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, name FROM role WHERE chain_id = $1', [chainId])) as { id: string; name: string }[]) roles[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, email FROM staff_user')) as { id: string; email: string }[]) users[row.email] = row.id;
    users[SCOPE_TESTER] = await makeUser(SCOPE_TESTER, 'Sid Tester');
    users[STORE_ADMIN] = await makeUser(STORE_ADMIN, 'Stella Admin');
    users[CHAIN_ADMIN] = await makeUser(CHAIN_ADMIN, 'Charles Admin');

    const customerAt = async (store: string) => {
      const [row]: { id: string; dob: string }[] = await app.core.query(
        `SELECT id, to_char(date_of_birth, 'YYYY-MM-DD') AS dob FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT 1`,
        [stores[store]],
      );
      return row;
    };
    ({ id: leedsCustomer, dob: leedsCustomerDob } = await customerAt('Leeds'));
    ({ id: yorkCustomer } = await customerAt('York'));
    ({ id: bristolCustomer } = await customerAt('Bristol'));

    const assignmentOf = async (email: string, role: string) => {
      const [row]: { id: string }[] = await app.core.query(
        'SELECT ra.id FROM role_assignment ra JOIN role r ON r.id = ra.role_id WHERE ra.user_id = $1 AND r.name = $2',
        [users[email], role],
      );
      return row.id;
    };
    receptionAssignment = await assignmentOf(RECEPTION, 'Receptionist');
    locumBathAssignment = await assignmentOf(LOCUM, 'Receptionist');
    cmAssignment = await assignmentOf(CM, 'Chain manager');
  });
  afterAll(() => app?.stop());

  // -------------------------------------------------------------------------------------------
  // 1. Permission catalog
  // -------------------------------------------------------------------------------------------

  describe('permissionCatalog', () => {
    it('lists every subject with its actions and its fields in described groups', async () => {
      const catalog = expectOk(await as<{ permissionCatalog: CatalogAnswer[] }>(CM, CATALOG)).permissionCatalog;
      const byName = new Map(catalog.map((s) => [s.name, s]));
      for (const name of ['Customer', 'Consent', 'Appointment', 'Examination', 'SpectaclePrescription', 'ContactLensSpecification',
        'ClinicalNote', 'AccessLogEntry', 'DataRequest', 'MarketingList', 'User', 'Role', 'RoleAssignment', 'RoleChange', 'Store']) {
        expect(byName.has(name)).toBe(true);
      }

      const customer = byName.get('Customer')!;
      expect(customer.actions).toEqual(expect.arrayContaining(['read', 'create', 'update', 'erase', 'export']));
      expect(customer.actions).not.toContain('sign');
      expect(customer.clinical).toBe(false);
      expect(customer.fieldGroups.map((g) => g.name)).toEqual(['identity', 'contact', 'administrative']);
      const group = (s: CatalogAnswer, name: string) => s.fieldGroups.find((g) => g.name === name)!.fields.map((f) => f.name);
      expect(group(customer, 'identity')).toEqual(expect.arrayContaining(['firstName', 'lastName', 'dateOfBirth']));
      expect(group(customer, 'contact')).toEqual(expect.arrayContaining(['email', 'phone', 'postcode']));
      expect(group(customer, 'administrative')).toEqual(expect.arrayContaining(['homeStoreId', 'status']));
      const dob = customer.fieldGroups.flatMap((g) => g.fields).find((f) => f.name === 'dateOfBirth')!;
      expect(dob.description).toMatch(/birth/i);

      const exam = byName.get('Examination')!;
      expect(exam.clinical).toBe(true);
      expect(exam.actions).toEqual(expect.arrayContaining(['read', 'create', 'update', 'sign']));
      expect(group(exam, 'clinical findings')).toEqual(['refractions', 'visualAcuities', 'intraocularPressures']);
      expect(byName.get('ClinicalNote')!.fieldGroups.map((g) => g.name)).toContain('clinical notes');
      expect(byName.get('Consent')!.fieldGroups.map((g) => g.name)).toContain('consent');

      // Every subject and every field is described for people; no field is listed twice.
      for (const subject of catalog) {
        expect(subject.description.length).toBeGreaterThan(5);
        expect(subject.actions.length).toBeGreaterThan(0);
        const fields = subject.fieldGroups.flatMap((g) => g.fields);
        expect(new Set(fields.map((f) => f.name)).size).toBe(fields.length);
        for (const field of fields) expect(field.description.trim()).not.toBe('');
      }
    });

    it('is readable by the DPO (read Role) and FORBIDDEN to a store manager without Role rights', async () => {
      const dpo = expectOk(await as<{ permissionCatalog: CatalogAnswer[] }>(DPO, CATALOG)).permissionCatalog;
      expect(dpo.length).toBeGreaterThan(10);
      const denied = await as(LEEDS_MANAGER, CATALOG);
      expectForbidden(denied);
      expect(denied.data).toBeNull();
      expect(errorCodes(await app.request(CATALOG))).toEqual(['UNAUTHENTICATED']);
    });
  });

  // -------------------------------------------------------------------------------------------
  // 2. Roles: create, rename, describe, change, delete
  // -------------------------------------------------------------------------------------------

  describe('createRole / updateRole / deleteRole', () => {
    it('creates a role of the caller’s chain with catalog-checked entries', async () => {
      const before = await roleChangeCount();
      const role = await createRoleAs(CM, {
        name: '  Front desk lite ',
        description: 'Names only',
        permissions: [{ action: 'read', subject: 'Customer', fields: ['lastName', 'firstName', 'firstName'] }, { action: 'read', subject: 'Store' }],
      });
      expect(role.name).toBe('Front desk lite');
      expect(role.description).toBe('Names only');
      expect(sortEntries(role.permissions)).toEqual(sortEntries([
        { action: 'read', subject: 'Customer', fields: ['firstName', 'lastName'] }, { action: 'read', subject: 'Store', fields: null },
      ]));
      const [row] = await app.core.query('SELECT chain_id AS "chainId", name, description FROM role WHERE id = $1', [role.id]);
      expect(row).toEqual({ chainId, name: 'Front desk lite', description: 'Names only' });
      expect(await entriesInSql(role.id)).toEqual(sortEntries(role.permissions));
      expect(await roleChangeCount()).toBe(before + 1);

      const listed = expectOk(await as<{ roles: RoleAnswer[] }>(CM, ROLES)).roles;
      expect(listed.map((r) => r.name)).toContain('Front desk lite');
      expect(expectOk(await as<{ role: RoleAnswer }>(CM, ROLE, { id: role.id })).role.name).toBe('Front desk lite');
      roles['Front desk lite'] = role.id;
    });

    it('renames, describes and changes the entries of a role', async () => {
      const id = roles['Front desk lite'];
      const renamed = await updateRoleAs(CM, id, { name: 'Front desk' });
      expect(renamed.name).toBe('Front desk');
      expect(renamed.description).toBe('Names only');

      const described = await updateRoleAs(CM, id, { description: 'Names and phone numbers' });
      expect(described).toMatchObject({ name: 'Front desk', description: 'Names and phone numbers' });

      const changed = await updateRoleAs(CM, id, {
        permissions: [{ action: 'read', subject: 'Customer', fields: ['firstName', 'lastName', 'phone'] }, { action: 'update', subject: 'Customer', fields: ['phone'] }],
      });
      const expected = sortEntries([
        { action: 'read', subject: 'Customer', fields: ['firstName', 'lastName', 'phone'] }, { action: 'update', subject: 'Customer', fields: ['phone'] },
      ]);
      expect(sortEntries(changed.permissions)).toEqual(expected);
      expect(await entriesInSql(id)).toEqual(expected);
      const [row] = await app.core.query('SELECT name, description FROM role WHERE id = $1', [id]);
      expect(row).toEqual({ name: 'Front desk', description: 'Names and phone numbers' });
      roles['Front desk'] = id;
    });

    it('refuses unknown subjects, actions and fields with BAD_USER_INPUT naming the entry, and writes nothing', async () => {
      const roleCount = () => count(app.core, 'SELECT count(*) AS n FROM role');
      const [roles0, changes0] = [await roleCount(), await roleChangeCount()];
      const ok = { action: 'read', subject: 'Store' };
      const cases: [EntryInput, string][] = [
        [{ action: 'read', subject: 'Spaceship' }, 'input.permissions[1].subject'],
        [{ action: 'fly', subject: 'Customer' }, 'input.permissions[1].action'],
        [{ action: 'sign', subject: 'Customer' }, 'input.permissions[1].action'],
        [{ action: 'read', subject: 'Customer', fields: ['firstName', 'shoeSize'] }, 'input.permissions[1].fields[1]'],
        [{ action: 'read', subject: 'Customer', fields: [] }, 'input.permissions[1].fields'],
      ];
      for (const [bad, field] of cases) {
        expectBadInput(await as(CM, CREATE_ROLE, { input: { name: `Bad ${field}`, permissions: [ok, bad] } }), field);
        expectBadInput(await as(CM, UPDATE_ROLE, { id: roles['Front desk'], input: { permissions: [ok, bad] } }), field);
      }
      expect(await roleCount()).toBe(roles0);
      expect(await roleChangeCount()).toBe(changes0);
      expect((await entriesInSql(roles['Front desk'])).map((e) => e.action)).toEqual(['read', 'update']);
    });

    it('refuses a duplicate role name (input.name), on create and on rename', async () => {
      const changes0 = await roleChangeCount();
      expectBadInput(await as(CM, CREATE_ROLE, { input: { name: 'Receptionist', permissions: [] } }), 'input.name');
      expectBadInput(await as(CM, UPDATE_ROLE, { id: roles['Front desk'], input: { name: 'Optometrist' } }), 'input.name');
      expectBadInput(await as(CM, CREATE_ROLE, { input: { name: '   ', permissions: [] } }), 'input.name');
      expect(await count(app.core, `SELECT count(*) AS n FROM role WHERE chain_id = $1 AND name = 'Receptionist'`, [chainId])).toBe(1);
      expect((await app.core.query('SELECT name FROM role WHERE id = $1', [roles['Front desk']]))[0].name).toBe('Front desk');
      expect(await roleChangeCount()).toBe(changes0);
      // The same name in another chain is no clash: Lakeside has its own "Chain manager".
      expect(await count(app.core, `SELECT count(*) AS n FROM role WHERE name = 'Chain manager'`)).toBe(2);
    });

    it('refuses to delete a role in use (removeAssignments), then deletes it and its assignments when asked', async () => {
      const id = roles['Front desk'];
      const a1 = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: id, scopeType: 'STORE', storeId: stores.Leeds });
      const a2 = await assignAs(CM, { userId: users[RECEPTION], roleId: id, scopeType: 'REGION', regionId: regions.North });
      const changes0 = await roleChangeCount();

      expectBadInput(await as(CM, DELETE_ROLE, { id }), 'removeAssignments');
      expectBadInput(await as(CM, DELETE_ROLE, { id, remove: false }), 'removeAssignments');
      expect(await count(app.core, 'SELECT count(*) AS n FROM role WHERE id = $1', [id])).toBe(1);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE role_id = $1', [id])).toBe(2);
      expect(await entriesInSql(id)).toHaveLength(2);
      expect(await roleChangeCount()).toBe(changes0);

      await deleteRoleAs(CM, id, true);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role WHERE id = $1', [id])).toBe(0);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_permission WHERE role_id = $1', [id])).toBe(0);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = ANY($1)', [[a1.id, a2.id]])).toBe(0);
      expect(await roleChangeCount()).toBe(changes0 + 3); // two assignments revoked, one role deleted
      expectNotFound(await as(CM, ROLE, { id }));
      expect(expectOk(await as<{ roles: RoleAnswer[] }>(CM, ROLES)).roles.map((r) => r.id)).not.toContain(id);
    });

    it('every role’s entries, as role(id) lists them, can be saved back unchanged (the seeded Chain manager too)', async () => {
      const failures: string[] = [];
      for (const name of ['Chain manager', 'Regional manager', 'Store manager', 'Optometrist', 'Optical assistant', 'Receptionist', 'Data protection officer', 'BI service account']) {
        const id = roles[name];
        const listed = expectOk(await as<{ role: RoleAnswer }>(CM, ROLE, { id })).role.permissions;
        const entries0 = await entriesInSql(id);
        expect(sortEntries(listed)).toEqual(entries0);
        const permissions = listed.map((e) => ({ action: e.action, subject: e.subject, fields: e.fields }));
        const preview = await as<{ previewRoleChange: PreviewAnswer[] }>(CM, PREVIEW, { id, input: { permissions } });
        const saved = await as<{ updateRole: RoleAnswer }>(CM, UPDATE_ROLE, { id, input: { permissions } });
        if (saved.errors || preview.errors) {
          failures.push(`${name}: ${(saved.errors ?? preview.errors ?? []).map((e) => `${e.extensions?.code} ${e.message}`).join('; ')}`);
        } else {
          expectedChanges.push({ action: 'ROLE_UPDATED', actorId: users[CM], roleId: id, assignmentId: null });
          expect(preview.data?.previewRoleChange).toEqual([]);
        }
        expect(await entriesInSql(id)).toEqual(entries0);
      }
      expect(failures).toEqual([]);
    });

    it('deletes an unused role at once; an unknown role is NOT_FOUND, a malformed id BAD_USER_INPUT', async () => {
      const role = await createRoleAs(CM, { name: 'Short-lived', permissions: [{ action: 'read', subject: 'Store' }] });
      await deleteRoleAs(CM, role.id, false);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role WHERE id = $1', [role.id])).toBe(0);
      expectNotFound(await as(CM, DELETE_ROLE, { id: role.id }));
      expectNotFound(await as(CM, UPDATE_ROLE, { id: role.id, input: { name: 'Ghost' } }));
      const malformed = await as(CM, DELETE_ROLE, { id: 'not-a-uuid' });
      expect([errorCodes(malformed), malformed.errors?.[0].extensions?.field]).toEqual([['BAD_USER_INPUT'], 'id']);
    });
  });

  // -------------------------------------------------------------------------------------------
  // 3. Assignments: scopes and validity windows
  // -------------------------------------------------------------------------------------------

  describe('assignRole / revokeAssignment', () => {
    let dobReader: string;

    beforeAll(async () => {
      dobReader = (await createRoleAs(CM, {
        name: 'DOB reader',
        description: 'Names and dates of birth',
        permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'dateOfBirth'] }],
      })).id;
      roles['DOB reader'] = dobReader;
    });

    /** What the scope tester sees of a Leeds, a York and a Bristol customer. */
    async function testerReach(): Promise<Record<string, string>> {
      const out: Record<string, string> = {};
      for (const [store, id] of [['Leeds', leedsCustomer], ['York', yorkCustomer], ['Bristol', bristolCustomer]]) {
        const seen = await dobSeenBy(SCOPE_TESTER, id);
        out[store] = seen.dob ? 'dob' : seen.codes.join(',');
      }
      return out;
    }

    it('a user without roles sees no customer', async () => {
      expect(await testerReach()).toEqual({ Leeds: 'FORBIDDEN', York: 'FORBIDDEN', Bristol: 'FORBIDDEN' });
    });

    it('assigns and revokes at CHAIN scope: every store', async () => {
      const a = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: dobReader, scopeType: 'CHAIN' });
      expect(a).toMatchObject({ userId: users[SCOPE_TESTER], roleId: dobReader, scopeType: 'CHAIN', regionId: null, storeId: null, validFrom: null, validUntil: null, active: true });
      const [row] = await app.core.query('SELECT chain_id AS "chainId", scope_type AS "scopeType", created_by_id AS "createdById" FROM role_assignment WHERE id = $1', [a.id]);
      expect(row).toEqual({ chainId, scopeType: 'CHAIN', createdById: users[CM] });
      expect(await testerReach()).toEqual({ Leeds: 'dob', York: 'dob', Bristol: 'dob' });
      await revokeAs(CM, a.id);
      expect(await testerReach()).toEqual({ Leeds: 'FORBIDDEN', York: 'FORBIDDEN', Bristol: 'FORBIDDEN' });
    });

    it('assigns and revokes at REGION scope: the stores of North only', async () => {
      const a = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: dobReader, scopeType: 'REGION', regionId: regions.North });
      expect(a).toMatchObject({ scopeType: 'REGION', regionId: regions.North, storeId: null });
      expect(await testerReach()).toEqual({ Leeds: 'dob', York: 'dob', Bristol: 'NOT_FOUND' });
      await revokeAs(CM, a.id);
      expect(await testerReach()).toEqual({ Leeds: 'FORBIDDEN', York: 'FORBIDDEN', Bristol: 'FORBIDDEN' });
    });

    it('assigns and revokes at STORE scope: Leeds only', async () => {
      const a = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: dobReader, scopeType: 'STORE', storeId: stores.Leeds });
      expect(a).toMatchObject({ scopeType: 'STORE', regionId: null, storeId: stores.Leeds });
      expect(await testerReach()).toEqual({ Leeds: 'dob', York: 'NOT_FOUND', Bristol: 'NOT_FOUND' });
      const seen = expectOk(await as<{ customer: CustomerAnswer }>(SCOPE_TESTER, CUSTOMER_DOB, { id: leedsCustomer })).customer;
      expect(seen.dateOfBirth).toBe(leedsCustomerDob);
      await revokeAs(CM, a.id);
      expect(await testerReach()).toEqual({ Leeds: 'FORBIDDEN', York: 'FORBIDDEN', Bristol: 'FORBIDDEN' });
      expectNotFound(await as(CM, REVOKE, { id: a.id }));
    });

    it('refuses bad scope shapes and windows with BAD_USER_INPUT, adding nothing', async () => {
      const [assignments0, changes0] = [await assignmentCount(), await roleChangeCount()];
      const base = { userId: users[SCOPE_TESTER], roleId: dobReader };
      const past = new Date(Date.now() - 60_000).toISOString();
      const soon = new Date(Date.now() + 3600_000).toISOString();
      const later = new Date(Date.now() + 7200_000).toISOString();
      const cases: [Partial<AssignInput>, string][] = [
        [{ scopeType: 'CHAIN', storeId: stores.Leeds }, 'input.scopeType'],
        [{ scopeType: 'CHAIN', regionId: regions.North }, 'input.scopeType'],
        [{ scopeType: 'REGION' }, 'input.regionId'],
        [{ scopeType: 'REGION', regionId: regions.North, storeId: stores.Leeds }, 'input.regionId'],
        [{ scopeType: 'REGION', regionId: stores.Leeds }, 'input.regionId'],
        [{ scopeType: 'STORE' }, 'input.storeId'],
        [{ scopeType: 'STORE', storeId: stores.Leeds, regionId: regions.North }, 'input.storeId'],
        [{ scopeType: 'STORE', storeId: regions.North }, 'input.storeId'],
        [{ scopeType: 'STORE', storeId: stores.Keswick }, 'input.storeId'],
        [{ scopeType: 'REGION', regionId: regions.Lakes }, 'input.regionId'],
        [{ scopeType: 'STORE', storeId: stores.Leeds, validUntil: past }, 'input.validUntil'],
        [{ scopeType: 'STORE', storeId: stores.Leeds, validFrom: later, validUntil: soon }, 'input.validUntil'],
      ];
      for (const [shape, field] of cases) expectBadInput(await as(CM, ASSIGN, { input: { ...base, ...shape } }), field);
      expect(await assignmentCount()).toBe(assignments0);
      expect(await roleChangeCount()).toBe(changes0);
    });

    it('an unknown user or role is NOT_FOUND', async () => {
      expectNotFound(await as(CM, ASSIGN, { input: { userId: '00000000-0000-4000-8000-000000000001', roleId: dobReader, scopeType: 'CHAIN' } }));
      expectNotFound(await as(CM, ASSIGN, { input: { userId: users[SCOPE_TESTER], roleId: '00000000-0000-4000-8000-000000000001', scopeType: 'CHAIN' } }));
      expectNotFound(await as(CM, REVOKE, { id: '00000000-0000-4000-8000-000000000001' }));
    });

    it('an assignment stops granting at validUntil by itself: the cached ability expires, nobody touches anything', async () => {
      const abilities = app.app.abilities!;
      expect((await dobSeenBy(RECEPTION, leedsCustomer)).codes).toEqual(['FORBIDDEN']);
      const until = Date.now() + 3000;
      const a = await assignAs(CM, { userId: users[RECEPTION], roleId: dobReader, scopeType: 'STORE', storeId: stores.Leeds, validUntil: new Date(until).toISOString() });
      expect(a.active).toBe(true);
      expect(new Date(a.validUntil!).getTime()).toBe(until);
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: leedsCustomerDob, codes: [] });
      // The ability is now cached (a second request is a hit, not a rebuild).
      const hits = abilities.hits;
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: leedsCustomerDob, codes: [] });
      expect(abilities.hits).toBe(hits + 1);

      const version = await authzVersion();
      const changes = await roleChangeCount();
      await sleep(until - Date.now() + 400);
      const misses = abilities.misses;
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      expect(abilities.misses).toBe(misses + 1);
      // Nobody touched anything: the row is still there, the chain's version and history unchanged.
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = $1', [a.id])).toBe(1);
      expect(await authzVersion()).toBe(version);
      expect(await roleChangeCount()).toBe(changes);
      const holders = expectOk(await as<{ role: { assignments: AssignmentAnswer[] } }>(CM, `query($id: ID!) { role(id: $id) { assignments { ${ASSIGNMENT_FIELDS} } } }`, { id: dobReader })).role.assignments;
      expect(holders.find((h) => h.id === a.id)?.active).toBe(false);
      await revokeAs(CM, a.id);
    });

    it('an assignment with validFrom in the future grants nothing until then, then grants by itself', async () => {
      const from = Date.now() + 3000;
      const a = await assignAs(CM, { userId: users[RECEPTION], roleId: dobReader, scopeType: 'STORE', storeId: stores.Leeds, validFrom: new Date(from).toISOString() });
      expect(a.active).toBe(false);
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      const version = await authzVersion();
      await sleep(from - Date.now() + 400);
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: leedsCustomerDob, codes: [] });
      expect(await authzVersion()).toBe(version);
      await revokeAs(CM, a.id);
      expect((await dobSeenBy(RECEPTION, leedsCustomer)).codes).toEqual(['FORBIDDEN']);
    });
  });

  // -------------------------------------------------------------------------------------------
  // 4. Freshness and caching
  // -------------------------------------------------------------------------------------------

  describe('freshness', () => {
    it('assignRole, updateRole and revokeAssignment apply to the user’s next request', async () => {
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      const a = await assignAs(CM, { userId: users[RECEPTION], roleId: roles['DOB reader'], scopeType: 'STORE', storeId: stores.Leeds });
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: leedsCustomerDob, codes: [] });

      // The role loses dateOfBirth and gains sex: both apply at once.
      expect(errorCodes(await as(RECEPTION, CUSTOMER_SEX, { id: leedsCustomer }))).toEqual(['FORBIDDEN']);
      await updateRoleAs(CM, roles['DOB reader'], { permissions: [{ action: 'read', subject: 'Customer', fields: ['sex'] }] });
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      const sex = await as<{ customer: { sex: string } }>(RECEPTION, CUSTOMER_SEX, { id: leedsCustomer });
      expect(sex.errors).toBeUndefined();
      expect(['FEMALE', 'MALE']).toContain(sex.data?.customer.sex);

      await updateRoleAs(CM, roles['DOB reader'], { permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'dateOfBirth'] }] });
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: leedsCustomerDob, codes: [] });
      await revokeAs(CM, a.id);
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
    });

    it('a change made through one API process applies on the next request to another (own DataSources and cache)', async () => {
      const core2 = createDataSource('core', app.appCoreUrl);
      const clinical2 = createDataSource('clinical', app.appClinicalUrl);
      await core2.initialize();
      await clinical2.initialize();
      let second: RunningApp | null = null;
      try {
        second = await startApp(app.config, core2, clinical2, { port: 0 });
        const url = second.url;
        const cache2 = second.abilities!;
        expect(cache2).not.toBe(app.app.abilities);

        // Instance 2 builds and caches the receptionist's ability.
        expect(await dobSeenBy(RECEPTION, leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
        const hits = cache2.hits;
        expect(await dobSeenBy(RECEPTION, leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
        expect(cache2.hits).toBe(hits + 1);

        // Change through instance 1, observe through instance 2.
        const a = await assignAs(CM, { userId: users[RECEPTION], roleId: roles['DOB reader'], scopeType: 'STORE', storeId: stores.Leeds });
        expect(await dobSeenBy(RECEPTION, leedsCustomer, url)).toEqual({ dob: leedsCustomerDob, codes: [] });
        await updateRoleAs(CM, roles['DOB reader'], { permissions: [{ action: 'read', subject: 'Customer', fields: ['sex'] }] });
        expect(await dobSeenBy(RECEPTION, leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
        await updateRoleAs(CM, roles['DOB reader'], { permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'dateOfBirth'] }] });
        expect(await dobSeenBy(RECEPTION, leedsCustomer, url)).toEqual({ dob: leedsCustomerDob, codes: [] });
        await revokeAs(CM, a.id);
        expect(await dobSeenBy(RECEPTION, leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });

        // And the other way round: a change through instance 2 applies on instance 1.
        const viaSecond = await graphql<{ assignRole: AssignmentAnswer }>(url, ASSIGN, {
          input: { userId: users[RECEPTION], roleId: roles['DOB reader'], scopeType: 'STORE', storeId: stores.Leeds },
        }, await tokenOf(CM));
        const b = expectOk(viaSecond).assignRole;
        expectedChanges.push({ action: 'ASSIGNMENT_CREATED', actorId: users[CM], roleId: roles['DOB reader'], assignmentId: b.id });
        expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: leedsCustomerDob, codes: [] });
        await revokeAs(CM, b.id);
        expect(await dobSeenBy(RECEPTION, leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      } finally {
        await second?.stop();
        await core2.destroy();
        await clinical2.destroy();
      }
    });

    it('an unchanged user’s ability is cached: repeated requests are hits, not rebuilds', async () => {
      const abilities = app.app.abilities!;
      await as(DPO, '{ roles { id } }');
      const [hits, misses] = [abilities.hits, abilities.misses];
      for (let i = 0; i < 5; i++) expectOk(await as<{ roles: { id: string }[] }>(DPO, '{ roles { id } }'));
      expect(abilities.hits).toBe(hits + 5);
      expect(abilities.misses).toBe(misses);
      // A role change invalidates it: the next request rebuilds once, then hits again.
      const role = await createRoleAs(CM, { name: 'Cache buster', permissions: [] });
      const [hits2, misses2] = [abilities.hits, abilities.misses];
      await as(DPO, '{ roles { id } }');
      await as(DPO, '{ roles { id } }');
      expect(abilities.misses).toBe(misses2 + 1);
      expect(abilities.hits).toBe(hits2 + 1);
      await deleteRoleAs(CM, role.id, false);
    });
  });

  // -------------------------------------------------------------------------------------------
  // 5. Matrix view and explain
  // -------------------------------------------------------------------------------------------

  describe('matrix view', () => {
    it('effectivePermissions lists what the receptionist may do at Leeds, each granted by the Receptionist assignment', async () => {
      const list = expectOk(await as<{ effectivePermissions: EffectiveAnswer[] }>(CM, EFFECTIVE, { u: users[RECEPTION], s: stores.Leeds })).effectivePermissions;
      const find = (action: string, subject: string, field: string | null) => list.find((p) => p.action === action && p.subject === subject && p.field === field);
      const firstName = find('read', 'Customer', 'firstName');
      expect(firstName).toBeDefined();
      expect(firstName!.grantedBy).toHaveLength(1);
      expect(firstName!.grantedBy[0]).toEqual({ id: receptionAssignment, scopeType: 'STORE', storeId: stores.Leeds, role: { name: 'Receptionist' }, user: { email: RECEPTION } });
      expect(find('update', 'Customer', 'phone')).toBeDefined();
      expect(find('read', 'Store', 'name')).toBeDefined();
      expect(find('read', 'Customer', 'dateOfBirth')).toBeUndefined();
      expect(find('update', 'Customer', 'firstName')).toBeUndefined();
      expect(list.filter((p) => p.subject === 'Examination' || p.subject === 'ClinicalNote')).toEqual([]);
      for (const p of list) expect(p.grantedBy.map((g) => g.id)).toEqual([receptionAssignment]);
      // Exactly the Receptionist role's entries, field by field.
      const readable = list.filter((p) => p.action === 'read' && p.subject === 'Customer').map((p) => p.field).sort();
      expect(readable).toEqual(['addressLine1', 'addressLine2', 'city', 'country', 'email', 'firstName', 'homeStore', 'homeStoreId', 'id', 'lastName', 'phone', 'postcode', 'status']);
    });

    it('effectivePermissions lists nothing for the receptionist at York; the locum’s Bath and York roles differ', async () => {
      const york = expectOk(await as<{ effectivePermissions: EffectiveAnswer[] }>(CM, EFFECTIVE, { u: users[RECEPTION], s: stores.York })).effectivePermissions;
      expect(york.filter((p) => p.subject === 'Customer')).toEqual([]);
      expect(york).toEqual([]);

      const locumYork = expectOk(await as<{ effectivePermissions: EffectiveAnswer[] }>(CM, EFFECTIVE, { u: users[LOCUM], s: stores.York })).effectivePermissions;
      const locumBath = expectOk(await as<{ effectivePermissions: EffectiveAnswer[] }>(CM, EFFECTIVE, { u: users[LOCUM], s: stores.Bath })).effectivePermissions;
      expect(locumYork.some((p) => p.subject === 'Examination' && p.action === 'sign')).toBe(true);
      expect(locumYork.find((p) => p.subject === 'Customer' && p.field === 'dateOfBirth')?.grantedBy[0].role.name).toBe('Optometrist');
      expect(locumBath.some((p) => p.subject === 'Examination')).toBe(false);
      expect(locumBath.find((p) => p.subject === 'Customer' && p.field === 'firstName')?.grantedBy[0].id).toBe(locumBathAssignment);
    });

    it('role(id) { assignments } lists every holder and where', async () => {
      const role = expectOk(await as<{ role: { name: string; assignments: { id: string; user: { email: string }; scopeType: string; storeId: string }[] } }>(
        CM, ROLE_HOLDERS, { id: roles.Receptionist })).role;
      expect(role.name).toBe('Receptionist');
      expect(role.assignments.map((a) => ({ email: a.user.email, scopeType: a.scopeType, storeId: a.storeId })).sort((a, b) => a.email.localeCompare(b.email))).toEqual([
        { email: RECEPTION, scopeType: 'STORE', storeId: stores.Leeds },
        { email: LOCUM, scopeType: 'STORE', storeId: stores.Bath },
      ]);
      const regional = expectOk(await as<{ role: { assignments: { user: { email: string }; scopeType: string; regionId: string }[] } }>(
        DPO, ROLE_HOLDERS, { id: roles['Regional manager'] })).role;
      expect(regional.assignments).toEqual([expect.objectContaining({ user: { email: NORTH }, scopeType: 'REGION', regionId: regions.North })]);
    });

    it('explain: granted names the role, the assignment and the entry', async () => {
      const result = expectOk(await as<{ explain: ExplainAnswer }>(CM, EXPLAIN, { u: users[RECEPTION], s: stores.Leeds, a: 'read', sub: 'Customer', f: 'firstName' })).explain;
      expect(result.granted).toBe(true);
      expect(result.reason).toMatch(/Receptionist/);
      expect(result.reason).toMatch(/read Customer/);
      expect(result.reason).toMatch(/firstName/);
      expect(result.assignment).toEqual({ id: receptionAssignment, scopeType: 'STORE', storeId: stores.Leeds, role: { name: 'Receptionist' } });
      expect(result.entry?.action).toBe('read');
      expect(result.entry?.subject).toBe('Customer');
      expect(result.entry?.fields).toEqual(expect.arrayContaining(['firstName', 'lastName']));
      expect(result.entry?.fields).not.toContain('dateOfBirth');

      const action = expectOk(await as<{ explain: ExplainAnswer }>(DPO, EXPLAIN, { u: users[RECEPTION], s: stores.Leeds, a: 'create', sub: 'Appointment' })).explain;
      expect(action.granted).toBe(true);
      expect(action.assignment?.id).toBe(receptionAssignment);
    });

    it('explain: denied says that no role allows it', async () => {
      const dob = expectOk(await as<{ explain: ExplainAnswer }>(CM, EXPLAIN, { u: users[RECEPTION], s: stores.Leeds, a: 'read', sub: 'Customer', f: 'dateOfBirth' })).explain;
      expect(dob.granted).toBe(false);
      expect(dob.reason).toMatch(/no role/i);
      expect(dob.reason).toMatch(/dateOfBirth/);
      expect(dob.assignment).toBeNull();
      expect(dob.entry).toBeNull();
      const york = expectOk(await as<{ explain: ExplainAnswer }>(CM, EXPLAIN, { u: users[RECEPTION], s: stores.York, a: 'read', sub: 'Customer', f: 'firstName' })).explain;
      expect(york.granted).toBe(false);
      expect(york.reason).toMatch(/no role/i);
      expect(york.reason).toMatch(/York/);
    });

    it('explain refuses unknown subjects, actions and fields (BAD_USER_INPUT); other users and stores are NOT_FOUND', async () => {
      const base = { u: users[RECEPTION], s: stores.Leeds };
      expectBadInput(await as(CM, EXPLAIN, { ...base, a: 'read', sub: 'Spaceship' }), 'subject');
      expectBadInput(await as(CM, EXPLAIN, { ...base, a: 'sign', sub: 'Customer' }), 'action');
      expectBadInput(await as(CM, EXPLAIN, { ...base, a: 'read', sub: 'Customer', f: 'shoeSize' }), 'field');
      expectNotFound(await as(CM, EXPLAIN, { u: users[LAKESIDE], s: stores.Leeds, a: 'read', sub: 'Customer' }));
      expectNotFound(await as(CM, EXPLAIN, { u: users[RECEPTION], s: stores.Keswick, a: 'read', sub: 'Customer' }));
      expectNotFound(await as(CM, EFFECTIVE, { u: users[LAKESIDE], s: stores.Leeds }));
      expectNotFound(await as(CM, EFFECTIVE, { u: users[RECEPTION], s: stores.Keswick }));
    });
  });

  // -------------------------------------------------------------------------------------------
  // 6. Dry run
  // -------------------------------------------------------------------------------------------

  describe('previewRoleChange', () => {
    it('lists who gains what where, and saves nothing', async () => {
      const current = expectOk(await as<{ role: RoleAnswer }>(CM, ROLE, { id: roles.Receptionist })).role.permissions;
      const entries0 = await entriesInSql(roles.Receptionist);
      const [changes0, version0] = [await roleChangeCount(), await authzVersion()];
      const proposed = [...current.map((e) => ({ action: e.action, subject: e.subject, fields: e.fields })), { action: 'read', subject: 'Customer', fields: ['dateOfBirth'] }];

      const preview = expectOk(await as<{ previewRoleChange: PreviewAnswer[] }>(CM, PREVIEW, { id: roles.Receptionist, input: { permissions: proposed } })).previewRoleChange;
      const summary = preview.map((p) => `${p.change} ${p.user.email} ${p.store.name} ${p.action} ${p.subject}.${p.field}`).sort();
      expect(summary).toEqual([
        `GAINED ${RECEPTION} Leeds read Customer.dateOfBirth`,
        `GAINED ${LOCUM} Bath read Customer.dateOfBirth`,
      ].sort());

      // Nothing saved: entries, history and version as they were; the receptionist still cannot read it.
      expect(await entriesInSql(roles.Receptionist)).toEqual(entries0);
      expect(await roleChangeCount()).toBe(changes0);
      expect(await authzVersion()).toBe(version0);
      expect(await dobSeenBy(RECEPTION, leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
    });

    it('lists losses too, for every holder at every store they cover', async () => {
      const current = expectOk(await as<{ role: RoleAnswer }>(CM, ROLE, { id: roles.Receptionist })).role.permissions;
      const withoutStore = current.filter((e) => e.subject !== 'Store').map((e) => ({ action: e.action, subject: e.subject, fields: e.fields }));
      const preview = expectOk(await as<{ previewRoleChange: PreviewAnswer[] }>(CM, PREVIEW, { id: roles.Receptionist, input: { permissions: withoutStore } })).previewRoleChange;
      expect(preview.every((p) => p.change === 'LOST' && p.subject === 'Store' && p.action === 'read')).toBe(true);
      const where = new Set(preview.map((p) => `${p.user.email}@${p.store.name}`));
      expect([...where].sort()).toEqual([`${LOCUM}@Bath`, `${RECEPTION}@Leeds`].sort());
      expect(preview.filter((p) => p.user.email === RECEPTION).map((p) => p.field).sort()).toEqual(['city', 'id', 'name', 'phone', 'regionId']);
      // An unknown entry in the proposal is refused as in updateRole.
      expectBadInput(await as(CM, PREVIEW, { id: roles.Receptionist, input: { permissions: [{ action: 'read', subject: 'Spaceship' }] } }), 'input.permissions[0].subject');
    });
  });

  // -------------------------------------------------------------------------------------------
  // 7a. No privilege escalation
  // -------------------------------------------------------------------------------------------

  describe('no privilege escalation', () => {
    let roleAdmin: string;
    let nameReader: string;
    let storeAdminAssignment: string;
    let chainAdminAssignment: string;
    const ADMIN_ENTRIES = [
      { action: 'manage', subject: 'Role' },
      { action: 'manage', subject: 'RoleAssignment' },
      { action: 'read', subject: 'Customer', fields: ['firstName', 'lastName'] },
    ];

    beforeAll(async () => {
      roleAdmin = (await createRoleAs(CM, { name: 'Role admin', permissions: ADMIN_ENTRIES })).id;
      nameReader = (await createRoleAs(CM, { name: 'Name reader', permissions: [{ action: 'read', subject: 'Customer', fields: ['firstName'] }] })).id;
      storeAdminAssignment = (await assignAs(CM, { userId: users[STORE_ADMIN], roleId: roleAdmin, scopeType: 'STORE', storeId: stores.Leeds })).id;
    });

    it('a store-level role admin cannot assign a role whose permissions they lack (FORBIDDEN, nothing added)', async () => {
      const [assignments0, changes0] = [await assignmentCount(), await roleChangeCount()];
      const refused = await as<{ assignRole: AssignmentAnswer | null }>(STORE_ADMIN, ASSIGN, { input: { userId: users[RECEPTION], roleId: roles.Optometrist, scopeType: 'STORE', storeId: stores.Leeds } });
      expectForbidden(refused, ESCALATION);
      expect(refused.data?.assignRole ?? null).toBeNull();
      // Nor the Chain manager role to themselves, nor anything at York or chain-wide.
      expectForbidden(await as(STORE_ADMIN, ASSIGN, { input: { userId: users[STORE_ADMIN], roleId: roles['Chain manager'], scopeType: 'STORE', storeId: stores.Leeds } }), ESCALATION);
      expectForbidden(await as(STORE_ADMIN, ASSIGN, { input: { userId: users[SCOPE_TESTER], roleId: nameReader, scopeType: 'STORE', storeId: stores.York } }));
      expectForbidden(await as(STORE_ADMIN, ASSIGN, { input: { userId: users[SCOPE_TESTER], roleId: nameReader, scopeType: 'CHAIN' } }));
      expect(await assignmentCount()).toBe(assignments0);
      expect(await roleChangeCount()).toBe(changes0);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE user_id = $1', [users[RECEPTION]])).toBe(1);
    });

    it('… but can assign, at their store, a role they hold entirely (so it is the escalation guard that refuses)', async () => {
      const a = await assignAs(STORE_ADMIN, { userId: users[SCOPE_TESTER], roleId: nameReader, scopeType: 'STORE', storeId: stores.Leeds });
      const [row] = await app.core.query('SELECT created_by_id AS "createdById" FROM role_assignment WHERE id = $1', [a.id]);
      expect(row.createdById).toBe(users[STORE_ADMIN]);
      const seen = expectOk(await as<{ customer: { firstName: string } }>(SCOPE_TESTER, 'query($id: ID!) { customer(id: $id) { firstName } }', { id: leedsCustomer })).customer;
      expect(seen.firstName).toBeTruthy();
      await revokeAs(STORE_ADMIN, a.id);
    });

    it('a store-level role admin’s matrix views stay inside what they may read (no role, user or store outside Leeds)', async () => {
      // In scope: the receptionist at Leeds, granted by an assignment at Leeds they may read.
      const leeds = expectOk(await as<{ effectivePermissions: { subject: string; action: string; field: string | null; grantedBy: { id: string }[] }[] }>(
        STORE_ADMIN, 'query($u: ID!, $s: ID!) { effectivePermissions(userId: $u, storeId: $s) { subject action field grantedBy { id } } }', { u: users[RECEPTION], s: stores.Leeds })).effectivePermissions;
      expect(leeds.find((p) => p.subject === 'Customer' && p.field === 'firstName')?.grantedBy).toEqual([{ id: receptionAssignment }]);
      // Out of scope: York, and the Optometrist role, which role(id) hides from them.
      expectNotFound(await as(STORE_ADMIN, ROLE, { id: roles.Optometrist }));
      const preview = await as<{ previewRoleChange: PreviewAnswer[] }>(STORE_ADMIN, PREVIEW, { id: roles.Optometrist, input: { permissions: [] } });
      const effective = await as<{ effectivePermissions: EffectiveAnswer[] }>(STORE_ADMIN, EFFECTIVE, { u: users[LOCUM], s: stores.York });
      const explained = await as<{ explain: ExplainAnswer | null }>(STORE_ADMIN, EXPLAIN, { u: users[LOCUM], s: stores.York, a: 'read', sub: 'ClinicalNote', f: 'plan' });
      const refused = (result: GraphQLResult<unknown>, disclosed: unknown) =>
        ['NOT_FOUND', 'FORBIDDEN'].includes(errorCodes(result)[0]) && !disclosed;
      expect({
        previewRoleChange: refused(preview, preview.data?.previewRoleChange?.length),
        effectivePermissions: refused(effective, effective.data?.effectivePermissions?.length),
        explain: refused(explained, explained.data?.explain?.reason),
      }).toEqual({ previewRoleChange: true, effectivePermissions: true, explain: true });
    });

    it('a store-level role admin cannot change chain-level Role rows (FORBIDDEN)', async () => {
      const entries0 = await entriesInSql(nameReader);
      expectForbidden(await as(STORE_ADMIN, UPDATE_ROLE, { id: nameReader, input: { permissions: [{ action: 'read', subject: 'Customer' }] } }));
      expect(await entriesInSql(nameReader)).toEqual(entries0);
    });

    it('a chain-level role admin cannot add to a role held at Leeds an entry they do not hold (FORBIDDEN, unchanged)', async () => {
      chainAdminAssignment = (await assignAs(CM, { userId: users[CHAIN_ADMIN], roleId: roleAdmin, scopeType: 'CHAIN' })).id;
      const held = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: nameReader, scopeType: 'STORE', storeId: stores.Leeds });
      const [entries0, receptionist0, changes0] = [await entriesInSql(nameReader), await entriesInSql(roles.Receptionist), await roleChangeCount()];

      const addDob = [{ action: 'read', subject: 'Customer', fields: ['firstName'] }, { action: 'read', subject: 'Customer', fields: ['dateOfBirth'] }];
      expectForbidden(await as(CHAIN_ADMIN, UPDATE_ROLE, { id: nameReader, input: { permissions: addDob } }), ESCALATION);
      expectForbidden(await as(CHAIN_ADMIN, UPDATE_ROLE, { id: nameReader, input: { permissions: [{ action: 'read', subject: 'Customer' }] } }), ESCALATION);
      const receptionistPlus = [...receptionist0, { action: 'read', subject: 'Customer', fields: ['dateOfBirth'] }];
      expectForbidden(await as(CHAIN_ADMIN, UPDATE_ROLE, { id: roles.Receptionist, input: { permissions: receptionistPlus } }), ESCALATION);
      // Nor may they widen their own role.
      expectForbidden(await as(CHAIN_ADMIN, UPDATE_ROLE, { id: roleAdmin, input: { permissions: [...ADMIN_ENTRIES, { action: 'read', subject: 'Examination' }] } }), ESCALATION);
      // Nor assign the Optometrist role at Leeds, nor a role they created with entries they lack.
      expectForbidden(await as(CHAIN_ADMIN, ASSIGN, { input: { userId: users[RECEPTION], roleId: roles.Optometrist, scopeType: 'STORE', storeId: stores.Leeds } }), ESCALATION);
      const sneaky = await createRoleAs(CHAIN_ADMIN, { name: 'Sneaky', permissions: [{ action: 'read', subject: 'ClinicalNote' }] });
      expectForbidden(await as(CHAIN_ADMIN, ASSIGN, { input: { userId: users[CHAIN_ADMIN], roleId: sneaky.id, scopeType: 'STORE', storeId: stores.Leeds } }), ESCALATION);

      expect(await entriesInSql(nameReader)).toEqual(entries0);
      expect(await entriesInSql(roles.Receptionist)).toEqual(receptionist0);
      expect(await roleChangeCount()).toBe(changes0 + 1); // only the creation of "Sneaky"

      // What they hold themselves they may add: the guard checks the entries, not the caller's rank.
      const widened = await updateRoleAs(CHAIN_ADMIN, nameReader, { permissions: [{ action: 'read', subject: 'Customer', fields: ['firstName', 'lastName'] }] });
      expect(widened.permissions).toEqual([{ action: 'read', subject: 'Customer', fields: ['firstName', 'lastName'] }]);
      await deleteRoleAs(CHAIN_ADMIN, sneaky.id, false);
      await revokeAs(CM, held.id);
    });

    afterAll(async () => {
      // Leave the chain with a single chain-level role manager again (the lock-out tests rely on it).
      await revokeAs(CM, chainAdminAssignment);
      await revokeAs(CM, storeAdminAssignment);
    });
  });

  // -------------------------------------------------------------------------------------------
  // 7b. No lock-out
  // -------------------------------------------------------------------------------------------

  describe('no lock-out', () => {
    it('the chain manager cannot revoke the only chain-level Chain manager assignment', async () => {
      const [assignments0, changes0, version0] = [await assignmentCount(), await roleChangeCount(), await authzVersion()];
      expectForbidden(await as(CM, REVOKE, { id: cmAssignment }), LOCK_OUT);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = $1', [cmAssignment])).toBe(1);
      expect(await assignmentCount()).toBe(assignments0);
      expect(await roleChangeCount()).toBe(changes0);
      expect(await authzVersion()).toBe(version0);
      expectOk(await as(CM, ROLES));
    });

    it('nor delete the Chain manager role, nor remove manage Role from it', async () => {
      const entries0 = await entriesInSql(roles['Chain manager']);
      const changes0 = await roleChangeCount();
      expectForbidden(await as(CM, DELETE_ROLE, { id: roles['Chain manager'], remove: true }), LOCK_OUT);
      // (Entries the catalog accepts: see the round-trip test above for the seeded "manage X" ones.)
      const others = [{ action: 'manage', subject: 'RoleAssignment' }, { action: 'manage', subject: 'User' }, { action: 'read', subject: 'Customer' }];
      expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: others } }), LOCK_OUT);
      expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [...others, { action: 'read', subject: 'Role' }] } }), LOCK_OUT);
      expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [...others, { action: 'manage', subject: 'Role', fields: ['name'] }] } }), LOCK_OUT);
      expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [] } }), LOCK_OUT);
      expect(await entriesInSql(roles['Chain manager'])).toEqual(entries0);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = $1', [cmAssignment])).toBe(1);
      expect(await roleChangeCount()).toBe(changes0);
      expectOk(await as(CM, ROLES));
    });

    it('a time-limited chain-level Chain manager assignment does not count as a successor', async () => {
      const temp = await assignAs(CM, { userId: users[NORTH], roleId: roles['Chain manager'], scopeType: 'CHAIN', validUntil: new Date(Date.now() + 3600_000).toISOString() });
      expectForbidden(await as(CM, REVOKE, { id: cmAssignment }), LOCK_OUT);
      await revokeAs(CM, temp.id);
    });

    it('removing manage RoleAssignment from the only role-manager role is refused (else nobody could assign roles again)', async () => {
      const entries0 = await entriesInSql(roles['Chain manager']);
      const changes0 = await roleChangeCount();
      const result = await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [{ action: 'manage', subject: 'Role' }, { action: 'manage', subject: 'User' }] } });
      const saved = await entriesInSql(roles['Chain manager']);
      if (!result.errors) {
        // The chain can no longer assign or revoke roles, and the escalation guard stops anyone from
        // adding the entry back: restore the demo matrix by hand before failing.
        expectedChanges.push({ action: 'ROLE_UPDATED', actorId: users[CM], roleId: roles['Chain manager'], assignmentId: null });
        expectForbidden(await as(CM, ASSIGN, { input: { userId: users[NORTH], roleId: roles['Chain manager'], scopeType: 'CHAIN' } }));
        expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [{ action: 'manage', subject: 'Role' }, { action: 'manage', subject: 'RoleAssignment' }] } }));
        await app.core.query('DELETE FROM role_permission WHERE role_id = $1', [roles['Chain manager']]);
        for (const e of entries0) {
          await app.core.query('INSERT INTO role_permission (role_id, action, subject, fields) VALUES ($1, $2, $3, $4)', [roles['Chain manager'], e.action, e.subject, e.fields]);
        }
        await app.core.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = $1', [chainId]);
      }
      expectForbidden(result, LOCK_OUT);
      expect(saved).toEqual(entries0);
      expect(await roleChangeCount()).toBe(changes0);
    });

    it('a chain-level holder of only "update Role" is no successor: revoking the last Chain manager is still refused', async () => {
      const editor = await createRoleAs(CM, { name: 'Role editor', permissions: [{ action: 'update', subject: 'Role' }] });
      const a = await assignAs(CM, { userId: users[NORTH], roleId: editor.id, scopeType: 'CHAIN' });
      const result = await as(CM, REVOKE, { id: cmAssignment });
      if (!result.errors) {
        // The chain is now locked out of role management: the "successor" can neither see roles nor
        // assign one. Restore the Chain manager by hand before failing.
        expectForbidden(await as(NORTH, ROLES));
        expectForbidden(await as(NORTH, ASSIGN, { input: { userId: users[CM], roleId: roles['Chain manager'], scopeType: 'CHAIN' } }));
        expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: users[CM], roleId: roles['Chain manager'], assignmentId: cmAssignment });
        [{ id: cmAssignment }] = await app.core.query(
          `INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type) VALUES ($1, $2, $3, 'CHAIN') RETURNING id`,
          [chainId, users[CM], roles['Chain manager']],
        );
        await app.core.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = $1', [chainId]);
      }
      await revokeAs(CM, a.id);
      await deleteRoleAs(CM, editor.id, false);
      expectForbidden(result, LOCK_OUT);
    });

    it('after giving another user the Chain manager role chain-wide, the revocation works', async () => {
      const successor = await assignAs(CM, { userId: users[NORTH], roleId: roles['Chain manager'], scopeType: 'CHAIN' });
      await revokeAs(CM, cmAssignment);
      // The former chain manager loses role management on their next request; the successor has it.
      expectForbidden(await as(CM, ROLES));
      expectOk(await as(NORTH, ROLES));
      // The successor cannot now revoke their own (the only) assignment either…
      expectForbidden(await as(NORTH, REVOKE, { id: successor.id }), LOCK_OUT);
      // …but can give the role back, after which the demo matrix is as before.
      cmAssignment = (await assignAs(NORTH, { userId: users[CM], roleId: roles['Chain manager'], scopeType: 'CHAIN' })).id;
      expectOk(await as(CM, ROLES));
      await revokeAs(CM, successor.id);
      expectForbidden(await as(NORTH, ROLES));
    });

    it('two concurrent revocations cannot remove both of the last two chain managers', async () => {
      const successor = await assignAs(CM, { userId: users[NORTH], roleId: roles['Chain manager'], scopeType: 'CHAIN' });
      await tokenOf(NORTH);
      // Hold the chain row so both requests are in flight before either commits (as under load).
      const blocker = app.core.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      let results: GraphQLResult<{ revokeAssignment: boolean }>[];
      try {
        await blocker.query('SELECT id FROM chain WHERE id = $1 FOR UPDATE', [chainId]);
        const pending = [
          as<{ revokeAssignment: boolean }>(CM, REVOKE, { id: successor.id }),
          as<{ revokeAssignment: boolean }>(NORTH, REVOKE, { id: cmAssignment }),
        ];
        const waiting = () => count(app.core, `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        for (let i = 0; i < 50 && (await waiting()) < 2; i++) await sleep(100);
        await blocker.commitTransaction();
        results = await Promise.all(pending);
      } finally {
        if (blocker.isTransactionActive) await blocker.rollbackTransaction();
        await blocker.release();
      }
      const [byCm, byNorth] = results.map((r) => !r.errors);
      if (byCm) expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: users[CM], roleId: roles['Chain manager'], assignmentId: successor.id });
      if (byNorth) expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: users[NORTH], roleId: roles['Chain manager'], assignmentId: cmAssignment });
      const remaining = await count(app.core,
        `SELECT count(*) AS n FROM role_assignment WHERE chain_id = $1 AND role_id = $2 AND scope_type = 'CHAIN' AND valid_until IS NULL`,
        [chainId, roles['Chain manager']]);

      // Put the demo matrix back (CM holds Chain manager, NORTH does not), whatever happened.
      if (remaining === 0) {
        [{ id: cmAssignment }] = await app.core.query(
          `INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type) VALUES ($1, $2, $3, 'CHAIN') RETURNING id`,
          [chainId, users[CM], roles['Chain manager']],
        );
        await app.core.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = $1', [chainId]);
      } else if (byNorth) {
        cmAssignment = (await assignAs(NORTH, { userId: users[CM], roleId: roles['Chain manager'], scopeType: 'CHAIN' })).id;
        await revokeAs(CM, successor.id);
      } else if (!byCm) {
        await revokeAs(CM, successor.id);
      }

      expect(remaining).toBe(1);
      expect([byCm, byNorth].filter(Boolean)).toHaveLength(1);
      expect(results.flatMap((r) => errorCodes(r))).toEqual(['FORBIDDEN']);
    });
  });

  // -------------------------------------------------------------------------------------------
  // 7c. Other chains
  // -------------------------------------------------------------------------------------------

  describe('cross-chain', () => {
    it('the Lakeside manager sees none of Clearview’s roles, users or history', async () => {
      const lakeRoles = expectOk(await as<{ roles: RoleAnswer[] }>(LAKESIDE, ROLES)).roles;
      expect(lakeRoles.map((r) => r.name)).toEqual(['Chain manager']);
      expect(lakeRoles.map((r) => r.id)).not.toContain(roles['Chain manager']);
      const clearviewRoleIds = new Set(Object.values(roles));
      expect(lakeRoles.some((r) => clearviewRoleIds.has(r.id))).toBe(false);
      const lakeUsers = expectOk(await as<{ users: { email: string }[] }>(LAKESIDE, '{ users { email } }')).users;
      expect(lakeUsers.map((u) => u.email)).toEqual([LAKESIDE]);
      const history = expectOk(await as<{ roleChanges: ChangeAnswer[] }>(LAKESIDE, ROLE_CHANGES, { first: 500 })).roleChanges;
      expect(history).toEqual([]);
    });

    it('Clearview roles, users and assignments are NOT_FOUND to Lakeside, and nothing changes', async () => {
      const [assignments0, changes0] = [await assignmentCount(), await roleChangeCount()];
      const entries0 = await entriesInSql(roles.Receptionist);
      const [{ id: lakeRole }]: { id: string }[] = await app.core.query(`SELECT r.id FROM role r JOIN chain c ON c.id = r.chain_id WHERE c.name = 'Lakeside Eyecare'`);
      expectNotFound(await as(LAKESIDE, ROLE, { id: roles.Receptionist }));
      expectNotFound(await as(LAKESIDE, ROLE_HOLDERS, { id: roles['Chain manager'] }));
      expectNotFound(await as(LAKESIDE, ASSIGN, { input: { userId: users[RECEPTION], roleId: lakeRole, scopeType: 'CHAIN' } }));
      expectNotFound(await as(LAKESIDE, ASSIGN, { input: { userId: users[LAKESIDE], roleId: roles.Receptionist, scopeType: 'CHAIN' } }));
      expectNotFound(await as(LAKESIDE, UPDATE_ROLE, { id: roles.Receptionist, input: { name: 'Hijacked' } }));
      expectNotFound(await as(LAKESIDE, DELETE_ROLE, { id: roles.Receptionist, remove: true }));
      expectNotFound(await as(LAKESIDE, REVOKE, { id: receptionAssignment }));
      expectNotFound(await as(LAKESIDE, PREVIEW, { id: roles.Receptionist, input: { permissions: [] } }));
      expectNotFound(await as(LAKESIDE, EFFECTIVE, { u: users[RECEPTION], s: stores.Leeds }));
      expectNotFound(await as(LAKESIDE, EXPLAIN, { u: users[RECEPTION], s: stores.Leeds, a: 'read', sub: 'Customer' }));
      // And the other way round.
      expectNotFound(await as(CM, ASSIGN, { input: { userId: users[LAKESIDE], roleId: roles.Receptionist, scopeType: 'CHAIN' } }));
      expectNotFound(await as(CM, ROLE, { id: lakeRole }));

      expect(await assignmentCount()).toBe(assignments0);
      expect(await roleChangeCount()).toBe(changes0);
      expect(await entriesInSql(roles.Receptionist)).toEqual(entries0);
      expect((await app.core.query('SELECT name FROM role WHERE id = $1', [roles.Receptionist]))[0].name).toBe('Receptionist');
    });
  });

  // -------------------------------------------------------------------------------------------
  // 7d. Audit
  // -------------------------------------------------------------------------------------------

  describe('role change history', () => {
    it('records create, update, assign, revoke and delete with actor, before and after', async () => {
      const role = await createRoleAs(CM, { name: 'Audited', description: 'v1', permissions: [{ action: 'read', subject: 'Store' }] });
      await updateRoleAs(CM, role.id, { name: 'Audited too', permissions: [{ action: 'read', subject: 'Store', fields: ['name'] }] });
      const a = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: role.id, scopeType: 'REGION', regionId: regions.South });
      await revokeAs(CM, a.id);
      await deleteRoleAs(CM, role.id, false);

      const history = expectOk(await as<{ roleChanges: ChangeAnswer[] }>(DPO, ROLE_CHANGES, { roleId: role.id })).roleChanges;
      expect(history.map((c) => c.action)).toEqual(['ROLE_DELETED', 'ASSIGNMENT_REVOKED', 'ASSIGNMENT_CREATED', 'ROLE_UPDATED', 'ROLE_CREATED']);
      for (const change of history) {
        expect(change.actorId).toBe(users[CM]);
        expect(change.roleId).toBe(role.id);
        expect(Date.now() - new Date(change.occurredAt).getTime()).toBeLessThan(60_000);
      }
      const [deleted, revoked, assigned, updated, created] = history;
      expect(created.before).toBeNull();
      expect(created.after).toEqual({ name: 'Audited', description: 'v1', permissions: [{ action: 'read', subject: 'Store', fields: null }] });
      expect(updated.before).toEqual(created.after);
      expect(updated.after).toEqual({ name: 'Audited too', description: 'v1', permissions: [{ action: 'read', subject: 'Store', fields: ['name'] }] });
      expect(assigned.assignmentId).toBe(a.id);
      expect(assigned.before).toBeNull();
      expect(assigned.after).toMatchObject({ userId: users[SCOPE_TESTER], roleId: role.id, scopeType: 'REGION', regionId: regions.South, storeId: null, validFrom: null, validUntil: null });
      expect(revoked.assignmentId).toBe(a.id);
      expect(revoked.before).toEqual(assigned.after);
      expect(revoked.after).toBeNull();
      expect(deleted.before).toEqual(updated.after);
      expect(deleted.after).toBeNull();
    });

    it('every change this suite made through the API is in the history, with its actor', async () => {
      const all = expectOk(await as<{ roleChanges: ChangeAnswer[] }>(CM, ROLE_CHANGES, { first: 500 })).roleChanges;
      expect(all.length).toBeLessThan(500);
      const ids = all.map((c) => Number(c.id));
      expect(ids).toEqual([...ids].sort((x, y) => y - x)); // newest first
      for (const expected of expectedChanges) {
        expect(all).toContainEqual(expect.objectContaining({ action: expected.action, actorId: expected.actorId, roleId: expected.roleId, assignmentId: expected.assignmentId }));
      }
      // Nothing else was recorded: refused changes left no trace.
      expect(all).toHaveLength(expectedChanges.length);
      expect(await roleChangeCount()).toBe(expectedChanges.length);
      const updates = all.filter((c) => c.action === 'ROLE_UPDATED' && c.before && c.after);
      expect(updates.length).toBeGreaterThan(5);
    });

    it('is readable by the DPO, FORBIDDEN to a store manager', async () => {
      expect(expectOk(await as<{ roleChanges: ChangeAnswer[] }>(DPO, ROLE_CHANGES, { first: 3 })).roleChanges).toHaveLength(3);
      expectForbidden(await as(LEEDS_MANAGER, ROLE_CHANGES, {}));
      expectBadInput(await as(DPO, ROLE_CHANGES, { first: 0 }), 'first');
    });

    it('is append-only in the database: UPDATE, DELETE and TRUNCATE are rejected', async () => {
      const n = await roleChangeCount();
      // The API's role has no privilege for them; the owner meets the trigger.
      for (const [db, refusal] of [[app.core, /permission denied/], [app.ownerCore, /append-only/]] as const) {
        await expect(db.query(`UPDATE role_change SET action = 'ROLE_CREATED'`)).rejects.toThrow(refusal);
        await expect(db.query('DELETE FROM role_change')).rejects.toThrow(refusal);
        await expect(db.query('TRUNCATE role_change')).rejects.toThrow(refusal);
      }
      expect(await roleChangeCount()).toBe(n);
    });
  });

  // -------------------------------------------------------------------------------------------
  // 8. Default deny of the new operations
  // -------------------------------------------------------------------------------------------

  describe('default deny', () => {
    it('a store manager without Role rights is FORBIDDEN every role-matrix operation, and nothing changes', async () => {
      const [roles0, assignments0, changes0] = [await count(app.core, 'SELECT count(*) AS n FROM role'), await assignmentCount(), await roleChangeCount()];
      const operations: [string, Record<string, unknown>][] = [
        [CATALOG, {}],
        [ROLES, {}],
        [ROLE, { id: roles.Receptionist }],
        [CREATE_ROLE, { input: { name: 'Mine', permissions: [] } }],
        [UPDATE_ROLE, { id: roles.Receptionist, input: { name: 'Mine' } }],
        [DELETE_ROLE, { id: roles.Receptionist, remove: true }],
        [ASSIGN, { input: { userId: users[RECEPTION], roleId: roles['Store manager'], scopeType: 'STORE', storeId: stores.Leeds } }],
        [REVOKE, { id: receptionAssignment }],
        [EFFECTIVE, { u: users[RECEPTION], s: stores.Leeds }],
        [EXPLAIN, { u: users[RECEPTION], s: stores.Leeds, a: 'read', sub: 'Customer' }],
        [PREVIEW, { id: roles.Receptionist, input: { permissions: [] } }],
        [ROLE_CHANGES, {}],
      ];
      for (const [query, variables] of operations) {
        const result = await as(LEEDS_MANAGER, query, variables);
        expect({ query, codes: errorCodes(result) }).toEqual({ query, codes: ['FORBIDDEN'] });
      }
      for (const [query, variables] of operations) {
        expect(errorCodes(await app.request(query, variables))).toEqual(['UNAUTHENTICATED']);
      }
      expect(await count(app.core, 'SELECT count(*) AS n FROM role')).toBe(roles0);
      expect(await assignmentCount()).toBe(assignments0);
      expect(await roleChangeCount()).toBe(changes0);
    });

    it('default deny reaches the new User.roleAssignments field: FORBIDDEN without RoleAssignment rights, siblings resolve', async () => {
      const me = await as<{ me: { email: string; roleAssignments: unknown } }>(RECEPTION, '{ me { email roleAssignments { id } } }');
      expect(me.data?.me.email).toBe(RECEPTION);
      expect(errorCodes(me)).toEqual(['FORBIDDEN']);
    });
  });
});
