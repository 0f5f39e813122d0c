/**
 * The role matrix as chain managers use it (issue 3), end to end through the real GraphQL API on real
 * PostgreSQL (split from one suite by what it covers; shared set-up in role-matrix.fixture.ts):
 * No privilege escalation: nobody grants, assigns or widens what they do not hold themselves, at their
 * scope; and a store-level role admin's matrix views stay inside what they may read.
 */
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import {
  ASSIGN, AssignmentAnswer, CHAIN_ADMIN, CM, EFFECTIVE, ESCALATION, EXPLAIN, EffectiveAnswer, ExplainAnswer, LOCUM, PREVIEW, PreviewAnswer, RECEPTION, ROLE, SCOPE_TESTER, STORE_ADMIN, UPDATE_ROLE, count, expectForbidden, expectNotFound, expectOk, useRoleMatrix,
} from './role-matrix.fixture';

describe('role matrix (issue 3)', () => {
  const m = useRoleMatrix();
  const { stores, roles, users, as, roleChangeCount, assignmentCount, entriesInSql, createRoleAs, updateRoleAs, assignAs, revokeAs, deleteRoleAs } = m;

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
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role_assignment WHERE user_id = $1', [users[RECEPTION]])).toBe(1);
    });

    it('… but can assign, at their store, a role they hold entirely (so it is the escalation guard that refuses)', async () => {
      const a = await assignAs(STORE_ADMIN, { userId: users[SCOPE_TESTER], roleId: nameReader, scopeType: 'STORE', storeId: stores.Leeds });
      const [row] = await m.app.core.query('SELECT created_by_id AS "createdById" FROM role_assignment WHERE id = $1', [a.id]);
      expect(row.createdById).toBe(users[STORE_ADMIN]);
      const seen = expectOk(await as<{ customer: { firstName: string } }>(SCOPE_TESTER, 'query($id: ID!) { customer(id: $id) { firstName } }', { id: m.leedsCustomer })).customer;
      expect(seen.firstName).toBeTruthy();
      await revokeAs(STORE_ADMIN, a.id);
    });

    it('a store-level role admin’s matrix views stay inside what they may read (no role, user or store outside Leeds)', async () => {
      // In scope: the receptionist at Leeds, granted by an assignment at Leeds they may read.
      const leeds = expectOk(await as<{ effectivePermissions: { subject: string; action: string; field: string | null; grantedBy: { id: string }[] }[] }>(
        STORE_ADMIN, 'query($u: ID!, $s: ID!) { effectivePermissions(userId: $u, storeId: $s) { subject action field grantedBy { id } } }', { u: users[RECEPTION], s: stores.Leeds })).effectivePermissions;
      expect(leeds.find((p) => p.subject === 'Customer' && p.field === 'firstName')?.grantedBy).toEqual([{ id: m.receptionAssignment }]);
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

});
