/**
 * changePassword(current, new) through the real server with real sessions: the signed-in member of staff changes
 * their own password; their other sessions end (told why), the caller's stays; login then needs the new password.
 * A wrong `current` is BAD_USER_INPUT naming `current` and counts toward the login throttle of their email (the
 * attempt survives the mutation's rollback); `new` goes through the password policy (field `new`). Of two
 * concurrent changes from one current password exactly one wins. The security settings history records `Password`
 * with neither password nor hash. Anonymous: UNAUTHENTICATED; an API token (service account): FORBIDDEN.
 */
import { hashSessionToken, newSessionToken } from '../../src/auth/session-token';
import { DEMO_PASSWORD, EMAIL, signIn } from '../support/actors';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { issueApiToken, serviceAccountId } from '../support/service-tokens';
import { sessionsFor } from '../support/sessions';
import { acceptAs, createStaff } from '../support/staff-accounts';
import { startTestApp, TestApp } from '../support/test-app';

const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }';
const FIRST = 'Tawny-lantern-orchard-6150';
const SECOND = 'Cobalt-meadow-bicycle-2284';
const MAX_FAILURES = 3;

function firstError(result: GraphQLResult<unknown>): { code?: string; field?: string; message: string } | undefined {
  const error = result.errors?.[0];
  return error && { code: error.extensions?.code, field: error.extensions?.field, message: error.message };
}

describe('changePassword', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => { app = await startTestApp({ loginMaxFailures: MAX_FAILURES }); });
  afterAll(() => app?.stop());

  /** A new member of staff with password FIRST, signed in (the session of acceptInvitation). */
  async function member(): Promise<{ id: string; email: string; token: string }> {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    const accepted = await acceptAs(app, staff.token, FIRST);
    if (accepted.errors) throw new Error(JSON.stringify(accepted.errors));
    return { id: staff.id, email: staff.email, token: accepted.data!.acceptInvitation.token };
  }

  /**
   * A second open session of the user, as another browser would have. The one-session rule (a sign-in ends the
   * previous session; a unique index allows one open session per user) means there is normally none: the test lifts
   * the index for the moment of the insert (owner SQL) to show changePassword ends any there is.
   */
  async function otherSession(userId: string): Promise<string> {
    const token = newSessionToken();
    await app.ownerCore.query(
      `INSERT INTO session (user_id, chain_id, token_hash, last_seen_at, max_expires_at)
       SELECT id, chain_id, $2, now(), now() + interval '1 hour' FROM staff_user WHERE id = $1`,
      [userId, hashSessionToken(token)],
    );
    return token;
  }

  const change = (token: string | null, current: string, next: string) => app.request<{ changePassword: boolean }>(CHANGE, { c: current, n: next }, token);
  const loginWith = (email: string, password: string) =>
    app.request<{ login: { token: string } }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });

  it('changes the password, ends the other sessions (saying why) and keeps the caller’s', async () => {
    const user = await member();
    const [{ indexdef }]: { indexdef: string }[] = await app.ownerCore.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'session_one_open_per_user'`);
    await app.ownerCore.query('DROP INDEX session_one_open_per_user');
    let other: string;
    try {
      other = await otherSession(user.id);
      expect((await app.request('{ me { id } }', {}, other)).errors).toBeUndefined();
      const result = await change(user.token, FIRST, SECOND);
      expect(result.errors).toBeUndefined();
      expect(result.data?.changePassword).toBe(true);
    } finally {
      await app.ownerCore.query(indexdef); // one open session per user again (the change left only the caller's open)
    }

    expect((await app.request<{ me: { id: string } }>('{ me { id } }', {}, user.token)).data?.me.id).toBe(user.id);
    const refused = await app.request('{ me { id } }', {}, other);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0].message).toMatch(/password was changed/);

    expect(errorCodes(await loginWith(user.email, FIRST))).toEqual(['UNAUTHENTICATED']);
    expect((await loginWith(user.email, SECOND)).data?.login.token).toBeTruthy();
  });

  it('records Password in the security settings history, with neither password nor hash', async () => {
    const user = await member();
    expect((await change(user.token, FIRST, SECOND)).errors).toBeUndefined();
    const [{ hash }]: { hash: string }[] = await app.ownerCore.query('SELECT password_hash AS hash FROM staff_user WHERE id = $1', [user.id]);
    expect(hash).toMatch(/^\$argon2id\$/);
    const rows: { setting: string; user_id: string; text: string }[] = await app.ownerCore.query(
      `SELECT setting, user_id::text AS user_id, before::text || after::text AS text FROM security_setting_change
        WHERE setting = 'Password' AND after->>'userId' = $1`, [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].user_id).toBe(user.id);
    for (const secret of [FIRST, SECOND, hash, hash.split('$').pop()!]) expect(rows[0].text).not.toContain(secret);
    const all: { text: string }[] = await app.ownerCore.query('SELECT before::text || after::text AS text FROM security_setting_change');
    for (const row of all) for (const secret of [FIRST, SECOND, hash]) expect(row.text).not.toContain(secret);
  });

  it('refuses a wrong current password naming `current`, changes nothing, and counts it toward the login throttle', async () => {
    const user = await member();
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(firstError(await change(user.token, 'Not-my-password-at-all-1', SECOND)))
        .toEqual({ code: 'BAD_USER_INPUT', field: 'current', message: 'current: is not your current password' });
    }
    // the failures were kept (the mutation's own writes rolled back), so the throttle now refuses even the right password
    const [{ failures }]: { failures: string }[] = await app.ownerCore.query(
      `SELECT count(*) AS failures FROM login_attempt WHERE NOT succeeded AND email_hash = sha256(convert_to($1, 'UTF8'))`, [user.email]);
    expect(Number(failures)).toBe(MAX_FAILURES);
    const throttled = await loginWith(user.email, FIRST);
    expect(errorCodes(throttled)).toEqual(['UNAUTHENTICATED']);
    expect(throttled.errors![0].message).toMatch(/Too many failed sign-ins/);
    expect(errorCodes(await change(user.token, FIRST, SECOND))).toEqual(['UNAUTHENTICATED']);
    // and the password did not change
    await app.ownerCore.query(`DELETE FROM login_attempt WHERE email_hash = sha256(convert_to($1, 'UTF8'))`, [user.email]);
    expect((await loginWith(user.email, FIRST)).data?.login.token).toBeTruthy();
  });

  it('applies the password policy to `new`, with the reason', async () => {
    const user = await member();
    expect(firstError(await change(user.token, FIRST, 'short-1'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'new', message: expect.stringMatching(/^new: must be at least 15 characters/) });
    expect(firstError(await change(user.token, FIRST, 'manchesterunited'))).toMatchObject({ field: 'new', message: expect.stringMatching(/list of common or breached passwords/) });
    expect(firstError(await change(user.token, FIRST, 'Priya-is-on-call-2291'))).toMatchObject({ field: 'new', message: 'new: contains your name' });
    expect(firstError(await change(user.token, FIRST, 'Clearview-on-call-2291'))).toMatchObject({ field: 'new', message: 'new: contains the chain’s name' });
    expect(firstError(await change(user.token, FIRST, '1234567890123456'))).toMatchObject({ field: 'new' });
    expect(firstError(await change(user.token, FIRST, 'x'.repeat(257)))).toMatchObject({ field: 'new', message: 'new: must be at most 256 characters' });
    expect(firstError(await change(user.token, FIRST, FIRST))).toMatchObject({ field: 'new', message: expect.stringMatching(/is your current password/) });
    expect(firstError(await change(user.token, '', SECOND))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'current' });
    // none of it changed the password, and a right `current` reset the throttle's count
    expect((await loginWith(user.email, FIRST)).data?.login.token).toBeTruthy();
  });

  it('lets the demo password through the policy for a demo user (change and change back)', async () => {
    const token = await tokenOf('leedsReception');
    expect((await change(token, DEMO_PASSWORD, SECOND)).errors).toBeUndefined();
    expect((await change(token, SECOND, DEMO_PASSWORD)).errors).toBeUndefined();
    await expect(signIn(app, 'leedsReception')).resolves.toBeDefined();
  });

  it('of two concurrent changes from one current password, exactly one wins', async () => {
    const user = await member();
    const results = await Promise.all([change(user.token, FIRST, SECOND), change(user.token, FIRST, 'Amber-quarry-violin-7408')]);
    const won = results.filter((r) => r.data?.changePassword === true);
    const lost = results.filter((r) => r.errors);
    expect(won).toHaveLength(1);
    expect(lost.map(firstError)).toEqual([{ code: 'BAD_USER_INPUT', field: 'current', message: 'current: is not your current password' }]);
    const winner = results[0].data?.changePassword ? SECOND : 'Amber-quarry-violin-7408';
    expect((await loginWith(user.email, winner)).data?.login.token).toBeTruthy();
  });

  it('must be alone in its operation: beside another field it is refused and nothing runs', async () => {
    const user = await member();
    const result = await app.request(`mutation { a: changePassword(current: "${FIRST}", new: "${SECOND}") b: logout }`, {}, user.token);
    expect(result.status).toBe(400);
    expect(firstError(result)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changePassword' });
    expect(errorCodes(await app.request(`mutation { changePassword(current: "${FIRST}", new: "${SECOND}") again: changePassword(current: "${FIRST}", new: "${SECOND}") }`, {}, user.token)))
      .toEqual(['BAD_USER_INPUT']);
    // nothing ran: the session is open and the password unchanged
    expect((await app.request('{ me { id } }', {}, user.token)).errors).toBeUndefined();
    const alone = await app.request(`mutation { changePassword(current: "${FIRST}", new: "${SECOND}") __typename }`, {}, user.token);
    expect(alone.errors).toBeUndefined(); // __typename aside
    expect((await loginWith(user.email, SECOND)).data?.login.token).toBeTruthy();
  });

    it('is UNAUTHENTICATED without a session and FORBIDDEN with an API token (a service account has no password)', async () => {
    expect(errorCodes(await change(null, FIRST, SECOND))).toEqual(['UNAUTHENTICATED']);
    const bi = await serviceAccountId(app.ownerCore, EMAIL.bi);
    const { token } = await issueApiToken(app.ownerCore, bi!);
    expect(errorCodes(await change(token, FIRST, SECOND))).toEqual(['FORBIDDEN']);
  });
});
