/**
 * Managing one's passkeys through the real server: reauthenticateWithPasskey (one's own passkey only; moves the
 * session's authenticated_at; a fresh proof for the window), removePasskey (own only, NOT_FOUND otherwise; needs a
 * recent proof, else UNAUTHENTICATED with reason REAUTHENTICATION_REQUIRED; history `Passkey` names it weakened and
 * a SETTING_WEAKENED event is raised), and who may register: a user without a second factor from any session
 * (ENROLMENT included), a user with one only after a recent proof with a second factor.
 */
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { SoftwareAuthenticator } from '../support/software-authenticator';
import { startTestApp, TestApp } from '../support/test-app';
import {
  BEGIN_REGISTRATION, beginSignIn, finishSignIn, newStaff, PASSKEYS, PasskeyData, reasonOf, reauthenticate, registerPasskey, REMOVE,
} from './passkey-steps';

describe('passkeys: re-authentication, removal and who may register', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  const ageProof = (userId: string, minutes: number) => app.ownerCore.query(
    `UPDATE session SET authenticated_at = now() - make_interval(mins => $2) WHERE user_id = $1 AND ended_at IS NULL`, [userId, minutes],
  );

  it('reauthenticateWithPasskey: one’s own passkey moves authenticated_at; another user’s credential is refused', async () => {
    const alice = await newStaff(app, await tokenOf('chainManager'), 'Alice Moreau');
    const bob = await newStaff(app, await tokenOf('chainManager'), 'Bob Adeyemi');
    const aliceKey = new SoftwareAuthenticator(app.config.webauthn.origin);
    const bobKey = new SoftwareAuthenticator(app.config.webauthn.origin);
    await registerPasskey(app, alice.token, aliceKey);
    await registerPasskey(app, bob.token, bobKey);
    await ageProof(alice.id, 30);

    let begun = await beginSignIn(app, null, alice.token);
    const stolen = await reauthenticate(app, alice.token, begun.challenge, bobKey.authenticate(begun.optionsJSON));
    expect(errorCodes(stolen)).toEqual(['UNAUTHENTICATED']);
    // Bob's counter did not move for Alice's refused attempt.
    const [bobStored] = await app.ownerCore.query('SELECT counter FROM passkey WHERE user_id = $1', [bob.id]);
    expect(bobStored.counter).toBe('0');
    // Alice is still signed in (a refused re-authentication does not end the session), still with the old proof.
    expect((await app.request('{ me { id } }', {}, alice.token)).errors).toBeUndefined();
    const [before] = await app.ownerCore.query('SELECT authenticated_at, second_factor FROM session WHERE user_id = $1 AND ended_at IS NULL', [alice.id]);
    expect(Date.now() - new Date(before.authenticated_at).getTime()).toBeGreaterThan(29 * 60_000);

    begun = await beginSignIn(app, null, alice.token);
    const started = Date.now();
    const proved = await reauthenticate(app, alice.token, begun.challenge, aliceKey.authenticate(begun.optionsJSON));
    expect(proved.errors).toBeUndefined();
    const { authenticatedAt, validUntil } = proved.data!.reauthenticateWithPasskey;
    expect(new Date(authenticatedAt).getTime()).toBeGreaterThanOrEqual(started - 5_000);
    expect(new Date(validUntil).getTime() - new Date(authenticatedAt).getTime()).toBe(app.config.reauthWindowMinutes * 60_000);
    const [after] = await app.ownerCore.query('SELECT authenticated_at, second_factor FROM session WHERE user_id = $1 AND ended_at IS NULL', [alice.id]);
    expect(new Date(after.authenticated_at).toISOString()).toBe(new Date(authenticatedAt).toISOString());
    expect(after.second_factor).toBe('PASSKEY');
    // The same answer again: the challenge is spent.
    expect(errorCodes(await reauthenticate(app, alice.token, begun.challenge, aliceKey.authenticate(begun.optionsJSON)))).toEqual(['UNAUTHENTICATED']);
    // Anonymous: UNAUTHENTICATED without touching anything.
    expect(errorCodes(await app.request('mutation { reauthenticateWithPasskey(challenge: "x", response: "{}") { validUntil } }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('removePasskey: own only, after a recent proof; history names it weakened; SETTING_WEAKENED raised', async () => {
    const alice = await newStaff(app, await tokenOf('chainManager'), 'Alice Moreau');
    const bob = await newStaff(app, await tokenOf('chainManager'), 'Bob Adeyemi');
    const aliceKey = new SoftwareAuthenticator(app.config.webauthn.origin);
    const passkey = await registerPasskey(app, alice.token, aliceKey, 'Phone');
    const bobPasskey = await registerPasskey(app, bob.token, new SoftwareAuthenticator(app.config.webauthn.origin));

    // Someone else's passkey, or no such id: NOT_FOUND, nothing removed.
    for (const id of [bobPasskey.id, '00000000-0000-0000-0000-000000000000']) {
      expect(errorCodes(await app.request(REMOVE, { id }, alice.token))).toEqual(['NOT_FOUND']);
    }
    expect((await app.request(REMOVE, { id: 'not-an-id' }, alice.token)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(await app.ownerCore.query('SELECT 1 FROM passkey WHERE id = $1', [bobPasskey.id])).toHaveLength(1);

    await ageProof(alice.id, app.config.reauthWindowMinutes + 1);
    const stale = await app.request(REMOVE, { id: passkey.id }, alice.token);
    expect(errorCodes(stale)).toEqual(['UNAUTHENTICATED']);
    expect(reasonOf(stale)).toBe('REAUTHENTICATION_REQUIRED');
    expect(await app.ownerCore.query('SELECT 1 FROM passkey WHERE id = $1', [passkey.id])).toHaveLength(1);

    const begun = await beginSignIn(app, alice.email, alice.token);
    expect((await reauthenticate(app, alice.token, begun.challenge, aliceKey.authenticate(begun.optionsJSON))).errors).toBeUndefined();
    const removed = await app.request<{ removePasskey: boolean }>(REMOVE, { id: passkey.id }, alice.token);
    expect(removed.errors).toBeUndefined();
    expect(removed.data?.removePasskey).toBe(true);
    expect((await app.request<{ passkeys: PasskeyData[] }>(PASSKEYS, {}, alice.token)).data?.passkeys).toEqual([]);

    const history: { before: Record<string, unknown>; after: unknown; weakened: string[] }[] = await app.ownerCore.query(
      `SELECT before, after, weakened FROM security_setting_change WHERE setting = 'Passkey' AND user_id = $1 ORDER BY seq`, [alice.id],
    );
    expect(history.map((h) => h.weakened)).toEqual([[], ['passkeys']]);
    expect(history[1]).toMatchObject({ before: { id: passkey.id, name: 'Phone' }, after: {} });
    const events = await app.ownerCore.query(
      `SELECT threshold, observed_count FROM security_event WHERE kind = 'SETTING_WEAKENED' AND setting = 'passkeys' AND user_id = $1`, [alice.id],
    );
    expect(events).toEqual([{ threshold: 1, observed_count: 0 }]);

    // The removed passkey no longer signs in.
    const signIn = await beginSignIn(app);
    expect(errorCodes(await finishSignIn(app, signIn.challenge, aliceKey.authenticate(signIn.optionsJSON)))).toEqual(['UNAUTHENTICATED']);
  });

  it('who may register: no second factor → any session (ENROLMENT too); with one → only after a recent proof with it', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    // An ENROLMENT session (what a policy requiring a second factor gives a user without one).
    await app.ownerCore.query(`UPDATE session SET scope = 'ENROLMENT' WHERE user_id = $1 AND ended_at IS NULL`, [staff.id]);
    const key = new SoftwareAuthenticator(app.config.webauthn.origin);
    await registerPasskey(app, staff.token, key, 'First');

    // Now the account has a second factor: this password session (no second factor proved) may not add another,
    // however recent its sign-in.
    const refused = await app.request(BEGIN_REGISTRATION, {}, staff.token);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(reasonOf(refused)).toBe('REAUTHENTICATION_REQUIRED');

    // Signed in with the passkey: FULL, and adding another passkey works while the proof is recent…
    const begun = await beginSignIn(app, staff.email);
    const session = (await finishSignIn(app, begun.challenge, key.authenticate(begun.optionsJSON))).data!.finishPasskeySignIn;
    expect(session.scope).toBe('FULL');
    const second = new SoftwareAuthenticator(app.config.webauthn.origin);
    await registerPasskey(app, session.token, second, 'Second');
    // …and not once it is stale.
    await ageProof(staff.id, app.config.reauthWindowMinutes + 1);
    expect(reasonOf(await app.request(BEGIN_REGISTRATION, {}, session.token))).toBe('REAUTHENTICATION_REQUIRED');
    const names = (await app.request<{ passkeys: PasskeyData[] }>(PASSKEYS, {}, session.token)).data?.passkeys.map((p) => p.name);
    expect(names).toEqual(['First', 'Second']);
    // Each user sees only their own.
    expect((await app.request<{ passkeys: PasskeyData[] }>(PASSKEYS, {}, await tokenOf('chainManager'))).data?.passkeys).toEqual([]);
  });
});
