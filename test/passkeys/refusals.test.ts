/**
 * What a passkey ceremony refuses, each through the real server with the software authenticator: another origin,
 * another RP ID, no user verification (registration and sign-in); a replayed, expired or registration challenge; a
 * tampered signature; a counter that does not increase (a cloned authenticator); an unknown credential; a user
 * handle naming another user; a deactivated user. Every sign-in refusal is one UNAUTHENTICATED message, and no
 * session is opened. Concurrency: one challenge answered twice at once opens exactly one session, registers
 * exactly one passkey. Failures count toward the login throttle of the credential's owner.
 */
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { SoftwareAuthenticator, withTamperedSignature } from '../support/software-authenticator';
import { startTestApp, TestApp } from '../support/test-app';
import {
  beginRegistration, beginSignIn, finishRegistration, finishSignIn, newStaff, reauthenticate, registerPasskey, SignInData, Staff,
} from './passkey-steps';

describe('passkeys: refusals', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  const openSessions = async (userId: string): Promise<number> =>
    Number((await app.ownerCore.query('SELECT count(*) AS n FROM session WHERE user_id = $1 AND ended_at IS NULL', [userId]))[0].n);

  async function staffWithPasskey(): Promise<Staff & { authenticator: SoftwareAuthenticator }> {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const authenticator = new SoftwareAuthenticator(app.config.webauthn.origin);
    await registerPasskey(app, staff.token, authenticator);
    return { ...staff, authenticator };
  }

  const expectRefused = (result: GraphQLResult<SignInData>) => {
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors?.[0].message).toBe('Passkey not accepted; start again.');
    expect(result.data?.finishPasskeySignIn ?? null).toBeNull();
    expect(result.headers.get('set-cookie')).toBeNull();
  };

  it('registration: refuses another origin, another RP ID, no user verification, a sign-in type; nothing stored', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const authenticator = new SoftwareAuthenticator(app.config.webauthn.origin);
    for (const tweaks of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { noUserVerification: true }, { type: 'webauthn.get' }]) {
      const begun = await beginRegistration(app, staff.token);
      const result = await finishRegistration(app, staff.token, begun.challenge, authenticator.register(begun.optionsJSON, tweaks));
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'response' });
    }
    // Another session's (here: another user's) registration challenge is not this session's.
    const other = await newStaff(app, await tokenOf('chainManager'));
    const theirs = await beginRegistration(app, other.token);
    const stolen = await finishRegistration(app, staff.token, theirs.challenge, authenticator.register(theirs.optionsJSON));
    expect(stolen.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'challenge' });
    expect(await app.ownerCore.query('SELECT 1 FROM passkey WHERE user_id = ANY($1)', [[staff.id, other.id]])).toEqual([]);
  });

  it('registration: a challenge registers once (a replayed finish is refused)', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const authenticator = new SoftwareAuthenticator(app.config.webauthn.origin);
    const begun = await beginRegistration(app, staff.token);
    const response = authenticator.register(begun.optionsJSON);
    expect((await finishRegistration(app, staff.token, begun.challenge, response)).errors).toBeUndefined();
    // With a passkey now, registering needs a fresh proof: give it, so the replay meets only the spent challenge.
    const proof = await beginSignIn(app, staff.email);
    expect((await reauthenticate(app, staff.token, proof.challenge, authenticator.authenticate(proof.optionsJSON))).errors).toBeUndefined();
    const replay = await finishRegistration(app, staff.token, begun.challenge, response);
    expect(replay.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'challenge' });
  });

  it('sign-in: refuses another origin, another RP ID, no user verification; the refused challenge is spent', async () => {
    for (const tweaks of [{ origin: 'https://evil.example' }, { origin: 'http://localhost:1' }, { rpId: 'evil.example' }, { noUserVerification: true }, { type: 'webauthn.create' }]) {
      // A user each: two failures apiece stay under the throttle.
      const staff = await staffWithPasskey();
      const begun = await beginSignIn(app, staff.email);
      expectRefused(await finishSignIn(app, begun.challenge, staff.authenticator.authenticate(begun.optionsJSON, tweaks)));
      // The challenge is gone even though the answer failed: a genuine answer to it is refused too.
      expectRefused(await finishSignIn(app, begun.challenge, staff.authenticator.authenticate(begun.optionsJSON)));
      expect(await openSessions(staff.id)).toBe(1); // only the password session from the invitation
      const [row] = await app.ownerCore.query('SELECT second_factor FROM session WHERE user_id = $1 AND ended_at IS NULL', [staff.id]);
      expect(row.second_factor).toBeNull();
    }
  });

  it('sign-in: a replayed answer, an expired challenge and a registration challenge are refused', async () => {
    const staff = await staffWithPasskey();
    const begun = await beginSignIn(app, staff.email);
    const answer = staff.authenticator.authenticate(begun.optionsJSON);
    expect((await finishSignIn(app, begun.challenge, answer)).errors).toBeUndefined();
    expectRefused(await finishSignIn(app, begun.challenge, answer));

    const late = await beginSignIn(app, staff.email);
    await app.ownerCore.query(`UPDATE webauthn_challenge SET expires_at = now() - interval '1 second' WHERE id = $1`, [late.challenge]);
    expectRefused(await finishSignIn(app, late.challenge, staff.authenticator.authenticate(late.optionsJSON)));

    const signedIn = (await app.ownerCore.query('SELECT id FROM session WHERE user_id = $1 AND ended_at IS NULL', [staff.id])).length;
    expect(signedIn).toBe(1);
    expectRefused(await finishSignIn(app, '00000000-0000-0000-0000-000000000000', staff.authenticator.authenticate(late.optionsJSON)));
    expectRefused(await finishSignIn(app, 'not-a-uuid', staff.authenticator.authenticate(late.optionsJSON)));

    // A registration challenge is not a sign-in challenge.
    const other = await newStaff(app, await tokenOf('chainManager'));
    const registration = await beginRegistration(app, other.token);
    const options = JSON.parse(registration.optionsJSON) as { challenge: string; rp: { id: string } };
    expectRefused(await finishSignIn(app, registration.challenge, staff.authenticator.authenticate({ challenge: options.challenge, rpId: options.rp.id })));
  });

  it('sign-in: a tampered signature, an altered authenticator data or client data are refused', async () => {
    const staff = await staffWithPasskey();
    let begun = await beginSignIn(app, staff.email);
    expectRefused(await finishSignIn(app, begun.challenge, withTamperedSignature(staff.authenticator.authenticate(begun.optionsJSON))));

    begun = await beginSignIn(app, staff.email);
    const answer = staff.authenticator.authenticate(begun.optionsJSON);
    const authData = Buffer.from(answer.response.authenticatorData, 'base64url');
    authData[authData.length - 1] ^= 0x01; // the counter, after signing
    expectRefused(await finishSignIn(app, begun.challenge, { ...answer, response: { ...answer.response, authenticatorData: authData.toString('base64url') } }));

    begun = await beginSignIn(app, staff.email);
    const other = await beginSignIn(app, staff.email);
    const forOther = staff.authenticator.authenticate(other.optionsJSON);
    // An answer signed for another challenge, handed in for this one.
    expectRefused(await finishSignIn(app, begun.challenge, forOther));
  });

  it('sign-in: a counter that does not move forward (a cloned authenticator) is refused, and the stored counter stays', async () => {
    const staff = await staffWithPasskey();
    let begun = await beginSignIn(app, staff.email);
    expect((await finishSignIn(app, begun.challenge, staff.authenticator.authenticate(begun.optionsJSON, { counter: 5 }))).errors).toBeUndefined();
    for (const counter of [5, 4, 0]) {
      begun = await beginSignIn(app, staff.email);
      expectRefused(await finishSignIn(app, begun.challenge, staff.authenticator.authenticate(begun.optionsJSON, { counter })));
    }
    const [stored] = await app.ownerCore.query('SELECT counter FROM passkey WHERE user_id = $1', [staff.id]);
    expect(stored.counter).toBe('5');
    begun = await beginSignIn(app, staff.email);
    expect((await finishSignIn(app, begun.challenge, staff.authenticator.authenticate(begun.optionsJSON, { counter: 6 }))).errors).toBeUndefined();
  });

  it('sign-in: an authenticator that keeps no counter (always 0, as synced passkeys do) signs in again and again', async () => {
    const staff = await staffWithPasskey();
    for (let i = 0; i < 3; i += 1) {
      const begun = await beginSignIn(app, staff.email);
      expect((await finishSignIn(app, begun.challenge, staff.authenticator.authenticate(begun.optionsJSON, { counter: 0 }))).errors).toBeUndefined();
    }
    const [stored] = await app.ownerCore.query('SELECT counter FROM passkey WHERE user_id = $1', [staff.id]);
    expect(stored.counter).toBe('0');
  });

  it('sign-in: an unknown credential, a user handle naming another user and a deactivated user are refused', async () => {
    const alice = await staffWithPasskey();
    const bob = await staffWithPasskey();
    // A credential the server never registered (another authenticator's).
    const stranger = new SoftwareAuthenticator(app.config.webauthn.origin);
    stranger.register(JSON.parse((await beginRegistration(app, (await newStaff(app, await tokenOf('chainManager'))).token)).optionsJSON));
    let begun = await beginSignIn(app);
    expectRefused(await finishSignIn(app, begun.challenge, stranger.authenticate(begun.optionsJSON)));

    // Alice's credential presented with Bob's user handle.
    begun = await beginSignIn(app);
    const bobHandle = bob.authenticator.credentials[0].userHandle;
    expectRefused(await finishSignIn(app, begun.challenge, alice.authenticator.authenticate(begun.optionsJSON, { userHandle: bobHandle })));

    // Deactivated: the passkey no longer signs in.
    const deactivated = await app.request('mutation($id: ID!) { deactivateUser(id: $id) { status } }', { id: alice.id }, await tokenOf('chainManager'));
    expect(deactivated.errors).toBeUndefined();
    begun = await beginSignIn(app, alice.email);
    expectRefused(await finishSignIn(app, begun.challenge, alice.authenticator.authenticate(begun.optionsJSON, { credentialId: alice.authenticator.credentials[0].id })));
    expect(await openSessions(alice.id)).toBe(0);
  });

  it('concurrency: one challenge answered twice at once opens exactly one session; one registration challenge registers one passkey', async () => {
    const staff = await staffWithPasskey();
    const begun = await beginSignIn(app, staff.email);
    const answer = staff.authenticator.authenticate(begun.optionsJSON);
    const results = await Promise.all(Array.from({ length: 4 }, () => finishSignIn(app, begun.challenge, answer)));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    for (const refused of results.filter((r) => r.errors)) expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    const winner = results.find((r) => !r.errors)!.data!.finishPasskeySignIn;
    expect((await app.request<{ me: { id: string } }>('{ me { id } }', {}, winner.token)).data?.me.id).toBe(staff.id);
    const [{ n }] = await app.ownerCore.query(`SELECT count(*) AS n FROM session WHERE user_id = $1 AND second_factor = 'PASSKEY'`, [staff.id]);
    expect(Number(n)).toBe(1);

    const fresh = await newStaff(app, await tokenOf('chainManager'));
    const registration = await beginRegistration(app, fresh.token);
    const response = new SoftwareAuthenticator(app.config.webauthn.origin).register(registration.optionsJSON);
    const finished = await Promise.all(Array.from({ length: 3 }, () => finishRegistration(app, fresh.token, registration.challenge, response)));
    expect(finished.filter((r) => !r.errors).length).toBe(1);
    // The losers meet the spent challenge, or (once the winner committed) an account that now has a second factor.
    for (const refused of finished.filter((r) => r.errors)) expect(['BAD_USER_INPUT', 'UNAUTHENTICATED']).toContain(errorCodes(refused)[0]);
    expect(await app.ownerCore.query('SELECT 1 FROM passkey WHERE user_id = $1', [fresh.id])).toHaveLength(1);
  });

  it('failures count toward the login throttle of the credential’s owner: then even a genuine answer is refused', async () => {
    const staff = await staffWithPasskey();
    for (let i = 0; i < app.config.loginMaxFailures; i += 1) {
      const begun = await beginSignIn(app, staff.email);
      expectRefused(await finishSignIn(app, begun.challenge, withTamperedSignature(staff.authenticator.authenticate(begun.optionsJSON))));
    }
    const begun = await beginSignIn(app, staff.email);
    const refused = await finishSignIn(app, begun.challenge, staff.authenticator.authenticate(begun.optionsJSON));
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors?.[0].message).toMatch(/Too many failed sign-ins/);
    // The password is throttled too: it is one account.
    const login = await app.request('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: staff.email, p: 'Ultramarine-kettle-drum-4417' });
    expect(login.errors?.[0].message).toMatch(/Too many failed sign-ins/);
  });
});
