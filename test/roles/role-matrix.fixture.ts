/**
 * The shared fixture of the role-matrix suites (test/roles/*.test.ts, split from one file by what they
 * cover): the GraphQL documents and answer shapes of the role matrix, the assertion helpers, and
 * `useRoleMatrix()`, which starts the suite's API, looks up the demo chain's stores, regions, roles,
 * users and seeded assignments, creates three staff without roles, and signs each user in once.
 * Changes made through the helpers (`createRoleAs`, `assignAs`, …) are remembered; when the file ends,
 * the role change history must hold exactly those (refused changes leave no trace).
 */
import { DataSource } from 'typeorm';
import { EMAIL } from '../support/actors';
import { errorCodes, graphql, GraphQLResult } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';

export const CM = EMAIL.chainManager;
export const NORTH = EMAIL.northManager;
export const LEEDS_MANAGER = EMAIL.leedsManager;
export const RECEPTION = EMAIL.leedsReception;
export const LOCUM = EMAIL.locum;
export const DPO = EMAIL.dpo;
export const LAKESIDE = EMAIL.lakesideManager;
/** Made by the fixture (SQL): staff without any role, to receive roles in the tests. */
export const SCOPE_TESTER = 'scope.tester@clearview.example';
export const STORE_ADMIN = 'store.admin@clearview.example';
export const CHAIN_ADMIN = 'chain.admin@clearview.example';

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

export const ROLE_FIELDS = 'id name description permissions { action subject fields }';
export const CATALOG = `{ permissionCatalog { name description actions clinical fieldGroups { name fields { name description } } } }`;
export const ROLES = `{ roles { ${ROLE_FIELDS} } }`;
export const ROLE = `query($id: ID!) { role(id: $id) { ${ROLE_FIELDS} } }`;
export const ROLE_HOLDERS = `query($id: ID!) { role(id: $id) { name assignments { id user { email } scopeType regionId storeId } } }`;
export const CREATE_ROLE = `mutation($input: CreateRoleInput!) { createRole(input: $input) { ${ROLE_FIELDS} } }`;
export const UPDATE_ROLE = `mutation($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { ${ROLE_FIELDS} } }`;
export const DELETE_ROLE = `mutation($id: ID!, $remove: Boolean) { deleteRole(id: $id, removeAssignments: $remove) }`;
export const ASSIGNMENT_FIELDS = 'id userId roleId scopeType regionId storeId validFrom validUntil active';
export const ASSIGN = `mutation($input: AssignRoleInput!) { assignRole(input: $input) { ${ASSIGNMENT_FIELDS} } }`;
export const REVOKE = `mutation($id: ID!) { revokeAssignment(id: $id) }`;
export const EFFECTIVE = `query($u: ID!, $s: ID!) {
  effectivePermissions(userId: $u, storeId: $s) { subject action field grantedBy { id scopeType storeId role { name } user { email } } }
}`;
export const EXPLAIN = `query($u: ID!, $s: ID!, $a: String!, $sub: String!, $f: String) {
  explain(userId: $u, storeId: $s, action: $a, subject: $sub, field: $f) {
    granted reason assignment { id scopeType storeId role { name } } entry { action subject fields }
  }
}`;
export const PREVIEW = `query($id: ID!, $input: UpdateRoleInput!) {
  previewRoleChange(id: $id, input: $input) { user { email } store { name } subject action field change }
}`;
export const ROLE_CHANGES = `query($roleId: ID, $first: Int) {
  roleChanges(roleId: $roleId, first: $first) { id occurredAt actorId action roleId assignmentId before after }
}`;
export const CUSTOMER_DOB = `query($id: ID!) { customer(id: $id) { id firstName dateOfBirth } }`;
export const CUSTOMER_SEX = `query($id: ID!) { customer(id: $id) { id sex } }`;

// ---------------------------------------------------------------------------------------------
// Shapes of answers
// ---------------------------------------------------------------------------------------------

export interface Entry { action: string; subject: string; fields: string[] | null }
export interface RoleAnswer { id: string; name: string; description: string; permissions: Entry[] }
export interface AssignmentAnswer {
  id: string; userId: string; roleId: string; scopeType: string; regionId: string | null; storeId: string | null;
  validFrom: string | null; validUntil: string | null; active: boolean;
}
export interface CatalogAnswer {
  name: string; description: string; actions: string[]; clinical: boolean;
  fieldGroups: { name: string; fields: { name: string; description: string }[] }[];
}
export interface EffectiveAnswer {
  subject: string; action: string; field: string | null;
  grantedBy: { id: string; scopeType: string; storeId: string | null; role: { name: string }; user: { email: string } }[];
}
export interface ExplainAnswer {
  granted: boolean; reason: string;
  assignment: { id: string; scopeType: string; storeId: string | null; role: { name: string } } | null;
  entry: Entry | null;
}
export interface PreviewAnswer { user: { email: string }; store: { name: string }; subject: string; action: string; field: string | null; change: string }
export interface ChangeAnswer {
  id: string; occurredAt: string; actorId: string; action: string; roleId: string | null; assignmentId: string | null;
  before: Record<string, unknown> | null; after: Record<string, unknown> | null;
}
export interface CustomerAnswer { id: string; firstName: string | null; dateOfBirth: string | null }

export interface EntryInput { action: string; subject: string; fields?: string[] | null }
export interface AssignInput {
  userId: string; roleId: string; scopeType: 'CHAIN' | 'REGION' | 'STORE';
  regionId?: string | null; storeId?: string | null; validFrom?: string | null; validUntil?: string | null;
}

/** A change to roles or assignments the suite made and expects to find in `roleChanges`. */
export interface ExpectedChange { action: string; actorId: string; roleId: string; assignmentId: string | null }

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: string | number }[] = await ds.query(sql, params);
  return Number(rows[0].n);
}

export function expectOk<T>(result: GraphQLResult<T>): T {
  expect(result.errors).toBeUndefined();
  expect(result.data).toBeTruthy();
  return result.data as T;
}

export function expectBadInput(result: GraphQLResult<unknown>, field?: string): void {
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  if (field !== undefined) expect(result.errors?.[0].extensions?.field).toBe(field);
}

export function expectForbidden(result: GraphQLResult<unknown>, message?: RegExp): void {
  expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  if (message) expect(result.errors?.[0].message).toMatch(message);
}

export function expectNotFound(result: GraphQLResult<unknown>): void {
  expect(errorCodes(result)).toEqual(['NOT_FOUND']);
}

export const sortEntries = (entries: Entry[]): Entry[] =>
  entries
    .map((e) => ({ action: e.action, subject: e.subject, fields: e.fields ? [...e.fields].sort() : null }))
    .sort((a, b) => `${a.subject}|${a.action}|${a.fields}`.localeCompare(`${b.subject}|${b.action}|${b.fields}`));

export const ESCALATION = /cannot grant/i;
export const LOCK_OUT = /without anyone able to manage roles/i;

/** The suite's state and helpers; scalars are filled in by the fixture's `beforeAll`. */
export interface RoleMatrix {
  app: TestApp;
  chainId: string;
  stores: Record<string, string>;
  regions: Record<string, string>;
  roles: Record<string, string>;
  users: Record<string, string>;
  /** A Leeds, a York and a Bristol customer (active). */
  leedsCustomer: string;
  leedsCustomerDob: string;
  yorkCustomer: string;
  bristolCustomer: string;
  /** Seeded assignments (`cmAssignment` changes when a test gives the role back). */
  receptionAssignment: string;
  locumBathAssignment: string;
  cmAssignment: string;
  expectedChanges: ExpectedChange[];
  tokenOf(email: string): Promise<string>;
  as<T>(email: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  roleChangeCount(): Promise<number>;
  assignmentCount(): Promise<number>;
  authzVersion(): Promise<string>;
  entriesInSql(roleId: string): Promise<Entry[]>;
  createRoleAs(email: string, input: { name: string; description?: string; permissions: EntryInput[] }): Promise<RoleAnswer>;
  updateRoleAs(email: string, id: string, input: { name?: string; description?: string; permissions?: EntryInput[] }): Promise<RoleAnswer>;
  assignAs(email: string, input: AssignInput): Promise<AssignmentAnswer>;
  revokeAs(email: string, id: string): Promise<void>;
  deleteRoleAs(email: string, id: string, remove: boolean): Promise<void>;
  /** A user's view of one customer's date of birth: the value, or the error codes. */
  dobSeenBy(email: string, customerId: string, url?: string): Promise<{ dob: string | null; codes: string[] }>;
}

/** Registers the suite's beforeAll/afterAll (call it at the top of the file's describe) and returns its state. */
export function useRoleMatrix(): RoleMatrix {
  const { tokenOf, as: request } = sessionsFor(() => m.app);
  const m: RoleMatrix = {
    app: undefined as unknown as TestApp, // set in beforeAll
    chainId: '',
    stores: {},
    regions: {},
    roles: {},
    users: {},
    leedsCustomer: '',
    leedsCustomerDob: '',
    yorkCustomer: '',
    bristolCustomer: '',
    receptionAssignment: '',
    locumBathAssignment: '',
    cmAssignment: '',
    expectedChanges: [],
    tokenOf,
    as: <T>(email: string, query: string, variables: Record<string, unknown> = {}) => request<T>(email, query, variables),
    roleChangeCount: () => count(m.app.core, 'SELECT count(*) AS n FROM role_change'),
    assignmentCount: () => count(m.app.core, 'SELECT count(*) AS n FROM role_assignment'),
    authzVersion: async () => String((await m.app.core.query('SELECT authz_version AS v FROM chain WHERE id = $1', [m.chainId]))[0].v),

    async entriesInSql(roleId) {
      const rows: Entry[] = await m.app.core.query('SELECT action, subject, fields FROM role_permission WHERE role_id = $1', [roleId]);
      return sortEntries(rows);
    },

    async createRoleAs(email, input) {
      const role = expectOk(await m.as<{ createRole: RoleAnswer }>(email, CREATE_ROLE, { input })).createRole;
      m.expectedChanges.push({ action: 'ROLE_CREATED', actorId: m.users[email], roleId: role.id, assignmentId: null });
      return role;
    },

    async updateRoleAs(email, id, input) {
      const role = expectOk(await m.as<{ updateRole: RoleAnswer }>(email, UPDATE_ROLE, { id, input })).updateRole;
      m.expectedChanges.push({ action: 'ROLE_UPDATED', actorId: m.users[email], roleId: id, assignmentId: null });
      return role;
    },

    async assignAs(email, input) {
      const assignment = expectOk(await m.as<{ assignRole: AssignmentAnswer }>(email, ASSIGN, { input })).assignRole;
      m.expectedChanges.push({ action: 'ASSIGNMENT_CREATED', actorId: m.users[email], roleId: input.roleId, assignmentId: assignment.id });
      return assignment;
    },

    async revokeAs(email, id) {
      const [{ roleId }]: { roleId: string }[] = await m.app.core.query('SELECT role_id AS "roleId" FROM role_assignment WHERE id = $1', [id]);
      expect(expectOk(await m.as<{ revokeAssignment: boolean }>(email, REVOKE, { id })).revokeAssignment).toBe(true);
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = $1', [id])).toBe(0);
      m.expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: m.users[email], roleId, assignmentId: id });
    },

    async deleteRoleAs(email, id, remove) {
      const held: { id: string }[] = await m.app.core.query('SELECT id FROM role_assignment WHERE role_id = $1', [id]);
      expect(expectOk(await m.as<{ deleteRole: boolean }>(email, DELETE_ROLE, { id, remove })).deleteRole).toBe(true);
      for (const a of held) m.expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: m.users[email], roleId: id, assignmentId: a.id });
      m.expectedChanges.push({ action: 'ROLE_DELETED', actorId: m.users[email], roleId: id, assignmentId: null });
    },

    async dobSeenBy(email, customerId, url) {
      const result = url
        ? await graphql<{ customer: CustomerAnswer | null }>(url, CUSTOMER_DOB, { id: customerId }, await tokenOf(email))
        : await m.as<{ customer: CustomerAnswer | null }>(email, CUSTOMER_DOB, { id: customerId });
      return { dob: result.data?.customer?.dateOfBirth ?? null, codes: errorCodes(result) };
    },
  };

  async function makeUser(email: string, name: string): Promise<string> {
    const [{ id }]: { id: string }[] = await m.app.core.query(
      `INSERT INTO staff_user (chain_id, email, name, profession, password_hash)
       SELECT chain_id, $1, $2, 'MANAGER', password_hash FROM staff_user WHERE email = $3 RETURNING id`,
      [email, name, CM],
    );
    return id;
  }

  beforeAll(async () => {
    const app = (m.app = await startTestApp());
    const { stores, regions, roles, users } = m;
    [{ id: m.chainId }] = await app.core.query(`SELECT id FROM chain WHERE name = 'Clearview Opticians'`);
    for (const row of (await app.core.query('SELECT id, name FROM store')) as { id: string; name: string }[]) stores[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, name FROM region')) as { id: string; name: string }[]) regions[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, name FROM role WHERE chain_id = $1', [m.chainId])) as { id: string; name: string }[]) roles[row.name] = row.id;
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
    ({ id: m.leedsCustomer, dob: m.leedsCustomerDob } = await customerAt('Leeds'));
    ({ id: m.yorkCustomer } = await customerAt('York'));
    ({ id: m.bristolCustomer } = await customerAt('Bristol'));

    const assignmentOf = async (email: string, role: string) => {
      const [row]: { id: string }[] = await app.core.query(
        'SELECT ra.id FROM role_assignment ra JOIN role r ON r.id = ra.role_id WHERE ra.user_id = $1 AND r.name = $2',
        [users[email], role],
      );
      return row.id;
    };
    m.receptionAssignment = await assignmentOf(RECEPTION, 'Receptionist');
    m.locumBathAssignment = await assignmentOf(LOCUM, 'Receptionist');
    m.cmAssignment = await assignmentOf(CM, 'Chain manager');
  });

  afterAll(async () => {
    if (!m.app) return;
    try {
      // Every change this file made through the API is in the history, and nothing else is.
      const recorded: ExpectedChange[] = await m.app.ownerCore.query(
        'SELECT action, actor_id AS "actorId", role_id AS "roleId", assignment_id AS "assignmentId" FROM role_change');
      for (const expected of m.expectedChanges) expect(recorded).toContainEqual(expected);
      expect(recorded).toHaveLength(m.expectedChanges.length);
    } finally {
      await m.app.stop();
    }
  });

  return m;
}
