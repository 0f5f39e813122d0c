/**
 * A user whose role requires a second factor they have not enrolled can sign in only to enrol it: their session's
 * scope is ENROLMENT, and every root field but the enrolment ones (me, logout, changePassword, reauthenticate, the
 * TOTP and passkey enrolment fields) is FORBIDDEN with extensions.reason SECOND_FACTOR_ENROLMENT_REQUIRED; the HTTP
 * exports answer 403 with that reason. Signed in here through acceptInvitation (it follows the same table as login,
 * src/auth/sign-in-step.ts); the policy is changed through updateAuthPolicy.
 */
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { acceptAs, createStaff } from '../support/staff-accounts';
import { startTestApp, TestApp } from '../support/test-app';
import { reasons, roleId, sessionRow, UPDATE_POLICY } from './auth-policy-support';

const CLEARVIEW = 'Clearview Opticians';
const PASSWORD = 'Copper-kettle-on-the-hob-2026';
const ASSIGN = 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }';

describe('enrolment-only sessions', () => {
  let app: TestApp;
  const { as, tokenOf } = sessionsFor(() => app);
  let optometristRole: string;
  let leeds: string;

  /** A new member of staff holding `role` at Leeds, signed in through their invitation. */
  async function staffWithRole(role: string): Promise<{ token: string; scope: string; id: string }> {
    const manager = await tokenOf('chainManager');
    const created = await createStaff(app, manager);
    const assigned = await app.request(ASSIGN, { input: { userId: created.id, roleId: role, scopeType: 'STORE', storeId: leeds } }, manager);
    if (assigned.errors) throw new Error(JSON.stringify(assigned.errors));
    const accepted = await acceptAs(app, created.token, PASSWORD);
    if (!accepted.data) throw new Error(JSON.stringify(accepted.errors));
    return { token: accepted.data.acceptInvitation.token, scope: accepted.data.acceptInvitation.scope, id: created.id };
  }

  beforeAll(async () => {
    app = await startTestApp();
    optometristRole = await roleId(app, CLEARVIEW, 'Optometrist');
    [{ id: leeds }] = await app.ownerCore.query(`SELECT id::text AS id FROM store WHERE name = 'Leeds'`);
  });
  afterAll(() => app.stop());

  it('with the demo policy (nothing required) a new optometrist gets a FULL session', async () => {
    const { token, scope } = await staffWithRole(optometristRole);
    expect(scope).toBe('FULL');
    expect(errorCodes(await app.request('{ customers(first: 1) { totalCount } }', {}, token))).toEqual([]);
  });

  describe('once the policy requires a second factor of optometrists', () => {
    let token: string;
    beforeAll(async () => {
      const changed = await as('chainManager', UPDATE_POLICY, { input: { secondFactorRoleIds: [optometristRole] } });
      expect(changed.errors).toBeUndefined();
      ({ token } = await staffWithRole(optometristRole));
    });

    it('signs in with scope ENROLMENT', async () => {
      expect((await sessionRow(app, token)).scope).toBe('ENROLMENT');
      const me = await app.request<{ me: { email: string } }>('{ me { email } }', {}, token);
      expect(me.errors).toBeUndefined();
    });

    it('refuses every other field with the reason and says what to enrol', async () => {
      const documents = [
        '{ customers(first: 1) { totalCount } }',
        '{ stores { id } }',
        '{ authPolicy { isDefault } }',
        'mutation { cancelAppointment(id: "00000000-0000-4000-8000-000000000000") { id } }',
      ];
      for (const document of documents) {
        const result = await app.request(document, {}, token);
        expect({ document, codes: errorCodes(result), reasons: reasons(result) })
          .toEqual({ document, codes: ['FORBIDDEN'], reasons: ['SECOND_FACTOR_ENROLMENT_REQUIRED'] });
        expect(result.errors?.[0].message).toMatch(/beginTotpEnrollment/);
        expect(result.errors?.[0].message).toMatch(/beginPasskeyRegistration/);
      }
    });

    it('refuses the HTTP exports with 403 and the reason', async () => {
      const base = app.url.replace(/\/graphql$/, '');
      for (const path of ['/exports/marketing-list?channel=EMAIL&format=csv', '/exports/processing-activities?format=json',
        '/exports/customers/00000000-0000-4000-8000-000000000000?format=json']) {
        const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        const body = await response.json() as { errors: { extensions: { code: string; reason: string } }[] };
        expect({ path, status: response.status, ext: body.errors[0].extensions })
          .toEqual({ path, status: 403, ext: { code: 'FORBIDDEN', reason: 'SECOND_FACTOR_ENROLMENT_REQUIRED' } });
      }
    });

    it('still lets it sign out', async () => {
      const result = await app.request<{ logout: boolean }>('mutation { logout }', {}, token);
      expect(result.errors).toBeUndefined();
      expect(errorCodes(await app.request('{ me { email } }', {}, token))).toEqual(['UNAUTHENTICATED']);
    });

    it('holders of other roles are not affected', async () => {
      const receptionist = await staffWithRole(await roleId(app, CLEARVIEW, 'Receptionist'));
      expect(receptionist.scope).toBe('FULL');
    });

    it('a passkey requirement also leads to ENROLMENT (a passkey is a second factor)', async () => {
      const assistantRole = await roleId(app, CLEARVIEW, 'Optical assistant');
      expect((await as('chainManager', UPDATE_POLICY, { input: { secondFactorRoleIds: [], passkeyRoleIds: [assistantRole] } })).errors).toBeUndefined();
      const assistant = await staffWithRole(assistantRole);
      expect(assistant.scope).toBe('ENROLMENT');
    });
  });
});
