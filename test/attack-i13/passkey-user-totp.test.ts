/**
 * Attack (issue 13): an insider who may reset passwords takes over a passkey user. resetUserPassword hands the
 * admin a one-time invitation; accepting it gives an ENROLMENT session (an invitation is one factor). A user with a
 * second factor must not be able to add another one from such a session: beginTotpEnrollment, like
 * beginPasskeyRegistration, needs a second factor proved on the session within the re-authentication window, so the
 * admin can neither enrol their own authenticator app nor upgrade the session to FULL, and the next password login
 * still asks for the passkey.
 */
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import { acceptAs } from '../support/staff-accounts';
import { SoftwareAuthenticator } from '../support/software-authenticator';
import { newStaff, registerPasskey } from '../passkeys/passkey-steps';
import { awayFromStepEdge, BEGIN, BeginData, CONFIRM, LOGIN, LoginData, totpCode } from '../mfa/mfa-helpers';
import { sessionRow } from '../auth-policy/auth-policy-support';

const RESET = 'mutation($id: ID!) { resetUserPassword(userId: $id) { token } }';
const ADMIN_PASSWORD = 'Admin-chose-this-one-8812';

describe('attack i13: a reset passkey user', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('the invitation session cannot enrol an authenticator app on an account that has a passkey', async () => {
    const manager = await tokenOf('chainManager');
    const victim = await newStaff(app, manager);
    await registerPasskey(app, victim.token, new SoftwareAuthenticator(app.config.webauthn.origin));
    const reset = await app.request<{ resetUserPassword: { token: string } }>(RESET, { id: victim.id }, manager);
    const accepted = await acceptAs(app, reset.data!.resetUserPassword.token, ADMIN_PASSWORD);
    const session = accepted.data!.acceptInvitation.token;
    expect(accepted.data!.acceptInvitation.scope).toBe('ENROLMENT');

    await awayFromStepEdge();
    const begun = await app.request<BeginData>(BEGIN, {}, session);
    expect(begun.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REAUTHENTICATION_REQUIRED' });
    const secret = begun.data?.beginTotpEnrollment?.secret;
    if (secret) await app.request(CONFIRM, { code: await totpCode(secret, -1) }, session);
    expect((await sessionRow(app, session)).scope).toBe('ENROLMENT');
    const login = await app.request<LoginData>(LOGIN, { e: victim.email, p: ADMIN_PASSWORD });
    expect(login.data?.login?.mfaRequired ?? false).toBe(false);
    expect(login.data?.login?.token ?? null).toBeNull();
    const totp = await app.ownerCore.query('SELECT confirmed_at FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL', [victim.id]);
    expect(totp).toEqual([]);
  });
});
