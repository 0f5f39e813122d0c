/**
 * Passkeys through the real server with a software authenticator: register (options as the WebAuthn spec asks
 * for a discoverable, user-verified credential; the passkey listed without its key; the history holds no key),
 * sign in with an email and without one (discoverable), the session FULL with second factor PASSKEY and the cookie
 * set, alone in its operation; the same answer shape for an unknown email; anonymous and API-token callers refused.
 */
import { createHash } from 'node:crypto';
import { EMAIL } from '../support/actors';
import { errorCodes } from '../support/graphql-client';
import { issueApiToken, serviceAccountId } from '../support/service-tokens';
import { sessionsFor } from '../support/sessions';
import { SoftwareAuthenticator } from '../support/software-authenticator';
import { startTestApp, TestApp } from '../support/test-app';
import {
  beginRegistration, beginSignIn, FINISH_SIGN_IN, finishSignIn, newStaff, PASSKEYS, PasskeyData, reauthenticate, registerPasskey,
} from './passkey-steps';

describe('passkeys: register and sign in', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('registers a passkey: options ask for a discoverable, user-verified credential; listed without its key; history without it', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const begun = await beginRegistration(app, staff.token);
    const options = JSON.parse(begun.optionsJSON) as {
      rp: unknown; user: { name: string; id: string }; authenticatorSelection: unknown; attestation: string; excludeCredentials: unknown[]; challenge: string;
    };
    expect(options.rp).toEqual({ name: 'Visus', id: app.config.webauthn.rpId });
    expect(options.user.name).toBe(staff.email);
    // The user handle is the user's id (16 bytes), never their email.
    expect(Buffer.from(options.user.id, 'base64url').toString('hex')).toBe(staff.id.replace(/-/g, ''));
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.attestation).toBe('none');
    expect(options.excludeCredentials).toEqual([]);
    expect(Buffer.from(options.challenge, 'base64url').length).toBeGreaterThanOrEqual(32);

    const authenticator = new SoftwareAuthenticator(app.config.webauthn.origin);
    const registration = authenticator.register(begun.optionsJSON);
    const finished = await app.request<{ finishPasskeyRegistration: PasskeyData }>(
      'mutation($c: String!, $r: String!, $n: String!) { finishPasskeyRegistration(challenge: $c, response: $r, name: $n) { id name createdAt lastUsedAt } }',
      { c: begun.challenge, r: JSON.stringify(registration), n: '  Work laptop  ' }, staff.token,
    );
    expect(finished.errors).toBeUndefined();
    const passkey = finished.data!.finishPasskeyRegistration;
    expect(passkey).toMatchObject({ name: 'Work laptop', lastUsedAt: null });

    const listed = await app.request<{ passkeys: PasskeyData[] }>(PASSKEYS, {}, staff.token);
    expect(listed.data?.passkeys).toEqual([passkey]);
    const [stored] = await app.ownerCore.query('SELECT user_id, credential_id, counter, chain_id FROM passkey WHERE id = $1', [passkey.id]);
    expect(stored).toMatchObject({ user_id: staff.id, credential_id: registration.id, counter: '0' });

    // Now the account has a second factor: a password session must re-authenticate with it before adding another.
    const refused = await app.request('mutation { beginPasskeyRegistration { challenge } }', {}, staff.token);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REAUTHENTICATION_REQUIRED' });
    const proof = await beginSignIn(app, null, staff.token);
    expect((await reauthenticate(app, staff.token, proof.challenge, authenticator.authenticate(proof.optionsJSON))).errors).toBeUndefined();
    // A second begin excludes it: the authenticator will not make a second credential for this account.
    const again = JSON.parse((await beginRegistration(app, staff.token)).optionsJSON) as { excludeCredentials: { id: string }[] };
    expect(again.excludeCredentials.map((c) => c.id)).toEqual([registration.id]);

    const history: { setting: string; before: unknown; after: Record<string, unknown>; weakened: string[] }[] = await app.ownerCore.query(
      `SELECT setting, before, after, weakened FROM security_setting_change WHERE setting = 'Passkey' AND user_id = $1`, [staff.id],
    );
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ before: {}, after: { id: passkey.id, userId: staff.id, name: 'Work laptop' }, weakened: [] });
    expect(history[0].after.credentialIdHash).toBe(createHash('sha256').update(registration.id).digest('hex'));
    const text = JSON.stringify(history);
    expect(text).not.toContain(registration.id);
    expect(text).not.toContain(registration.response.attestationObject.slice(0, 40));
  });

  it('signs in with the passkey (email given): a FULL session with second factor PASSKEY, cookie set, counter moved', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const authenticator = new SoftwareAuthenticator(app.config.webauthn.origin);
    const passkey = await registerPasskey(app, staff.token, authenticator);

    const begun = await beginSignIn(app, staff.email.toUpperCase());
    const options = JSON.parse(begun.optionsJSON) as { rpId: string; userVerification: string; allowCredentials: { id: string }[] };
    expect(options).toMatchObject({ rpId: app.config.webauthn.rpId, userVerification: 'required' });
    expect(options.allowCredentials.map((c) => c.id)).toEqual([authenticator.credentials[0].id]);

    const response = await fetch(app.url, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: FINISH_SIGN_IN, variables: { c: begun.challenge, r: JSON.stringify(authenticator.authenticate(begun.optionsJSON)) } }),
    });
    const body = await response.json() as { data?: { finishPasskeySignIn: { token: string; scope: string; user: { id: string; email: string } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const session = body.data!.finishPasskeySignIn;
    expect(session).toMatchObject({ scope: 'FULL', user: { id: staff.id, email: staff.email } });
    expect(response.headers.get('set-cookie')).toContain(`visus_session=${session.token}`);

    const [row] = await app.ownerCore.query(
      `SELECT scope, second_factor, authenticated_at FROM session WHERE user_id = $1 AND ended_at IS NULL`, [staff.id],
    );
    expect(row).toMatchObject({ scope: 'FULL', second_factor: 'PASSKEY' });
    // Signing in ended the password session (one browser at a time).
    expect(errorCodes(await app.request('{ me { id } }', {}, staff.token))).toEqual(['UNAUTHENTICATED']);
    expect((await app.request<{ me: { id: string } }>('{ me { id } }', {}, session.token)).data?.me.id).toBe(staff.id);

    const [stored] = await app.ownerCore.query('SELECT counter, last_used_at FROM passkey WHERE id = $1', [passkey.id]);
    expect(stored.counter).toBe('1');
    expect(stored.last_used_at).not.toBeNull();
    const listed = await app.request<{ passkeys: PasskeyData[] }>(PASSKEYS, {}, session.token);
    expect(listed.data?.passkeys[0].lastUsedAt).not.toBeNull();
  });

  it('signs in without an email: the browser offers its discoverable passkey', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const authenticator = new SoftwareAuthenticator(app.config.webauthn.origin);
    await registerPasskey(app, staff.token, authenticator);
    const begun = await beginSignIn(app);
    expect((JSON.parse(begun.optionsJSON) as { allowCredentials?: unknown[] }).allowCredentials ?? []).toEqual([]);
    const signedIn = await finishSignIn(app, begun.challenge, authenticator.authenticate(begun.optionsJSON));
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data?.finishPasskeySignIn).toMatchObject({ scope: 'FULL', user: { id: staff.id } });
  });

  it('answers an unknown email, a user without passkeys and a known one alike (no enumeration), stably', async () => {
    const withKey = await newStaff(app, await tokenOf('chainManager'));
    await registerPasskey(app, withKey.token, new SoftwareAuthenticator(app.config.webauthn.origin));
    const without = await newStaff(app, await tokenOf('chainManager'));
    const shape = (json: string) => {
      const options = JSON.parse(json) as Record<string, unknown> & { allowCredentials: { id: string; type: string }[] };
      return { keys: Object.keys(options).sort(), count: options.allowCredentials.length, idLength: options.allowCredentials.map((c) => Buffer.from(c.id, 'base64url').length > 0) };
    };
    const known = await beginSignIn(app, withKey.email);
    const unknown = await beginSignIn(app, 'nobody.at.all@clearview.example');
    const noKeys = await beginSignIn(app, without.email);
    expect(shape(unknown.optionsJSON)).toEqual(shape(known.optionsJSON));
    expect(shape(noKeys.optionsJSON)).toEqual(shape(known.optionsJSON));
    // The decoy stays the same from one request to the next, like a real credential would.
    const unknownAgain = await beginSignIn(app, 'nobody.at.all@clearview.example');
    const ids = (json: string) => (JSON.parse(json) as { allowCredentials: { id: string }[] }).allowCredentials.map((c) => c.id);
    expect(ids(unknownAgain.optionsJSON)).toEqual(ids(unknown.optionsJSON));
    expect(ids(unknown.optionsJSON)).not.toEqual(ids(noKeys.optionsJSON));
  });

  it('finishPasskeySignIn must be alone in its operation', async () => {
    const result = await app.request(`mutation { finishPasskeySignIn(challenge: "x", response: "{}") { token } me: beginPasskeySignIn { challenge } }`);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].extensions?.field).toBe('finishPasskeySignIn');
  });

  it('refuses anonymous callers (UNAUTHENTICATED) and API tokens (FORBIDDEN) for one’s own passkeys', async () => {
    for (const query of [PASSKEYS, 'mutation { beginPasskeyRegistration { challenge } }', 'mutation { removePasskey(id: "00000000-0000-0000-0000-000000000000") }']) {
      expect(errorCodes(await app.request(query))).toEqual(['UNAUTHENTICATED']);
    }
    const service = await serviceAccountId(app.ownerCore, EMAIL.bi);
    const { token } = await issueApiToken(app.ownerCore, service!, { name: 'passkey test' });
    for (const query of [
      PASSKEYS, 'mutation { beginPasskeyRegistration { challenge } }',
      'mutation { finishPasskeyRegistration(challenge: "x", response: "{}", name: "Key") { id } }',
      'mutation { removePasskey(id: "00000000-0000-0000-0000-000000000000") }',
      'mutation { reauthenticateWithPasskey(challenge: "x", response: "{}") { validUntil } }',
    ]) {
      expect([query, errorCodes(await app.request(query, {}, token))]).toEqual([query, ['FORBIDDEN']]);
    }
  });

  it('refuses malformed input naming the field, and changes nothing', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const begun = await beginRegistration(app, staff.token);
    const authenticator = new SoftwareAuthenticator(app.config.webauthn.origin);
    const registration = JSON.stringify(authenticator.register(begun.optionsJSON));
    const finish = (r: string, n: string, c = begun.challenge) => app.request(
      'mutation($c: String!, $r: String!, $n: String!) { finishPasskeyRegistration(challenge: $c, response: $r, name: $n) { id } }', { c, r, n }, staff.token,
    );
    for (const [response, name, field] of [
      ['not json', 'Laptop', 'response'], ['[]', 'Laptop', 'response'], ['{"id":"abc","rawId":"abc","type":"public-key"}', 'Laptop', 'response'],
      [registration, '   ', 'name'], [registration, 'x'.repeat(101), 'name'], [registration, 'bad\u0007name', 'name'],
    ] as const) {
      const result = await finish(response, name);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0].extensions?.field).toBe(field);
    }
    const unknown = await finish(registration, 'Laptop', '00000000-0000-0000-0000-000000000000');
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'challenge' });
    expect(await app.ownerCore.query('SELECT 1 FROM passkey WHERE user_id = $1', [staff.id])).toEqual([]);
    // The challenge was not spent by refused input: the genuine answer still registers.
    expect((await finish(registration, 'Laptop')).errors).toBeUndefined();
    const badEmail = await app.request('mutation($e: String) { beginPasskeySignIn(email: $e) { challenge } }', { e: '   ' });
    expect(badEmail.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const badSignIn = await finishSignIn(app, begun.challenge, 'not json');
    expect(badSignIn.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'response' });
  });
});
