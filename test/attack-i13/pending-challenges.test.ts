/**
 * Attack (issue 13): a sign-in challenge is half a sign-in (the password was proved). Whatever ends a user's
 * sessions because the password may be known to someone else, or the account must stop, ends their pending
 * challenges too: after resetUserPassword, changePassword or deactivateUser (then reactivateUser) a challenge
 * handed out before is refused by verifyMfa, even with the right code. Also: an invitation session of a TOTP user
 * cannot replace or add a factor, and a spent recovery code stays spent however it is typed.
 */
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import { BEGIN_REGISTRATION } from '../passkeys/passkey-steps';
import { acceptAs } from '../support/staff-accounts';
import { awayFromStepEdge, BEGIN, challengeFor, enrol, newStaff, PASSWORD, totpCode, VERIFY, VerifyData } from '../mfa/mfa-helpers';

const RESET = 'mutation($id: ID!) { resetUserPassword(userId: $id) { token expiresAt } }';
const DEACTIVATE = 'mutation($id: ID!) { deactivateUser(id: $id) { id status } }';
const REACTIVATE = 'mutation($id: ID!) { reactivateUser(id: $id) { id status } }';
const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }';
const NEW_PASSWORD = 'Cobalt-lighthouse-meadow-9921';

describe('attack i13: pending sign-in challenges and invitation sessions', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('resetUserPassword ends a pending challenge: the old password plus the right code no longer signs in', async () => {
    const manager = await tokenOf('chainManager');
    const staff = await newStaff(app, manager);
    const { secret } = await enrol(app, staff.token);
    const challenge = await challengeFor(app, staff.email);
    const reset = await app.request(RESET, { id: staff.id }, manager);
    expect(reset.errors).toBeUndefined();
    await awayFromStepEdge();
    const result = await app.request<VerifyData>(VERIFY, { c: challenge, code: await totpCode(secret) });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.data?.verifyMfa ?? null).toBeNull();
  });

  it('changePassword ends the pending challenges of the old password', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const { secret } = await enrol(app, staff.token);
    const challenge = await challengeFor(app, staff.email);
    const changed = await app.request(CHANGE, { c: PASSWORD, n: NEW_PASSWORD }, staff.token);
    expect(changed.errors).toBeUndefined();
    await awayFromStepEdge();
    expect(errorCodes(await app.request(VERIFY, { c: challenge, code: await totpCode(secret) }))).toEqual(['UNAUTHENTICATED']);
  });

  it('deactivateUser then reactivateUser: a challenge from before the deactivation stays dead', async () => {
    const manager = await tokenOf('chainManager');
    const staff = await newStaff(app, manager);
    const { secret } = await enrol(app, staff.token);
    const challenge = await challengeFor(app, staff.email);
    expect((await app.request(DEACTIVATE, { id: staff.id }, manager)).errors).toBeUndefined();
    expect((await app.request(REACTIVATE, { id: staff.id }, manager)).errors).toBeUndefined();
    await awayFromStepEdge();
    expect(errorCodes(await app.request(VERIFY, { c: challenge, code: await totpCode(secret) }))).toEqual(['UNAUTHENTICATED']);
  });

  it('the invitation session of a reset TOTP user can neither replace the authenticator nor add a passkey, nor read data', async () => {
    const manager = await tokenOf('chainManager');
    const staff = await newStaff(app, manager);
    await enrol(app, staff.token);
    const reset = await app.request<{ resetUserPassword: { token: string } }>(RESET, { id: staff.id }, manager);
    const accepted = await acceptAs(app, reset.data!.resetUserPassword.token, NEW_PASSWORD);
    expect(accepted.data?.acceptInvitation.scope).toBe('ENROLMENT');
    const session = accepted.data!.acceptInvitation.token;
    const begin = await app.request(BEGIN, {}, session);
    expect(begin.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REAUTHENTICATION_REQUIRED' });
    const passkey = await app.request(BEGIN_REGISTRATION, {}, session);
    expect(passkey.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REAUTHENTICATION_REQUIRED' });
    const read = await app.request('{ users { id } stores { id } a: customers(first: 1) { totalCount } }', {}, session);
    expect(read.data ?? null).toBeNull();
    expect(new Set(errorCodes(read))).toEqual(new Set(['FORBIDDEN']));
  });

  it('a spent recovery code stays spent in any spelling (case, dashes, spaces)', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const { codes } = await enrol(app, staff.token);
    const code = codes[0];
    const first = await app.request<VerifyData>(VERIFY, { c: await challengeFor(app, staff.email), code });
    expect(first.data?.verifyMfa.scope).toBe('FULL');
    for (const spelling of [code.toUpperCase(), code.replace(/-/g, ''), code.replace(/-/g, ' '), ` ${code} `]) {
      const again = await app.request(VERIFY, { c: await challengeFor(app, staff.email), code: spelling });
      expect(errorCodes(again)).toEqual(['UNAUTHENTICATED']);
    }
  });
});
