/**
 * Issue 8, hole 3: time-limited rights must not become permanent. Nobody grants beyond what they hold, in
 * entries, scope *and time* (src/policies/escalation-guard.ts): an assignment given by someone lies within
 * the window of an assignment of theirs that gives them each right granted (validFrom not before its
 * validFrom, validUntil not after its validUntil; no end only from someone who holds the right with no end).
 * Through assignRole and through updateRole (adding entries to a role others hold), also for a holder of
 * two overlapping assignments (one must cover; windows are not glued), per field and per store, down a chain
 * of delegations, and when the caller revoked their own assignment earlier in the same request.
 */
import { DataSource } from 'typeorm';
import { windowContains } from '../../src/policies/escalation-guard';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';

const CM = EMAIL.chainManager;

const ASSIGN = 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id validFrom validUntil active } }';
const REVOKE = 'mutation($id: ID!) { revokeAssignment(id: $id) }';
const CREATE_ROLE = 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }';
const UPDATE_ROLE = 'mutation($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { id permissions { action subject fields } } }';

interface EntryInput { action: string; subject: string; fields?: string[] }
interface AssignInput {
  userId: string; roleId: string; scopeType: 'CHAIN' | 'REGION' | 'STORE';
  regionId?: string; storeId?: string; validFrom?: string | null; validUntil?: string | null;
}

const HOUR = 3600_000;
const MINUTE = 60_000;
const LIMITED = /only for a limited time/;
const NO_END = /without an end date/;
const NOT_ALLOWED_TO_ASSIGN = /Not allowed to create RoleAssignment/;

/** The role administration entries of the suite's "Role admin" role (as in test/roles/escalation.test.ts). */
const ADMIN_ENTRIES: EntryInput[] = [
  { action: 'manage', subject: 'Role' },
  { action: 'manage', subject: 'RoleAssignment' },
  { action: 'read', subject: 'Customer', fields: ['firstName', 'lastName'] },
];

async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: string | number }[] = await ds.query(sql, params);
  return Number(rows[0].n);
}

function expectForbidden(result: GraphQLResult<unknown>, message?: RegExp): void {
  expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  if (message) expect(result.errors?.[0].message).toMatch(message);
}

const at = (offsetMs: number, base = Date.now()) => new Date(base + offsetMs).toISOString();

describe('windowContains (the time rule on its own)', () => {
  const t = (h: number) => new Date(Date.UTC(2030, 0, 1, h));
  it('a bounded window contains only windows within both its bounds', () => {
    expect(windowContains({ from: t(1), until: t(5) }, { from: t(1), until: t(5) })).toBe(true);
    expect(windowContains({ from: t(1), until: t(5) }, { from: t(2), until: t(4) })).toBe(true);
    expect(windowContains({ from: t(1), until: t(5) }, { from: t(0), until: t(4) })).toBe(false);
    expect(windowContains({ from: t(1), until: t(5) }, { from: t(2), until: t(6) })).toBe(false);
    expect(windowContains({ from: t(1), until: t(5) }, { from: t(2), until: null })).toBe(false);
    expect(windowContains({ from: t(1), until: t(5) }, { from: null, until: t(4) })).toBe(false);
  });
  it('no end contains any end; since always contains any start', () => {
    expect(windowContains({ from: null, until: null }, { from: null, until: null })).toBe(true);
    expect(windowContains({ from: t(1), until: null }, { from: t(2), until: null })).toBe(true);
    expect(windowContains({ from: null, until: t(5) }, { from: t(0), until: t(5) })).toBe(true);
    expect(windowContains({ from: null, until: t(5) }, { from: t(0), until: t(6) })).toBe(false);
  });
});

describe('time-limited rights cannot be granted beyond their end (issue 8, hole 3)', () => {
  let app: TestApp;
  const stores: Record<string, string> = {};
  const regions: Record<string, string> = {};
  const users: Record<string, string> = {};
  let roleAdmin: string;
  let nameReader: string;
  /** The temporary role admin's own assignment ends here (two hours after the suite starts). */
  let tempUntil: number;

  const { tokenOf, as } = sessionsFor(() => app);
  async function assign(email: string, input: AssignInput): Promise<string> {
    const result = await as<{ assignRole: { id: string } }>(email, ASSIGN, { input });
    expect(result.errors).toBeUndefined();
    return result.data!.assignRole.id;
  }
  async function revoke(email: string, id: string): Promise<void> {
    const result = await as<{ revokeAssignment: boolean }>(email, REVOKE, { id });
    expect(result.errors).toBeUndefined();
  }
  async function createRole(name: string, permissions: EntryInput[]): Promise<string> {
    const result = await as<{ createRole: { id: string } }>(CM, CREATE_ROLE, { input: { name, permissions } });
    expect(result.errors).toBeUndefined();
    return result.data!.createRole.id;
  }
  async function makeUser(email: string): Promise<string> {
    const [{ id }]: { id: string }[] = await app.core.query(
      `INSERT INTO staff_user (chain_id, email, name, profession, password_hash)
       SELECT chain_id, $1, $2, 'MANAGER', password_hash FROM staff_user WHERE email = $3 RETURNING id`,
      [email, email.split('@')[0], CM],
    );
    users[email] = id;
    return id;
  }
  const assignments = () => count(app.core, 'SELECT count(*) AS n FROM role_assignment');
  const changes = () => count(app.core, 'SELECT count(*) AS n FROM role_change');
  async function entriesOf(roleId: string): Promise<string[]> {
    const rows: { e: string }[] = await app.core.query(
      `SELECT action || ' ' || subject || ' ' || coalesce(array_to_string(fields, ','), '*') AS e FROM role_permission WHERE role_id = $1 ORDER BY 1`, [roleId]);
    return rows.map((r) => r.e);
  }

  /** Runs `attempts`, each expected FORBIDDEN (matching `message`), and checks that nothing was written. */
  async function refusedAll(attempts: (() => Promise<GraphQLResult<unknown>>)[], message: RegExp): Promise<void> {
    const [a0, c0] = [await assignments(), await changes()];
    for (const attempt of attempts) expectForbidden(await attempt(), message);
    expect(await assignments()).toBe(a0);
    expect(await changes()).toBe(c0);
  }

  const TEMP = 'temp.admin@clearview.example';
  const HELPER = 'helper@clearview.example';
  const SECOND = 'second.admin@clearview.example';

  beforeAll(async () => {
    app = await startTestApp();
    for (const row of (await app.core.query('SELECT id, name FROM store')) as { id: string; name: string }[]) stores[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, name FROM region')) as { id: string; name: string }[]) regions[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, email FROM staff_user')) as { id: string; email: string }[]) users[row.email] = row.id;
    for (const email of [TEMP, HELPER, SECOND]) await makeUser(email);
    roleAdmin = await createRole('Role admin', ADMIN_ENTRIES);
    nameReader = await createRole('Name reader', [{ action: 'read', subject: 'Customer', fields: ['firstName'] }]);
    tempUntil = Date.now() + 2 * HOUR;
    // Role administration for the whole chain, from an hour ago until two hours from now.
    await assign(CM, { userId: users[TEMP], roleId: roleAdmin, scopeType: 'CHAIN', validFrom: at(-HOUR), validUntil: new Date(tempUntil).toISOString() });
  });
  afterAll(() => app?.stop());

  describe('assignRole', () => {
    it('a role admin until T cannot give themselves the same role with no end, nor until after T (FORBIDDEN, nothing written)', async () => {
      const self = { userId: users[TEMP], roleId: roleAdmin, scopeType: 'CHAIN' as const };
      await refusedAll([
        () => as(TEMP, ASSIGN, { input: self }),
        () => as(TEMP, ASSIGN, { input: { ...self, validUntil: null } }),
        () => as(TEMP, ASSIGN, { input: { ...self, validFrom: at(0, tempUntil - HOUR) } }),
      ], NO_END);
      await refusedAll([
        () => as(TEMP, ASSIGN, { input: { ...self, validUntil: at(MINUTE, tempUntil) } }),
        () => as(TEMP, ASSIGN, { input: { ...self, validUntil: at(30 * 24 * HOUR, tempUntil) } }),
        // At one store of the chain too: the store is covered by the chain-wide assignment, but only until T.
        () => as(TEMP, ASSIGN, { input: { ...self, scopeType: 'STORE', storeId: stores.Leeds, validUntil: at(HOUR, tempUntil) } }),
      ], LIMITED);
    });

    it('nor give anyone else rights they hold until T, with no end or ending after T, at any scope', async () => {
      const base = { userId: users[HELPER], roleId: nameReader };
      await refusedAll([
        () => as(TEMP, ASSIGN, { input: { ...base, scopeType: 'CHAIN' } }),
        () => as(TEMP, ASSIGN, { input: { ...base, scopeType: 'REGION', regionId: regions.North } }),
        () => as(TEMP, ASSIGN, { input: { ...base, scopeType: 'STORE', storeId: stores.Bath } }),
      ], NO_END);
      await refusedAll([
        () => as(TEMP, ASSIGN, { input: { ...base, scopeType: 'STORE', storeId: stores.Bath, validUntil: at(1000, tempUntil) } }),
      ], LIMITED);
    });

    it('a window within their own is granted: until T exactly, earlier, or starting later and ending by T', async () => {
      const base = { userId: users[HELPER], roleId: nameReader, scopeType: 'STORE' as const, storeId: stores.Leeds };
      const granted = [
        await assign(TEMP, { ...base, validUntil: new Date(tempUntil).toISOString() }),
        await assign(TEMP, { ...base, validUntil: at(HOUR) }),
        await assign(TEMP, { ...base, validFrom: at(10 * MINUTE), validUntil: at(-10 * MINUTE, tempUntil) }),
        // From a time within theirs (they hold it since an hour ago).
        await assign(TEMP, { ...base, validFrom: at(-30 * MINUTE), validUntil: at(HOUR) }),
      ];
      const rows: { createdById: string; validUntil: Date }[] = await app.core.query(
        'SELECT created_by_id AS "createdById", valid_until AS "validUntil" FROM role_assignment WHERE id = ANY($1)', [granted]);
      expect(rows).toHaveLength(4);
      for (const row of rows) {
        expect(row.createdById).toBe(users[TEMP]);
        expect(row.validUntil.getTime()).toBeLessThanOrEqual(tempUntil);
      }
      for (const id of granted) await revoke(TEMP, id);
    });

    it('a window starting before their own start, or after their end, is refused', async () => {
      const base = { userId: users[HELPER], roleId: nameReader, scopeType: 'STORE' as const, storeId: stores.Leeds };
      await refusedAll([
        () => as(TEMP, ASSIGN, { input: { ...base, validFrom: at(-2 * HOUR), validUntil: at(HOUR) } }),
        () => as(TEMP, ASSIGN, { input: { ...base, validFrom: at(HOUR, tempUntil), validUntil: at(2 * HOUR, tempUntil) } }),
      ], LIMITED);
    });

    it('down a chain of delegations: rights given until T by a temporary admin cannot be passed on beyond T', async () => {
      const secondUntil = tempUntil - 10 * MINUTE;
      const delegation = await assign(TEMP, { userId: users[SECOND], roleId: roleAdmin, scopeType: 'CHAIN', validUntil: new Date(secondUntil).toISOString() });
      const base = { userId: users[HELPER], roleId: nameReader, scopeType: 'STORE' as const, storeId: stores.York };
      await refusedAll([() => as(SECOND, ASSIGN, { input: base })], NO_END);
      await refusedAll([
        () => as(SECOND, ASSIGN, { input: { ...base, validUntil: new Date(tempUntil).toISOString() } }),
        () => as(SECOND, ASSIGN, { input: { userId: users[SECOND], roleId: roleAdmin, scopeType: 'CHAIN', validUntil: new Date(tempUntil).toISOString() } }),
      ], LIMITED);
      const ok = await assign(SECOND, { ...base, validUntil: new Date(secondUntil).toISOString() });
      await revoke(SECOND, ok);
      await revoke(CM, delegation);
    });

    it('the permanent chain manager still grants without an end date', async () => {
      const id = await assign(CM, { userId: users[HELPER], roleId: nameReader, scopeType: 'STORE', storeId: stores.Leeds });
      const [row] = await app.core.query('SELECT valid_until AS "validUntil" FROM role_assignment WHERE id = $1', [id]);
      expect(row.validUntil).toBeNull();
      await revoke(CM, id);
    });
  });

  describe('updateRole (adding entries grants them to every holder of the role)', () => {
    it('adding to a role someone holds with no end, or beyond T, what the admin holds only until T is refused; within T it is granted', async () => {
      const helperBase = await createRole('Helper base', [{ action: 'read', subject: 'Store' }]);
      const permanent = await assign(CM, { userId: users[HELPER], roleId: helperBase, scopeType: 'STORE', storeId: stores.Leeds });
      const before = await entriesOf(helperBase);
      const widened = { permissions: [{ action: 'read', subject: 'Store' }, { action: 'read', subject: 'Customer', fields: ['firstName'] }] };
      await refusedAll([() => as(TEMP, UPDATE_ROLE, { id: helperBase, input: widened })], NO_END);
      await revoke(CM, permanent);

      // Held from after T: still beyond what the admin holds.
      const later = await assign(CM, { userId: users[HELPER], roleId: helperBase, scopeType: 'STORE', storeId: stores.Leeds, validFrom: at(HOUR, tempUntil), validUntil: at(2 * HOUR, tempUntil) });
      await refusedAll([() => as(TEMP, UPDATE_ROLE, { id: helperBase, input: widened })], LIMITED);
      expect(await entriesOf(helperBase)).toEqual(before);
      await revoke(CM, later);

      // Held only within T: the new entry reaches the holder no longer than the admin holds it.
      const within = await assign(CM, { userId: users[HELPER], roleId: helperBase, scopeType: 'STORE', storeId: stores.Leeds, validUntil: at(-30 * MINUTE, tempUntil) });
      const result = await as(TEMP, UPDATE_ROLE, { id: helperBase, input: widened });
      expect(result.errors).toBeUndefined();
      expect(await entriesOf(helperBase)).toEqual(['read Customer firstName', 'read Store *']);
      await revoke(CM, within);
    });

    it('self-extension: adding to a role they hold for good what they hold only until T is refused', async () => {
      const ownBase = await createRole('Own base', [{ action: 'read', subject: 'Store' }]);
      const own = await assign(CM, { userId: users[TEMP], roleId: ownBase, scopeType: 'CHAIN' });
      const before = await entriesOf(ownBase);
      await refusedAll([
        () => as(TEMP, UPDATE_ROLE, { id: ownBase, input: { permissions: [{ action: 'read', subject: 'Store' }, ...ADMIN_ENTRIES] } }),
        () => as(TEMP, UPDATE_ROLE, { id: ownBase, input: { permissions: [{ action: 'read', subject: 'Store' }, { action: 'manage', subject: 'RoleAssignment' }] } }),
        () => as(TEMP, UPDATE_ROLE, { id: ownBase, input: { permissions: [{ action: 'read', subject: 'Store' }, { action: 'read', subject: 'Customer', fields: ['lastName'] }] } }),
      ], NO_END);
      expect(await entriesOf(ownBase)).toEqual(before);
      await revoke(CM, own);
    });
  });

  describe('revoking and re-assigning', () => {
    const REVOKE_THEN_ASSIGN = `mutation($id: ID!, $input: AssignRoleInput!) {
      revokeAssignment(id: $id)
      assignRole(input: $input) { id }
    }`;

    it('an assignment the caller revoked earlier in the same request no longer counts', async () => {
      const email = 'revoker@clearview.example';
      await makeUser(email);
      const own = await assign(CM, { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN', validUntil: new Date(tempUntil).toISOString() });
      await tokenOf(email);
      const a0 = await assignments();
      // Even a window within the revoked one: the caller holds nothing any more.
      const result = await as<{ revokeAssignment: boolean; assignRole: { id: string } | null }>(email, REVOKE_THEN_ASSIGN, {
        id: own, input: { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN', validUntil: at(-MINUTE, tempUntil) },
      });
      expect(result.data?.revokeAssignment).toBe(true);
      expect(result.data?.assignRole ?? null).toBeNull();
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      // The right to assign came with the revoked assignment: read again in the transaction, it is gone.
      expect(result.errors?.[0].message).toMatch(NOT_ALLOWED_TO_ASSIGN);
      expect(await assignments()).toBe(a0 - 1);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE user_id = $1', [users[email]])).toBe(0);
      // …and on their next request they cannot assign at all.
      expectForbidden(await as(email, ASSIGN, { input: { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN', validUntil: at(HOUR) } }));
    });

    it('nor may they assign even a role without entries after revoking their own right to assign, in the same request', async () => {
      const email = 'revoker3@clearview.example';
      await makeUser(email);
      const empty = await createRole('Nothing at all', []);
      const own = await assign(CM, { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN', validUntil: new Date(tempUntil).toISOString() });
      const result = await as<{ revokeAssignment: boolean; assignRole: { id: string } | null }>(email, REVOKE_THEN_ASSIGN, {
        id: own, input: { userId: users[HELPER], roleId: empty, scopeType: 'STORE', storeId: stores.Leeds, validUntil: at(HOUR) },
      });
      expect(result.data?.revokeAssignment).toBe(true);
      expect(result.data?.assignRole ?? null).toBeNull();
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE role_id = $1', [empty])).toBe(0);
    });

    it('revoking their own time-limited assignment and asking for a permanent one in one request is refused', async () => {
      const email = 'revoker2@clearview.example';
      await makeUser(email);
      const own = await assign(CM, { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN', validUntil: new Date(tempUntil).toISOString() });
      const result = await as<{ revokeAssignment: boolean; assignRole: { id: string } | null }>(email, REVOKE_THEN_ASSIGN, {
        id: own, input: { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN' },
      });
      expect(result.data?.assignRole ?? null).toBeNull();
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(await count(app.core, 'SELECT count(*) AS n FROM role_assignment WHERE user_id = $1 AND valid_until IS NULL', [users[email]])).toBe(0);
    });
  });

  describe('several assignments of the granter', () => {
    it('two overlapping time-limited assignments: the one that lasts longer covers; they do not add up to more', async () => {
      const email = 'overlap@clearview.example';
      await makeUser(email);
      const a1 = await assign(CM, { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN', validUntil: at(HOUR) });
      const a2 = await assign(CM, { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN', validFrom: at(-HOUR), validUntil: at(3 * HOUR) });
      const base = { userId: users[HELPER], roleId: nameReader, scopeType: 'STORE' as const, storeId: stores.Leeds };
      const ok = await assign(email, { ...base, validUntil: at(2 * HOUR) });
      await revoke(email, ok);
      await refusedAll([() => as(email, ASSIGN, { input: { ...base, validUntil: at(4 * HOUR) } })], LIMITED);
      await refusedAll([() => as(email, ASSIGN, { input: base })], NO_END);
      // Starting before the longer one started (which only the shorter one, since always, covers) and
      // ending after the shorter one: no single assignment covers it.
      await refusedAll([() => as(email, ASSIGN, { input: { ...base, validFrom: at(-2 * HOUR), validUntil: at(2 * HOUR) } })], LIMITED);
      await revoke(CM, a1);
      await revoke(CM, a2);
    });

    it('windows are not glued: an assignment that starts later does not extend one in force now', async () => {
      const email = 'glue@clearview.example';
      await makeUser(email);
      const now = await assign(CM, { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN', validUntil: at(HOUR) });
      const next = await assign(CM, { userId: users[email], roleId: roleAdmin, scopeType: 'CHAIN', validFrom: at(30 * MINUTE), validUntil: at(3 * HOUR) });
      const base = { userId: users[HELPER], roleId: nameReader, scopeType: 'STORE' as const, storeId: stores.Leeds };
      await refusedAll([() => as(email, ASSIGN, { input: { ...base, validUntil: at(2 * HOUR) } })], LIMITED);
      await refusedAll([() => as(email, ASSIGN, { input: { ...base, validFrom: at(40 * MINUTE), validUntil: at(2 * HOUR) } })], LIMITED);
      await revoke(CM, now);
      await revoke(CM, next);
    });

    it('per field: every field granted must be covered by one assignment for the whole window', async () => {
      const email = 'fields@clearview.example';
      await makeUser(email);
      const adminFirst = await createRole('Admin, first names', [
        { action: 'manage', subject: 'Role' }, { action: 'manage', subject: 'RoleAssignment' }, { action: 'read', subject: 'Customer', fields: ['firstName'] },
      ]);
      const lastOnly = await createRole('Last names', [{ action: 'read', subject: 'Customer', fields: ['lastName'] }]);
      const both = await createRole('First and last names', [{ action: 'read', subject: 'Customer', fields: ['firstName', 'lastName'] }]);
      const x = await assign(CM, { userId: users[email], roleId: adminFirst, scopeType: 'CHAIN', validUntil: at(3 * HOUR) });
      const lastNamesUntil = at(HOUR);
      const y = await assign(CM, { userId: users[email], roleId: lastOnly, scopeType: 'CHAIN', validUntil: lastNamesUntil });
      const base = { userId: users[HELPER], roleId: both, scopeType: 'STORE' as const, storeId: stores.Leeds };
      await refusedAll([() => as(email, ASSIGN, { input: { ...base, validUntil: at(2 * HOUR) } })], LIMITED);
      const ok = await assign(email, { ...base, validUntil: lastNamesUntil });
      await revoke(email, ok);
      await revoke(CM, x);
      await revoke(CM, y);
    });

    it('per store: a region grant needs every store of the region covered for the whole window', async () => {
      const email = 'stores@clearview.example';
      await makeUser(email);
      const lastOnly = await createRole('Last names (stores)', [{ action: 'read', subject: 'Customer', fields: ['lastName'] }]);
      const admin = await createRole('Admin, no customers', [{ action: 'manage', subject: 'Role' }, { action: 'manage', subject: 'RoleAssignment' }]);
      const held = [
        await assign(CM, { userId: users[email], roleId: admin, scopeType: 'CHAIN' }),
        await assign(CM, { userId: users[email], roleId: lastOnly, scopeType: 'STORE', storeId: stores.Leeds }),
        await assign(CM, { userId: users[email], roleId: lastOnly, scopeType: 'REGION', regionId: regions.North, validUntil: at(HOUR) }),
      ];
      const region = { userId: users[HELPER], roleId: lastOnly, scopeType: 'REGION' as const, regionId: regions.North };
      await refusedAll([() => as(email, ASSIGN, { input: region })], NO_END);
      await refusedAll([() => as(email, ASSIGN, { input: { ...region, validUntil: at(2 * HOUR) } })], LIMITED);
      // At Leeds they hold it for good; in the region until one hour from now.
      const granted = [
        await assign(email, { userId: users[HELPER], roleId: lastOnly, scopeType: 'STORE', storeId: stores.Leeds }),
        await assign(email, { ...region, validUntil: at(HOUR - MINUTE) }),
      ];
      for (const id of granted) await revoke(email, id);
      for (const id of held) await revoke(CM, id);
    });
  });
});
