/**
 * TOTP through the real server: beginTotpEnrollment → confirmTotpEnrollment (ten recovery codes, once) → login
 * answers only a challenge (no token, no session row, no cookie) → verifyMfa with the authenticator's code opens the
 * session (second factor TOTP, cookie set). A code's time step is accepted once (replay refused, also across two
 * challenges); a recovery code works once (case and dashes forgiven) and raises RECOVERY_CODE_USED; the history
 * records SecondFactor without secret, codes or hashes; anonymous callers and API tokens are refused.
 */
import { createHash } from 'node:crypto';
import { signIn } from '../support/actors';
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import {
  awayFromStepEdge, BEGIN, BeginData, challengeFor, CONFIRM, ConfirmData, enrol, LOGIN, LoginData, newStaff, PASSWORD, totpCode, VERIFY, VerifyData,
} from './mfa-helpers';

const sha256hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('TOTP enrolment and MFA sign-in', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  async function openSessions(userId: string): Promise<{ id: string; second_factor: string | null; scope: string }[]> {
    return app.ownerCore.query('SELECT id, second_factor, scope FROM session WHERE user_id = $1 AND ended_at IS NULL', [userId]);
  }

  it('enrol → confirm → login gives a challenge only → verifyMfa opens the session', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    await awayFromStepEdge();
    const begun = await app.request<BeginData>(BEGIN, {}, staff.token);
    expect(begun.errors).toBeUndefined();
    const { secret, otpauthUri, qrCodeSvg } = begun.data!.beginTotpEnrollment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes, base32
    expect(otpauthUri).toBe(`otpauth://totp/Visus:${encodeURIComponent(staff.email)}?secret=${secret}&issuer=Visus&algorithm=SHA1&digits=6&period=30`);
    expect(qrCodeSvg.startsWith('<svg')).toBe(true);

    // Not on until confirmed: login still opens a session.
    const before = await app.request<LoginData>(LOGIN, { e: staff.email, p: PASSWORD });
    expect(before.data?.login).toMatchObject({ mfaRequired: false, challenge: null, scope: 'FULL' });
    const session = before.data!.login.token!;

    expect(errorCodes(await app.request(CONFIRM, { code: '000000' === (await totpCode(secret)) ? '111111' : '000000' }, session))).toEqual(['BAD_USER_INPUT']);
    const confirmed = await app.request<ConfirmData>(CONFIRM, { code: await totpCode(secret, -1) }, session);
    expect(confirmed.errors).toBeUndefined();
    const { codes } = confirmed.data!.confirmTotpEnrollment;
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    expect(new Set(codes).size).toBe(10);
    const stored: { code_hash: string }[] = await app.ownerCore.query('SELECT code_hash FROM recovery_code WHERE user_id = $1', [staff.id]);
    expect(stored).toHaveLength(10);
    // Salted argon2id hashes (NIST SP 800-63B-4 §3.1.2.2 for look-up secrets under 112 bits), never the code.
    for (const { code_hash: hash } of stored) expect(hash).toMatch(/^\$argon2id\$/);
    for (const code of codes) expect(stored.some((s) => s.code_hash.includes(code.replace(/-/g, '')))).toBe(false);

    // Login now answers a challenge, with no token, no session and no cookie.
    const sessionsBefore = (await app.ownerCore.query('SELECT count(*)::int AS n FROM session WHERE user_id = $1', [staff.id]))[0].n;
    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LOGIN, variables: { e: staff.email, p: PASSWORD } }) });
    const body = await response.json() as { data: LoginData };
    expect(body.data.login).toMatchObject({ mfaRequired: true, token: null, expiresAt: null, scope: null, user: null });
    expect(body.data.login.challenge).toMatch(/^vsc_[A-Za-z0-9_-]{43}$/);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect((await app.ownerCore.query('SELECT count(*)::int AS n FROM session WHERE user_id = $1', [staff.id]))[0].n).toBe(sessionsBefore);
    const [challengeRow] = await app.ownerCore.query('SELECT token_hash, expires_at - created_at AS valid FROM mfa_challenge WHERE user_id = $1', [staff.id]);
    expect((challengeRow.token_hash as Buffer).toString('hex')).toBe(sha256hex(body.data.login.challenge!));

    // verifyMfa with the authenticator's current code.
    const code = await totpCode(secret);
    const verified = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: VERIFY, variables: { c: body.data.login.challenge, code } }) });
    const verifiedBody = await verified.json() as { data?: VerifyData; errors?: unknown };
    expect(verifiedBody.errors).toBeUndefined();
    const mfaSession = verifiedBody.data!.verifyMfa;
    expect(mfaSession).toMatchObject({ scope: 'FULL', user: { id: staff.id, email: staff.email } });
    expect(verified.headers.get('set-cookie')).toContain(`visus_session=${mfaSession.token}`);
    const me = await app.request<{ me: { id: string } }>('{ me { id } }', {}, mfaSession.token);
    expect(me.data?.me.id).toBe(staff.id);
    expect(await openSessions(staff.id)).toEqual([expect.objectContaining({ second_factor: 'TOTP', scope: 'FULL' })]);

    // The same code again (a new challenge): refused, it was used in its time step.
    const again = await app.request(VERIFY, { c: await challengeFor(app, staff.email), code }, null);
    expect(errorCodes(again)).toEqual(['UNAUTHENTICATED']);
    expect(again.errors?.[0].message).toBe('The code is wrong.');
  });

  it('a recovery code works once, forgiving case and dashes, and raises RECOVERY_CODE_USED', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const { codes } = await enrol(app, staff.token);
    const typed = codes[3].toUpperCase().replace(/-/g, ' ');
    const verified = await app.request<VerifyData>(VERIFY, { c: await challengeFor(app, staff.email), code: typed });
    expect(verified.errors).toBeUndefined();
    expect(await openSessions(staff.id)).toEqual([expect.objectContaining({ second_factor: 'RECOVERY_CODE', scope: 'FULL' })]);
    const [used] = await app.ownerCore.query('SELECT count(*)::int AS n FROM recovery_code WHERE user_id = $1 AND used_at IS NOT NULL', [staff.id]);
    expect(used.n).toBe(1);
    const events = await app.ownerCore.query(`SELECT kind FROM security_event WHERE user_id = $1`, [staff.id]);
    expect(events).toEqual([{ kind: 'RECOVERY_CODE_USED' }]);

    expect(errorCodes(await app.request(VERIFY, { c: await challengeFor(app, staff.email), code: codes[3] }))).toEqual(['UNAUTHENTICATED']);
    // Another unused one still works.
    expect((await app.request(VERIFY, { c: await challengeFor(app, staff.email), code: codes[4] })).errors).toBeUndefined();

    // History: TOTP on, then two codes spent; never a secret, a code or a hash.
    const history: { setting: string; before: Record<string, unknown>; after: Record<string, unknown>; text: string }[] = await app.ownerCore.query(
      `SELECT setting, before, after, before::text || after::text AS text FROM security_setting_change WHERE user_id = $1 AND setting = 'SecondFactor' ORDER BY seq`, [staff.id],
    );
    expect(history.map((h) => [h.setting, h.before.recoveryCodesLeft, h.after.recoveryCodesLeft, h.after.totp])).toEqual([
      ['SecondFactor', 0, 10, true], ['SecondFactor', 10, 9, true], ['SecondFactor', 9, 8, true],
    ]);
    const hashes: { h: string }[] = await app.ownerCore.query(`SELECT code_hash AS h FROM recovery_code WHERE user_id = $1`, [staff.id]);
    for (const entry of history) {
      for (const code of codes) expect(entry.text.toLowerCase()).not.toContain(code.replace(/-/g, '').slice(0, 8));
      for (const { h } of hashes) expect(entry.text).not.toContain(h.slice(-22));
      expect(entry.text).not.toContain('argon2');
    }
  });

  it('two concurrent verifyMfa with one challenge and one code: exactly one session', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const { secret } = await enrol(app, staff.token);
    await awayFromStepEdge();
    const challenge = await challengeFor(app, staff.email);
    const code = await totpCode(secret);
    const results = await Promise.all([1, 2, 3].map(() => app.request<VerifyData>(VERIFY, { c: challenge, code })));
    expect(results.filter((r) => r.data?.verifyMfa?.token)).toHaveLength(1);
    expect(results.filter((r) => errorCodes(r).includes('UNAUTHENTICATED'))).toHaveLength(2);
    expect(await openSessions(staff.id)).toHaveLength(1);
  });

  it('one code on two challenges at once: exactly one session (a time step is accepted once)', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const { secret } = await enrol(app, staff.token);
    await awayFromStepEdge();
    const challenges = [await challengeFor(app, staff.email), await challengeFor(app, staff.email)];
    const code = await totpCode(secret);
    const results = await Promise.all(challenges.map((c) => app.request<VerifyData>(VERIFY, { c, code })));
    expect(results.filter((r) => r.data?.verifyMfa?.token)).toHaveLength(1);
    expect(results.filter((r) => errorCodes(r).includes('UNAUTHENTICATED'))).toHaveLength(1);
    const open = await openSessions(staff.id);
    expect(open).toHaveLength(1);
    // The code of an earlier step than the one used is refused too (steps only move forward).
    expect(errorCodes(await app.request(VERIFY, { c: await challengeFor(app, staff.email), code: await totpCode(secret, -1) }))).toEqual(['UNAUTHENTICATED']);
    // The next step's code is fine.
    expect((await app.request(VERIFY, { c: await challengeFor(app, staff.email), code: await totpCode(secret, 1) })).errors).toBeUndefined();
  });

  it('anonymous callers are UNAUTHENTICATED; an API token may not enrol (FORBIDDEN); verifyMfa is alone in its operation', async () => {
    expect(errorCodes(await app.request(BEGIN))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.request(CONFIRM, { code: '123456' }))).toEqual(['UNAUTHENTICATED']);
    const bi = await signIn(app, 'bi');
    expect(errorCodes(await bi.request(BEGIN))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await bi.request(CONFIRM, { code: '123456' }))).toEqual(['FORBIDDEN']);
    const mixed = await app.request('mutation($c: String!) { verifyMfa(challenge: $c, code: "123456") { token } me: logout }', { c: 'vsc_x' });
    expect(errorCodes(mixed)).toEqual(['BAD_USER_INPUT']);
  });

  it('bad input names the field; an unknown or malformed challenge is UNAUTHENTICATED', async () => {
    const staff = await newStaff(app, await tokenOf('chainManager'));
    const confirmWithout = await app.request(CONFIRM, { code: '123456' }, staff.token);
    expect(confirmWithout.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    await app.request(BEGIN, {}, staff.token);
    for (const code of ['', '12345', 'abcdef', '1'.repeat(65)]) {
      const result = await app.request(CONFIRM, { code }, staff.token);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    }
    expect((await app.request(VERIFY, { c: '', code: '123456' })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'challenge' });
    expect((await app.request(VERIFY, { c: 'vsc_abc', code: '' })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    expect((await app.request(VERIFY, { c: 'vsc_abc', code: 'x'.repeat(65) })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    expect(errorCodes(await app.request(VERIFY, { c: 'vsc_abc', code: '123456' }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.request(VERIFY, { c: `vsc_${'A'.repeat(43)}`, code: '123456' }))).toEqual(['UNAUTHENTICATED']);
  });
});
