/**
 * The role matrix as chain managers use it (issue 3), end to end through the real GraphQL API on real
 * PostgreSQL (split from one suite by what it covers; shared set-up in role-matrix.fixture.ts):
 * The dry run of a role change (previewRoleChange): who gains and who loses what, where; nothing is saved.
 */
import {
  CM, LOCUM, PREVIEW, PreviewAnswer, RECEPTION, ROLE, RoleAnswer, expectBadInput, expectOk, useRoleMatrix,
} from './role-matrix.fixture';

describe('role matrix (issue 3)', () => {
  const m = useRoleMatrix();
  const { roles, as, roleChangeCount, authzVersion, entriesInSql, dobSeenBy } = m;

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
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
    });

    it('lists losses too, for every holder at every store they cover', async () => {
      const current = expectOk(await as<{ role: RoleAnswer }>(CM, ROLE, { id: roles.Receptionist })).role.permissions;
      const withoutStore = current.filter((e) => e.subject !== 'Store').map((e) => ({ action: e.action, subject: e.subject, fields: e.fields }));
      const preview = expectOk(await as<{ previewRoleChange: PreviewAnswer[] }>(CM, PREVIEW, { id: roles.Receptionist, input: { permissions: withoutStore } })).previewRoleChange;
      expect(preview.every((p) => p.change === 'LOST' && p.subject === 'Store' && p.action === 'read')).toBe(true);
      const where = new Set(preview.map((p) => `${p.user.email}@${p.store.name}`));
      expect([...where].sort()).toEqual([`${LOCUM}@Bath`, `${RECEPTION}@Leeds`].sort());
      expect(preview.filter((p) => p.user.email === RECEPTION).map((p) => p.field).sort()).toEqual(['address', 'city', 'id', 'name', 'open', 'phone', 'regionId']);
      // An unknown entry in the proposal is refused as in updateRole.
      expectBadInput(await as(CM, PREVIEW, { id: roles.Receptionist, input: { permissions: [{ action: 'read', subject: 'Spaceship' }] } }), 'input.permissions[0].subject');
    });
  });

});
