/**
 * Attack (issue 13): an ENROLMENT session may use `me`, but `me` is a way into the graph: me.roleAssignments.role
 * leads to the role's assignments, their users and those users' assignments. A session that may only enrol a
 * factor must not read other members of staff through it.
 */
import { sessionsFor } from '../support/sessions';
import { acceptAs, createStaff } from '../support/staff-accounts';
import { startTestApp, TestApp } from '../support/test-app';
import { roleId, UPDATE_POLICY } from '../auth-policy/auth-policy-support';

const ASSIGN = 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }';
const PASSWORD = 'Copper-kettle-on-the-hob-2026';
const NESTED = `{ me { id email roleAssignments { roleName role { name permissions { action subject }
  assignments { userId userEmail userName user { email name roleAssignments { storeName } } } } } } }`;

interface NestedData { me: { id: string; email: string; roleAssignments: { role: { assignments: { userId: string | null; userEmail: string | null; user: { email: string | null } | null }[] | null } | null }[] | null } | null }

describe('attack i13: an ENROLMENT session reading through me', () => {
  let app: TestApp;
  const { as, tokenOf } = sessionsFor(() => app);

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('reaches no other member of staff through me.roleAssignments.role.assignments', async () => {
    const chainManagerRole = await roleId(app, 'Clearview Opticians', 'Chain manager');
    const manager = await tokenOf('chainManager');
    const created = await createStaff(app, manager);
    const assigned = await app.request(ASSIGN, { input: { userId: created.id, roleId: chainManagerRole, scopeType: 'CHAIN' } }, manager);
    expect(assigned.errors).toBeUndefined();
    const changed = await as('chainManager', UPDATE_POLICY, { input: { secondFactorRoleIds: [chainManagerRole] } });
    expect(changed.errors).toBeUndefined();
    const accepted = await acceptAs(app, created.token, PASSWORD);
    expect(accepted.data?.acceptInvitation.scope).toBe('ENROLMENT');
    const result = await app.request<NestedData>(NESTED, {}, accepted.data!.acceptInvitation.token);
    expect(result.data?.me?.email).toBe(created.email);
    const others = (result.data?.me?.roleAssignments ?? [])
      .flatMap((a) => a.role?.assignments ?? [])
      .filter((a) => a.userId !== null && a.userId !== created.id || (a.userEmail ?? created.email) !== created.email || (a.user?.email ?? created.email) !== created.email);
    expect(others).toEqual([]);
  });
});
