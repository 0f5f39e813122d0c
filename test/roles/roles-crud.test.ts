/**
 * The role matrix as chain managers use it (issue 3), end to end through the real GraphQL API on real
 * PostgreSQL (split from one suite by what it covers; shared set-up in role-matrix.fixture.ts):
 * The permission catalog; creating, renaming, changing and deleting roles (catalog-checked entries, unique
 * names, deletion of a role in use); and the append-only history of every role and assignment change.
 */
import { errorCodes } from '../support/graphql-client';
import {
  CATALOG, CM, CREATE_ROLE, CatalogAnswer, ChangeAnswer, DELETE_ROLE, DPO, EntryInput, LEEDS_MANAGER, PREVIEW, PreviewAnswer, RECEPTION, ROLE, ROLES, ROLE_CHANGES, RoleAnswer, SCOPE_TESTER, UPDATE_ROLE, count, expectBadInput, expectForbidden, expectNotFound, expectOk, sortEntries, useRoleMatrix,
} from './role-matrix.fixture';

describe('role matrix (issue 3)', () => {
  const m = useRoleMatrix();
  const { stores, regions, roles, users, expectedChanges, as, roleChangeCount, entriesInSql, createRoleAs, updateRoleAs, assignAs, revokeAs, deleteRoleAs } = m;

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
      expect(errorCodes(await m.app.request(CATALOG))).toEqual(['UNAUTHENTICATED']);
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
      const [row] = await m.app.core.query('SELECT chain_id AS "chainId", name, description FROM role WHERE id = $1', [role.id]);
      expect(row).toEqual({ chainId: m.chainId, name: 'Front desk lite', description: 'Names only' });
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
      const [row] = await m.app.core.query('SELECT name, description FROM role WHERE id = $1', [id]);
      expect(row).toEqual({ name: 'Front desk', description: 'Names and phone numbers' });
      roles['Front desk'] = id;
    });

    it('refuses unknown subjects, actions and fields with BAD_USER_INPUT naming the entry, and writes nothing', async () => {
      const roleCount = () => count(m.app.core, 'SELECT count(*) AS n FROM role');
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
      expect(await count(m.app.core, `SELECT count(*) AS n FROM role WHERE chain_id = $1 AND name = 'Receptionist'`, [m.chainId])).toBe(1);
      expect((await m.app.core.query('SELECT name FROM role WHERE id = $1', [roles['Front desk']]))[0].name).toBe('Front desk');
      expect(await roleChangeCount()).toBe(changes0);
      // The same name in another chain is no clash: Lakeside has its own "Chain manager".
      expect(await count(m.app.core, `SELECT count(*) AS n FROM role WHERE name = 'Chain manager'`)).toBe(2);
    });

    it('refuses to delete a role in use (removeAssignments), then deletes it and its assignments when asked', async () => {
      const id = roles['Front desk'];
      const a1 = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: id, scopeType: 'STORE', storeId: stores.Leeds });
      const a2 = await assignAs(CM, { userId: users[RECEPTION], roleId: id, scopeType: 'REGION', regionId: regions.North });
      const changes0 = await roleChangeCount();

      expectBadInput(await as(CM, DELETE_ROLE, { id }), 'removeAssignments');
      expectBadInput(await as(CM, DELETE_ROLE, { id, remove: false }), 'removeAssignments');
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role WHERE id = $1', [id])).toBe(1);
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role_assignment WHERE role_id = $1', [id])).toBe(2);
      expect(await entriesInSql(id)).toHaveLength(2);
      expect(await roleChangeCount()).toBe(changes0);

      await deleteRoleAs(CM, id, true);
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role WHERE id = $1', [id])).toBe(0);
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role_permission WHERE role_id = $1', [id])).toBe(0);
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = ANY($1)', [[a1.id, a2.id]])).toBe(0);
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
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role WHERE id = $1', [role.id])).toBe(0);
      expectNotFound(await as(CM, DELETE_ROLE, { id: role.id }));
      expectNotFound(await as(CM, UPDATE_ROLE, { id: role.id, input: { name: 'Ghost' } }));
      const malformed = await as(CM, DELETE_ROLE, { id: 'not-a-uuid' });
      expect([errorCodes(malformed), malformed.errors?.[0].extensions?.field]).toEqual([['BAD_USER_INPUT'], 'id']);
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
      for (const [db, refusal] of [[m.app.core, /permission denied/], [m.app.ownerCore, /append-only/]] as const) {
        await expect(db.query(`UPDATE role_change SET action = 'ROLE_CREATED'`)).rejects.toThrow(refusal);
        await expect(db.query('DELETE FROM role_change')).rejects.toThrow(refusal);
        await expect(db.query('TRUNCATE role_change')).rejects.toThrow(refusal);
      }
      expect(await roleChangeCount()).toBe(n);
    });
  });

});
