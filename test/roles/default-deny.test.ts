/**
 * The role matrix as chain managers use it (issue 3), end to end through the real GraphQL API on real
 * PostgreSQL (split from one suite by what it covers; shared set-up in role-matrix.fixture.ts):
 * Other chains and default deny: another chain's manager sees and changes none of the chain's roles,
 * users or history; callers without Role rights are FORBIDDEN every role-matrix operation.
 */
import { errorCodes } from '../support/graphql-client';
import {
  ASSIGN, CATALOG, CM, CREATE_ROLE, ChangeAnswer, DELETE_ROLE, EFFECTIVE, EXPLAIN, LAKESIDE, LEEDS_MANAGER, PREVIEW, RECEPTION, REVOKE, ROLE, ROLES, ROLE_CHANGES, ROLE_HOLDERS, RoleAnswer, UPDATE_ROLE, count, expectNotFound, expectOk, useRoleMatrix,
} from './role-matrix.fixture';

describe('role matrix (issue 3)', () => {
  const m = useRoleMatrix();
  const { stores, roles, users, as, roleChangeCount, assignmentCount, entriesInSql } = m;

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
      const [{ id: lakeRole }]: { id: string }[] = await m.app.core.query(`SELECT r.id FROM role r JOIN chain c ON c.id = r.chain_id WHERE c.name = 'Lakeside Eyecare'`);
      expectNotFound(await as(LAKESIDE, ROLE, { id: roles.Receptionist }));
      expectNotFound(await as(LAKESIDE, ROLE_HOLDERS, { id: roles['Chain manager'] }));
      expectNotFound(await as(LAKESIDE, ASSIGN, { input: { userId: users[RECEPTION], roleId: lakeRole, scopeType: 'CHAIN' } }));
      expectNotFound(await as(LAKESIDE, ASSIGN, { input: { userId: users[LAKESIDE], roleId: roles.Receptionist, scopeType: 'CHAIN' } }));
      expectNotFound(await as(LAKESIDE, UPDATE_ROLE, { id: roles.Receptionist, input: { name: 'Hijacked' } }));
      expectNotFound(await as(LAKESIDE, DELETE_ROLE, { id: roles.Receptionist, remove: true }));
      expectNotFound(await as(LAKESIDE, REVOKE, { id: m.receptionAssignment }));
      expectNotFound(await as(LAKESIDE, PREVIEW, { id: roles.Receptionist, input: { permissions: [] } }));
      expectNotFound(await as(LAKESIDE, EFFECTIVE, { u: users[RECEPTION], s: stores.Leeds }));
      expectNotFound(await as(LAKESIDE, EXPLAIN, { u: users[RECEPTION], s: stores.Leeds, a: 'read', sub: 'Customer' }));
      // And the other way round.
      expectNotFound(await as(CM, ASSIGN, { input: { userId: users[LAKESIDE], roleId: roles.Receptionist, scopeType: 'CHAIN' } }));
      expectNotFound(await as(CM, ROLE, { id: lakeRole }));

      expect(await assignmentCount()).toBe(assignments0);
      expect(await roleChangeCount()).toBe(changes0);
      expect(await entriesInSql(roles.Receptionist)).toEqual(entries0);
      expect((await m.app.core.query('SELECT name FROM role WHERE id = $1', [roles.Receptionist]))[0].name).toBe('Receptionist');
    });
  });

  // -------------------------------------------------------------------------------------------
  // 8. Default deny of the new operations
  // -------------------------------------------------------------------------------------------

  describe('default deny', () => {
    it('a store manager without Role rights is FORBIDDEN every role-matrix operation, and nothing changes', async () => {
      const [roles0, assignments0, changes0] = [await count(m.app.core, 'SELECT count(*) AS n FROM role'), await assignmentCount(), await roleChangeCount()];
      const operations: [string, Record<string, unknown>][] = [
        [CATALOG, {}],
        [ROLES, {}],
        [ROLE, { id: roles.Receptionist }],
        [CREATE_ROLE, { input: { name: 'Mine', permissions: [] } }],
        [UPDATE_ROLE, { id: roles.Receptionist, input: { name: 'Mine' } }],
        [DELETE_ROLE, { id: roles.Receptionist, remove: true }],
        [ASSIGN, { input: { userId: users[RECEPTION], roleId: roles['Store manager'], scopeType: 'STORE', storeId: stores.Leeds } }],
        [REVOKE, { id: m.receptionAssignment }],
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
        expect(errorCodes(await m.app.request(query, variables))).toEqual(['UNAUTHENTICATED']);
      }
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role')).toBe(roles0);
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
