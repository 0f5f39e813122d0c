/**
 * Invitations through the real server: createUser → acceptInvitation (sets the password, signs in, sets the
 * cookie) → login works with the new password; the token is `vsi_` + 43 base64url characters, stored as SHA-256
 * only; single use (also under two concurrent accepts: exactly one wins); expired after 24 h; a too-short password
 * is refused naming `password` and leaves the token usable; alone in its operation; a newer invitation
 * (resetUserPassword) revokes the older one and ends the user's sessions; the history never holds the token.
 */
import { createHash } from 'node:crypto';
import { unknownActors } from '../../src/hash-chain/verify-actors';
import { signIn } from '../support/actors';
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { ACCEPT, acceptAs, createStaff } from '../support/staff-accounts';
import { startTestApp, TestApp } from '../support/test-app';

const GOOD = 'Ultramarine-kettle-drum-4417';
const TOKEN_TEXT = /^vsi_[A-Za-z0-9_-]{43}$/;
const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

describe('invitations', () => {
  let app: TestApp;
  const { tokenOf, as } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('createUser → acceptInvitation → signed in with the new password → login works', async () => {
    const before = Date.now();
    const staff = await createStaff(app, await tokenOf('chainManager'));
    expect(staff.token).toMatch(TOKEN_TEXT);
    const [stored] = await app.ownerCore.query('SELECT token_hash, expires_at, password_hash FROM user_invitation i JOIN staff_user u ON u.id = i.user_id WHERE i.user_id = $1', [staff.id]);
    expect((stored.token_hash as Buffer).equals(sha256(staff.token))).toBe(true);
    expect(stored.password_hash).toBeNull();
    const validFor = new Date(stored.expires_at).getTime() - before;
    expect(validFor).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(validFor).toBeLessThan(24 * 3600_000 + 60_000);

    // No password yet: login is refused.
    expect(errorCodes(await app.request('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: staff.email, p: GOOD }))).toEqual(['UNAUTHENTICATED']);

    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: ACCEPT, variables: { t: staff.token, p: GOOD } }) });
    const body = await response.json() as { data?: { acceptInvitation: { token: string; scope: string; user: { id: string; email: string } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const session = body.data!.acceptInvitation;
    expect(session.user).toEqual({ id: staff.id, email: staff.email });
    expect(session.scope).toBe('FULL');
    expect(response.headers.get('set-cookie')).toContain(`visus_session=${session.token}`);
    const me = await app.request<{ me: { id: string; status: string } }>('{ me { id status } }', {}, session.token);
    expect(me.data?.me).toEqual({ id: staff.id, status: 'ACTIVE' });

    // Used once: a second accept is refused, and the password stays the one set.
    expect(errorCodes(await acceptAs(app, staff.token, 'Another-good-password-991'))).toEqual(['UNAUTHENTICATED']);
    const again = await signIn(app, staff.email, GOOD);
    expect((await again.request('{ me { id } }')).errors).toBeUndefined();

    // The history names the invitation and the user, never the token, its hash or the password.
    const history: { setting: string; before: unknown; after: unknown; user_id: string }[] = await app.ownerCore.query(
      `SELECT setting, before, after, user_id::text AS user_id FROM security_setting_change WHERE after->>'id' = $1 OR after->>'userId' = $1 ORDER BY seq`, [staff.id],
    );
    expect(history.map((h) => h.setting)).toEqual(['User', 'Invitation', 'Invitation', 'User']);
    expect(history[3].user_id).toBe(staff.id); // the accepting user is who
    expect(history[3]).toMatchObject({ before: { passwordSet: false }, after: { passwordSet: true } });
    const text = JSON.stringify(history);
    expect(text).not.toContain(staff.token);
    expect(text).not.toContain(GOOD);
    expect(text).not.toContain(sha256(staff.token).toString('hex'));
  });

  it('an unknown or malformed token is UNAUTHENTICATED with one message', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    const wrong = await acceptAs(app, `vsi_${'A'.repeat(43)}`, GOOD);
    const malformed = await acceptAs(app, 'not-a-token', GOOD);
    await app.ownerCore.query(`UPDATE user_invitation SET used_at = now() WHERE user_id = $1`, [staff.id]);
    const used = await acceptAs(app, staff.token, GOOD);
    for (const result of [wrong, malformed, used]) expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(new Set([wrong, malformed, used].map((r) => r.errors![0].message)).size).toBe(1);
  });

  it('a too-short password is refused naming `password`; the token stays usable', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    const short = await acceptAs(app, staff.token, 'short-pw-1');
    expect(errorCodes(short)).toEqual(['BAD_USER_INPUT']);
    expect(short.errors![0].extensions?.field).toBe('password');
    const [row] = await app.ownerCore.query('SELECT used_at, (SELECT password_hash FROM staff_user WHERE id = $1) AS hash FROM user_invitation WHERE user_id = $1', [staff.id]);
    expect(row).toEqual({ used_at: null, hash: null });
    expect((await acceptAs(app, staff.token, GOOD)).errors).toBeUndefined();
  });

  it('two concurrent accepts of one token: exactly one wins', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    const results = await Promise.all([acceptAs(app, staff.token, GOOD), acceptAs(app, staff.token, 'Second-concurrent-pass-207')]);
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(errorCodes(results.find((r) => r.errors)!)).toEqual(['UNAUTHENTICATED']);
    const winningPassword = results[0].errors ? 'Second-concurrent-pass-207' : GOOD;
    const [{ n }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM session WHERE user_id = $1`, [staff.id]);
    expect(n).toBe(1);
    await expect(signIn(app, staff.email, winningPassword)).resolves.toBeDefined();
  });

  it('expires 24 hours after it was issued', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    await app.ownerCore.query(`UPDATE user_invitation SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [staff.id]);
    expect(errorCodes(await acceptAs(app, staff.token, GOOD))).toEqual(['UNAUTHENTICATED']);
  });

  it('must be the only field of its operation', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    const both = await app.request(`mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token } logout }`, { t: staff.token, p: GOOD }, await tokenOf('chainManager'));
    expect(errorCodes(both)).toEqual(['BAD_USER_INPUT']);
    expect(both.errors![0].extensions?.field).toBe('acceptInvitation');
    const [row] = await app.ownerCore.query('SELECT used_at FROM user_invitation WHERE user_id = $1', [staff.id]);
    expect(row.used_at).toBeNull();
  });

  it('failures count toward the login throttle (unknown tokens under one documented key)', async () => {
    const key = sha256('visus.invitation:unknown');
    const count = async (): Promise<number> => (await app.ownerCore.query(`SELECT count(*)::int AS n FROM login_attempt WHERE email_hash = $1 AND NOT succeeded`, [key]))[0].n;
    const start = await count();
    for (let i = 0; i < 3; i++) expect(errorCodes(await acceptAs(app, `vsi_${String(i).repeat(43)}`, GOOD))).toEqual(['UNAUTHENTICATED']);
    expect(await count()).toBe(start + 3);
  });

  it('resetUserPassword: the old password stops working, sessions end, the older invitation is revoked', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    expect((await acceptAs(app, staff.token, GOOD)).errors).toBeUndefined();
    const signedIn = await signIn(app, staff.email, GOOD);
    const first = await as<{ resetUserPassword: { token: string; expiresAt: string } }>('chainManager', 'mutation($id: ID!) { resetUserPassword(userId: $id) { token expiresAt } }', { id: staff.id });
    expect(first.errors).toBeUndefined();
    const second = await as<{ resetUserPassword: { token: string } }>('chainManager', 'mutation($id: ID!) { resetUserPassword(userId: $id) { token } }', { id: staff.id });
    expect(errorCodes(await signedIn.request('{ me { id } }'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.request('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: staff.email, p: GOOD }))).toEqual(['UNAUTHENTICATED']);
    // The newer invitation revoked the older one.
    expect(errorCodes(await acceptAs(app, first.data!.resetUserPassword.token, GOOD))).toEqual(['UNAUTHENTICATED']);
    expect((await acceptAs(app, second.data!.resetUserPassword.token, 'Brand-new-password-5150')).errors).toBeUndefined();
    await expect(signIn(app, staff.email, 'Brand-new-password-5150')).resolves.toBeDefined();
  });

  it('audit:verify accepts every user and session the security settings history names (the used invitation stands for acceptInvitation\'s)', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    expect((await acceptAs(app, staff.token, GOOD)).errors).toBeUndefined();
    const [entry] = await app.ownerCore.query(`SELECT session_id::text AS s FROM security_setting_change WHERE user_id = $1 ORDER BY seq DESC LIMIT 1`, [staff.id]);
    const [invitation] = await app.ownerCore.query('SELECT id::text AS id FROM user_invitation WHERE user_id = $1', [staff.id]);
    expect(entry.s).toBe(invitation.id);
    expect(await unknownActors(app.ownerCore, { name: 'security settings', table: 'security_setting_change', db: app.ownerCore })).toEqual([]);
  });
});
