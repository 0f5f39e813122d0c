/**
 * The edges of MFA sign-in and enrolment through the real server: wrong codes count on the challenge (the fifth
 * kills it and raises SECOND_FACTOR_FAILURES) and toward the login throttle (signing in again buys no more guesses);
 * a challenge expires after 5 minutes and is used once; concurrent begins leave one pending secret, which confirm
 * checks against; concurrent confirms with one code: exactly one wins; replacing a confirmed authenticator needs a
 * second factor proved in the re-authentication window; confirming upgrades an ENROLMENT session to FULL.
 */
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import {
  awayFromStepEdge, BEGIN, BeginData, challengeFor, CONFIRM, ConfirmData, enrol, LOGIN, newStaff, PASSWORD, totpCode, VERIFY, VerifyData,
} from './mfa-helpers';

describe('MFA challenges and enrolment edges', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  const wrong = async (secret: string): Promise<string> => {
    const good = new Set([await totpCode(secret, -1), await totpCode(secret), await totpCode(secret, 1)]);
    for (const candidate of ['000000', '111111', '222222', '333333']) if (!good.has(candidate)) return candidate;
    throw new Error('unreachable');
  };

  it('five wrong codes kill the challenge, raise SECOND_FACTOR_FAILURES and throttle the email', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const { secret } = await enrol(app, staff.token);
    const challenge = await challengeFor(app, staff.email);
    const bad = await wrong(secret);
    for (let i = 0; i < 5; i += 1) {
      const result = await app.request(VERIFY, { c: challenge, code: bad });
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    }
    expect((await app.ownerCore.query('SELECT failures, used_at IS NOT NULL AS dead FROM mfa_challenge WHERE user_id = $1', [staff.id]))[0]).toEqual({ failures: 5, dead: true });
    const events = await app.ownerCore.query('SELECT kind, observed_count, threshold FROM security_event WHERE user_id = $1', [staff.id]);
    expect(events).toEqual([{ kind: 'SECOND_FACTOR_FAILURES', observed_count: 5, threshold: 5 }]);
    // The right code no longer helps: the challenge is dead, and the email is throttled (five failures).
    await awayFromStepEdge();
    expect(errorCodes(await app.request(VERIFY, { c: challenge, code: await totpCode(secret) }))).toEqual(['UNAUTHENTICATED']);
    const login = await app.request(LOGIN, { e: staff.email, p: PASSWORD });
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
    expect(login.errors?.[0].message).toMatch(/Too many failed sign-ins/);
  });

  it('signing in again does not reset the count: wrong codes on several challenges add up', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const { secret } = await enrol(app, staff.token);
    const bad = await wrong(secret);
    for (let round = 0; round < 2; round += 1) {
      const challenge = await challengeFor(app, staff.email);
      for (let i = 0; i < 2; i += 1) expect(errorCodes(await app.request(VERIFY, { c: challenge, code: bad }))).toEqual(['UNAUTHENTICATED']);
    }
    // Four failures: one more try is allowed, and a wrong one makes five.
    const challenge = await challengeFor(app, staff.email);
    expect(errorCodes(await app.request(VERIFY, { c: challenge, code: bad }))).toEqual(['UNAUTHENTICATED']);
    await awayFromStepEdge();
    const refused = await app.request(VERIFY, { c: challenge, code: await totpCode(secret) });
    expect(refused.errors?.[0].message).toMatch(/Too many failed sign-ins/);
  });

  it('a success resets the count; a challenge is used once and expires after 5 minutes', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const { secret } = await enrol(app, staff.token);
    const bad = await wrong(secret);
    await awayFromStepEdge();
    const challenge = await challengeFor(app, staff.email);
    expect(errorCodes(await app.request(VERIFY, { c: challenge, code: bad }))).toEqual(['UNAUTHENTICATED']);
    expect((await app.request<VerifyData>(VERIFY, { c: challenge, code: await totpCode(secret) })).data?.verifyMfa.token).toBeTruthy();
    // Used: even the next step's code is refused on it.
    expect(errorCodes(await app.request(VERIFY, { c: challenge, code: await totpCode(secret, 1) }))).toEqual(['UNAUTHENTICATED']);
    const [row] = await app.ownerCore.query(`SELECT extract(epoch FROM expires_at - created_at)::int AS seconds FROM mfa_challenge WHERE user_id = $1 LIMIT 1`, [staff.id]);
    expect(row.seconds).toBeGreaterThanOrEqual(299);
    expect(row.seconds).toBeLessThanOrEqual(301);

    const late = await challengeFor(app, staff.email);
    await app.ownerCore.query(`UPDATE mfa_challenge SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND used_at IS NULL`, [staff.id]);
    const expired = await app.request(VERIFY, { c: late, code: await totpCode(secret, 1) });
    expect(errorCodes(expired)).toEqual(['UNAUTHENTICATED']);
    expect(expired.errors?.[0].message).toMatch(/expired/);
  });

  it('concurrent begins leave one pending secret; confirm checks against it; concurrent confirms: exactly one wins', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    await awayFromStepEdge(6);
    const begun = await Promise.all([1, 2, 3].map(() => app.request<BeginData>(BEGIN, {}, staff.token)));
    const secrets = begun.map((b) => b.data!.beginTotpEnrollment.secret);
    expect(new Set(secrets).size).toBe(3);
    const [pending] = await app.ownerCore.query(`SELECT pending_secret, secret FROM user_totp WHERE user_id = $1`, [staff.id]);
    expect(pending.secret).toBeNull();
    const survivor = secrets.find((s) => (pending.pending_secret as Buffer).equals(base32Bytes(s)));
    expect(survivor).toBeDefined();
    const loser = secrets.find((s) => s !== survivor)!;
    const refused = await app.request(CONFIRM, { code: await totpCode(loser) }, staff.token);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });

    const code = await totpCode(survivor!);
    const confirms = await Promise.all([1, 2, 3].map(() => app.request<ConfirmData>(CONFIRM, { code }, staff.token)));
    expect(confirms.filter((c) => c.data?.confirmTotpEnrollment?.codes.length === 10)).toHaveLength(1);
    expect(confirms.filter((c) => errorCodes(c).includes('BAD_USER_INPUT'))).toHaveLength(2);
    expect((await app.ownerCore.query('SELECT count(*)::int AS n FROM recovery_code WHERE user_id = $1', [staff.id]))[0].n).toBe(10);
    // The confirming code's step is used: it does not sign in.
    expect(errorCodes(await app.request(VERIFY, { c: await challengeFor(app, staff.email), code }))).toEqual(['UNAUTHENTICATED']);
  });

  it('replacing a confirmed authenticator needs a second factor proved within the re-authentication window', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const { secret, codes } = await enrol(app, staff.token);
    // The invitation's session proved no second factor.
    const refused = await app.request(BEGIN, {}, staff.token);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REAUTHENTICATION_REQUIRED' });

    await awayFromStepEdge(6);
    const signedIn = await app.request<VerifyData>(VERIFY, { c: await challengeFor(app, staff.email), code: await totpCode(secret) });
    const token = signedIn.data!.verifyMfa.token;
    const begun = await app.request<BeginData>(BEGIN, {}, token);
    expect(begun.errors).toBeUndefined();
    const next = begun.data!.beginTotpEnrollment.secret;
    // Until the new one is confirmed, the old one still signs in (and the old recovery codes still work).
    expect((await app.request<VerifyData>(VERIFY, { c: await challengeFor(app, staff.email), code: codes[0] })).errors).toBeUndefined();
    const fresh = (await app.request<VerifyData>(VERIFY, { c: await challengeFor(app, staff.email), code: await totpCode(secret, 1) })).data!.verifyMfa.token;
    const replaced = await app.request<ConfirmData>(CONFIRM, { code: await totpCode(next) }, fresh);
    expect(replaced.errors).toBeUndefined();
    // The old secret and the old recovery codes are gone.
    expect(errorCodes(await app.request(VERIFY, { c: await challengeFor(app, staff.email), code: codes[1] }))).toEqual(['UNAUTHENTICATED']);

    // Outside the window: refused again.
    const later = (await app.request<VerifyData>(VERIFY, { c: await challengeFor(app, staff.email), code: replaced.data!.confirmTotpEnrollment.codes[0] })).data!.verifyMfa.token;
    await app.ownerCore.query(`UPDATE session SET authenticated_at = now() - interval '6 minutes' WHERE user_id = $1 AND ended_at IS NULL`, [staff.id]);
    const stale = await app.request(BEGIN, {}, later);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REAUTHENTICATION_REQUIRED' });
  });

  it('confirming upgrades an ENROLMENT session to FULL (the confirm proved the code)', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    // An enrolment-only session, as login gives when the chain's policy requires a second factor not yet enrolled.
    await app.ownerCore.query(`UPDATE session SET scope = 'ENROLMENT' WHERE user_id = $1 AND ended_at IS NULL`, [staff.id]);
    await enrol(app, staff.token);
    const [session] = await app.ownerCore.query('SELECT scope, second_factor FROM session WHERE user_id = $1 AND ended_at IS NULL', [staff.id]);
    expect(session).toEqual({ scope: 'FULL', second_factor: 'TOTP' });
  });
});

function base32Bytes(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of text) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
