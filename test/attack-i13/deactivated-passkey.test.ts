/**
 * Attack (issue 13): a deactivated member of staff keeps their passkey on their device. A passkey sign-in begun
 * before the deactivation, or after it, opens no session; their open session ended at once.
 */
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import { SoftwareAuthenticator } from '../support/software-authenticator';
import { beginSignIn, finishSignIn, newStaff, registerPasskey } from '../passkeys/passkey-steps';

const DEACTIVATE = 'mutation($id: ID!) { deactivateUser(id: $id) { id status } }';

describe('attack i13: a deactivated passkey holder', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('signs in with the passkey neither through a challenge from before the deactivation nor a new one', async () => {
    const manager = await tokenOf('chainManager');
    const staff = await newStaff(app, manager);
    const key = new SoftwareAuthenticator(app.config.webauthn.origin);
    await registerPasskey(app, staff.token, key);
    const early = await beginSignIn(app, staff.email);
    expect((await app.request(DEACTIVATE, { id: staff.id }, manager)).errors).toBeUndefined();
    expect(errorCodes(await app.request('{ me { id } }', {}, staff.token))).toEqual(['UNAUTHENTICATED']);
    const first = await finishSignIn(app, early.challenge, key.authenticate(early.optionsJSON));
    expect(errorCodes(first)).toEqual(['UNAUTHENTICATED']);
    const late = await app.request<{ beginPasskeySignIn: { challenge: string; optionsJSON: string } }>(
      'mutation { beginPasskeySignIn { challenge optionsJSON } }', {});
    const options = late.data!.beginPasskeySignIn;
    const second = await finishSignIn(app, options.challenge, key.authenticate(options.optionsJSON));
    expect(errorCodes(second)).toEqual(['UNAUTHENTICATED']);
    expect(second.data?.finishPasskeySignIn ?? null).toBeNull();
  });
});
