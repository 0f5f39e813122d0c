/**
 * Attack (issue 13): resetUserPassword hands the caller an invitation with which they sign in as the target. A
 * holder of `update User.password` who holds little else (a custom role) must not become a more powerful user that
 * way: resetting the password of someone holding rights the caller does not hold is FORBIDDEN, as giving them a
 * role would be (src/policies/escalation-guard.ts).
 */
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import { acceptAs, createStaff } from '../support/staff-accounts';
import { REAUTHENTICATE } from '../auth-policy/auth-policy-support';

const CREATE_ROLE = 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }';
const ASSIGN = 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }';
const RESET = 'mutation($id: ID!) { resetUserPassword(userId: $id) { token } }';
const PASSWORD = 'Walnut-harbour-lantern-3381';

describe('attack i13: resetUserPassword as a way up', () => {
  let app: TestApp;
  const { as, tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('a password-reset clerk cannot reset the DPO\'s password and sign in as the DPO', async () => {
    const manager = await tokenOf('chainManager');
    await as('chainManager', REAUTHENTICATE, { p: 'Visus-demo-2026!' });
    const role = await app.request<{ createRole: { id: string } }>(CREATE_ROLE, { input: {
      name: 'Password desk', permissions: [{ action: 'read', subject: 'User' }, { action: 'update', subject: 'User', fields: ['password'] }],
    } }, manager);
    expect(role.errors).toBeUndefined();
    const clerk = await createStaff(app, manager);
    const assigned = await app.request(ASSIGN, { input: { userId: clerk.id, roleId: role.data!.createRole.id, scopeType: 'CHAIN' } }, manager);
    expect(assigned.errors).toBeUndefined();
    const session = (await acceptAs(app, clerk.token, PASSWORD)).data!.acceptInvitation.token;
    const [{ id: dpo }] = await app.ownerCore.query(`SELECT id::text AS id FROM staff_user WHERE email = 'dpo@clearview.example'`);
    const reset = await app.request<{ resetUserPassword: { token: string } | null }>(RESET, { id: dpo }, session);
    expect(errorCodes(reset)).toEqual(['FORBIDDEN']);
    expect(reset.data?.resetUserPassword ?? null).toBeNull();
    expect(await app.ownerCore.query(`SELECT 1 FROM staff_user WHERE id = $1 AND password_hash IS NULL`, [dpo])).toEqual([]);
    // The chain manager, who holds what the clerk holds, still may reset the clerk's password.
    const allowed = await app.request(RESET, { id: clerk.id }, manager);
    expect(allowed.errors).toBeUndefined();
  });
});
