/**
 * The README's "Try MFA" walk-through: the seeded demo user mfa.optometrist@clearview.example signs in with the demo
 * password, gets a challenge, and completes it with the code an authenticator app computes from the published secret
 * JBSWY3DPEHPK3PXP; she is then an optometrist at Harrogate like any other (her session's second factor is TOTP).
 */
import { DEMO_PASSWORD, MFA_DEMO_USER } from '../support/actors';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { awayFromStepEdge, LOGIN, LoginData, totpCode, VERIFY, VerifyData } from './mfa-helpers';

describe('the MFA demo user', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('signs in with the demo password and a code from JBSWY3DPEHPK3PXP', async () => {
    const login = await app.request<LoginData>(LOGIN, { e: MFA_DEMO_USER.email, p: DEMO_PASSWORD });
    expect(login.data?.login).toMatchObject({ mfaRequired: true, token: null, user: null });
    await awayFromStepEdge();
    const code = await totpCode(MFA_DEMO_USER.totpSecret);
    const verified = await app.request<VerifyData>(VERIFY, { c: login.data!.login.challenge, code });
    expect(verified.errors).toBeUndefined();
    expect(verified.data?.verifyMfa).toMatchObject({ scope: 'FULL', user: { email: MFA_DEMO_USER.email } });
    const token = verified.data!.verifyMfa.token;
    const me = await app.request<{ me: { name: string; profession: string } }>('{ me { name profession } }', {}, token);
    expect(me.data?.me).toEqual({ name: MFA_DEMO_USER.name, profession: 'OPTOMETRIST' });
    const stores = await app.request<{ stores: { name: string }[] }>('{ stores { name } }', {}, token);
    expect(stores.data?.stores.map((s) => s.name)).toEqual(['Harrogate']);
    const [session] = await app.ownerCore.query(
      `SELECT s.second_factor FROM session s JOIN staff_user u ON u.id = s.user_id WHERE u.email = $1 AND s.ended_at IS NULL`, [MFA_DEMO_USER.email],
    );
    expect(session.second_factor).toBe('TOTP');
    // The same code is not accepted twice.
    const again = await app.request<LoginData>(LOGIN, { e: MFA_DEMO_USER.email, p: DEMO_PASSWORD });
    expect(errorCodes(await app.request(VERIFY, { c: again.data!.login.challenge, code }))).toEqual(['UNAUTHENTICATED']);
  });

  it('a wrong password is refused as for anyone, with no challenge', async () => {
    const login = await app.request<LoginData>(LOGIN, { e: MFA_DEMO_USER.email, p: `${DEMO_PASSWORD}x` });
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
    expect(login.errors?.[0].message).toBe('Email or password is wrong.');
  });
});
