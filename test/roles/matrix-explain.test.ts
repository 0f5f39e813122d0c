/**
 * The role matrix as chain managers use it (issue 3), end to end through the real GraphQL API on real
 * PostgreSQL (split from one suite by what it covers; shared set-up in role-matrix.fixture.ts):
 * The matrix view: effectivePermissions per user and store with the assignments that grant each entry,
 * the holders of a role, and `explain` (granted or denied, and why).
 */
import {
  CM, DPO, EFFECTIVE, EXPLAIN, EffectiveAnswer, ExplainAnswer, LAKESIDE, LOCUM, NORTH, RECEPTION, ROLE_HOLDERS, expectBadInput, expectNotFound, expectOk, useRoleMatrix,
} from './role-matrix.fixture';

describe('role matrix (issue 3)', () => {
  const m = useRoleMatrix();
  const { stores, regions, roles, users, as } = m;

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
      expect(firstName!.grantedBy[0]).toEqual({ id: m.receptionAssignment, scopeType: 'STORE', storeId: stores.Leeds, role: { name: 'Receptionist' }, user: { email: RECEPTION } });
      expect(find('update', 'Customer', 'phone')).toBeDefined();
      expect(find('read', 'Store', 'name')).toBeDefined();
      expect(find('read', 'Customer', 'dateOfBirth')).toBeUndefined();
      expect(find('update', 'Customer', 'firstName')).toBeUndefined();
      expect(list.filter((p) => p.subject === 'Examination' || p.subject === 'ClinicalNote')).toEqual([]);
      for (const p of list) expect(p.grantedBy.map((g) => g.id)).toEqual([m.receptionAssignment]);
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
      expect(locumBath.find((p) => p.subject === 'Customer' && p.field === 'firstName')?.grantedBy[0].id).toBe(m.locumBathAssignment);
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
      expect(result.assignment).toEqual({ id: m.receptionAssignment, scopeType: 'STORE', storeId: stores.Leeds, role: { name: 'Receptionist' } });
      expect(result.entry?.action).toBe('read');
      expect(result.entry?.subject).toBe('Customer');
      expect(result.entry?.fields).toEqual(expect.arrayContaining(['firstName', 'lastName']));
      expect(result.entry?.fields).not.toContain('dateOfBirth');

      const action = expectOk(await as<{ explain: ExplainAnswer }>(DPO, EXPLAIN, { u: users[RECEPTION], s: stores.Leeds, a: 'create', sub: 'Appointment' })).explain;
      expect(action.granted).toBe(true);
      expect(action.assignment?.id).toBe(m.receptionAssignment);
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

});
