/**
 * Sessions: login, bearer and cookie tokens, logout, idle expiry, one session per user, and
 * UNAUTHENTICATED for everything else.
 */
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { DEMO_PASSWORD, EMAIL } from '../support/actors';

const OPTOMETRIST = EMAIL.leedsOptometrist;
const ME = '{ me { email } }';

describe('sessions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('logs in with the demo password and answers me', async () => {
    const login = await app.request<{ login: { token: string; expiresAt: string; user: { email: string } } }>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { email } } }',
      { e: OPTOMETRIST, p: DEMO_PASSWORD },
    );
    expect(login.errors).toBeUndefined();
    const { token, expiresAt } = login.data!.login;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const minutes = (Date.parse(expiresAt) - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15.1);
    const me = await app.request<{ me: { email: string } }>(ME, {}, token);
    expect(me.data?.me.email).toBe(OPTOMETRIST);
  });

  it('stores only a hash of the token', async () => {
    const token = await app.login(OPTOMETRIST);
    const rows: { token_hash: Buffer }[] = await app.core.query('SELECT token_hash FROM session');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.token_hash.toString('utf8')).not.toContain(token);
    expect(rows.some((r) => r.token_hash.length === 32)).toBe(true);
  });

  it('sets an HttpOnly cookie that authenticates on its own', async () => {
    const login = await app.request('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: OPTOMETRIST, p: DEMO_PASSWORD });
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^visus_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict/);
    const me = await app.request<{ me: { email: string } }>(ME, {}, null, { cookie: cookie.split(';')[0] });
    expect(me.data?.me.email).toBe(OPTOMETRIST);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    for (const [e, p] of [[OPTOMETRIST, 'wrong-password'], ['nobody@clearview.example', DEMO_PASSWORD]]) {
      const result = await app.request('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e, p });
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
      expect(result.errors?.[0].message).toBe('Email or password is wrong.');
    }
  });

  it('answers UNAUTHENTICATED without a token, with a malformed token and with an unknown one', async () => {
    expect(errorCodes(await app.request(ME))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.request(ME, {}, 'not a token'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.request(ME, {}, 'A'.repeat(43)))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.request('{ customers { totalCount } }'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.request('mutation { logout }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('ends the session on logout', async () => {
    const token = await app.login(OPTOMETRIST);
    const logout = await app.request<{ logout: boolean }>('mutation { logout }', {}, token);
    expect(logout.data?.logout).toBe(true);
    expect(logout.headers.get('set-cookie')).toMatch(/visus_session=; .*Max-Age=0/);
    expect(errorCodes(await app.request(ME, {}, token))).toEqual(['UNAUTHENTICATED']);
  });

  it('a new login ends the user’s previous session (one browser at a time)', async () => {
    const first = await app.login(OPTOMETRIST);
    expect((await app.request(ME, {}, first)).errors).toBeUndefined();
    const second = await app.login(OPTOMETRIST);
    expect(errorCodes(await app.request(ME, {}, first))).toEqual(['UNAUTHENTICATED']);
    expect((await app.request(ME, {}, second)).errors).toBeUndefined();
    // Another user's session is untouched.
    const other = await app.login(EMAIL.leedsManager);
    expect((await app.request(ME, {}, second)).errors).toBeUndefined();
    expect((await app.request(ME, {}, other)).errors).toBeUndefined();
  });

  it('expires after the idle timeout, and each request moves the idle clock', async () => {
    const token = await app.login(OPTOMETRIST);
    // 10 minutes idle: still valid, and using it resets the clock.
    await app.core.query(`UPDATE session SET last_seen_at = now() - interval '10 minutes' WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`, [OPTOMETRIST]);
    expect((await app.request(ME, {}, token)).errors).toBeUndefined();
    const [{ idle }] = await app.core.query(`SELECT extract(epoch FROM now() - last_seen_at) AS idle FROM session WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`, [OPTOMETRIST]);
    expect(Number(idle)).toBeLessThan(5);
    // 16 minutes idle: expired.
    await app.core.query(`UPDATE session SET last_seen_at = now() - interval '16 minutes' WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`, [OPTOMETRIST]);
    const expired = await app.request(ME, {}, token);
    expect(errorCodes(expired)).toEqual(['UNAUTHENTICATED']);
    expect(expired.errors?.[0].message).toMatch(/expired/);
  });

  it('moves the idle clock at most every 15 seconds: a request right after the last recorded one writes nothing', async () => {
    const token = await app.login(OPTOMETRIST);
    const session = async (): Promise<{ idle: number; xmin: string }> => {
      const [row] = await app.ownerCore.query(
        `SELECT extract(epoch FROM now() - last_seen_at)::float8 AS idle, xmin::text AS xmin FROM session WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`,
        [OPTOMETRIST]) as { idle: number; xmin: string }[];
      return row;
    };
    // Last recorded 10 s ago (the default 15-minute timeout: 15 s of slack): the request is answered and the row is not written.
    await app.ownerCore.query(`UPDATE session SET last_seen_at = now() - interval '10 seconds' WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`, [OPTOMETRIST]);
    const before = await session();
    expect((await app.request(ME, {}, token)).errors).toBeUndefined();
    const after = await session();
    expect(after.xmin).toBe(before.xmin);
    expect(after.idle).toBeGreaterThanOrEqual(10);
    // Last recorded 20 s ago: the request moves the clock.
    await app.ownerCore.query(`UPDATE session SET last_seen_at = now() - interval '20 seconds' WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`, [OPTOMETRIST]);
    expect((await app.request(ME, {}, token)).errors).toBeUndefined();
    expect((await session()).idle).toBeLessThan(5);
  });

  it('expires at the absolute lifetime however active', async () => {
    const token = await app.login(OPTOMETRIST);
    await app.core.query(`UPDATE session SET max_expires_at = now() - interval '1 second' WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`, [OPTOMETRIST]);
    expect(errorCodes(await app.request(ME, {}, token))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('sign-in throttling and concurrency', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
  const attempt = (email: string, password: string) => app.request<{ login: { token: string } }>(LOGIN, { e: email, p: password });

  it('refuses sign-in after 5 failures for one email, even with the right password, until the window passes', async () => {
    const email = EMAIL.leedsAssistant;
    for (let i = 0; i < 5; i++) expect((await attempt(email, `wrong-${i}`)).errors?.[0].message).toBe('Email or password is wrong.');
    const locked = await attempt(email, DEMO_PASSWORD);
    expect(errorCodes(locked)).toEqual(['UNAUTHENTICATED']);
    expect(locked.errors?.[0].message).toMatch(/Too many failed sign-ins/);
    // Other accounts are unaffected.
    expect((await attempt(EMAIL.leedsManager, DEMO_PASSWORD)).data?.login.token).toBeTruthy();
    // The email is stored only as a hash.
    const rows: { email_hash: Buffer }[] = await app.core.query('SELECT email_hash FROM login_attempt');
    expect(rows.every((r) => r.email_hash.length === 32)).toBe(true);
    // Once the failures are older than the window, the right password works again.
    await app.core.query(`UPDATE login_attempt SET attempted_at = attempted_at - interval '16 minutes'`);
    expect((await attempt(email, DEMO_PASSWORD)).data?.login.token).toBeTruthy();
  });

  it('a success clears the count: earlier failures do not add up to a lock-out', async () => {
    const email = EMAIL.dpo;
    for (let i = 0; i < 4; i++) await attempt(email, 'wrong');
    expect((await attempt(email, DEMO_PASSWORD)).data?.login.token).toBeTruthy();
    for (let i = 0; i < 4; i++) await attempt(email, 'wrong');
    expect((await attempt(email, DEMO_PASSWORD)).data?.login.token).toBeTruthy();
  });

  it('throttles unknown emails the same way (no account enumeration)', async () => {
    const email = 'nobody-at-all@clearview.example';
    for (let i = 0; i < 5; i++) await attempt(email, 'wrong');
    expect((await attempt(email, 'wrong')).errors?.[0].message).toMatch(/Too many failed sign-ins/);
  });

  it('leaves exactly one open session when one user signs in from several places at once', async () => {
    const email = EMAIL.northManager;
    // As many at once as the throttle lets through (src/auth/login-throttle.ts reserves each attempt as a failure
    // until its password is checked, so one more than LOGIN_MAX_FAILURES in parallel is refused by design when the
    // password checks overlap, as they do on a loaded machine).
    const results = await Promise.all(Array.from({ length: app.config.loginMaxFailures }, () => attempt(email, DEMO_PASSWORD)));
    expect(results.map((r) => r.errors)).toEqual(results.map(() => undefined));
    expect(results.every((r) => r.data?.login?.token)).toBe(true);
    const [{ open }] = await app.core.query(
      `SELECT count(*)::int AS open FROM session s JOIN staff_user u ON u.id = s.user_id WHERE u.email = $1 AND s.ended_at IS NULL`, [email],
    );
    expect(open).toBe(1);
    // The database refuses a second open session outright.
    await expect(app.core.query(
      `INSERT INTO session (user_id, chain_id, token_hash, last_seen_at, max_expires_at)
       SELECT id, chain_id, sha256(random()::text::bytea), now(), now() + interval '1 hour' FROM staff_user WHERE email = $1`, [email],
    )).rejects.toThrow(/session_one_open_per_user|duplicate key/);
  });
});

describe('sign-in throttling is exact under concurrency', () => {
  let app: TestApp;
  // Limit 3 per email, so 30 per client address (all of this suite's requests come from one address).
  beforeAll(async () => {
    app = await startTestApp({ loginMaxFailures: 3 });
  });
  afterAll(() => app.stop());

  const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
  const attempt = (email: string, password: string) => app.request<{ login: { token: string } }>(LOGIN, { e: email, p: password });
  const messages = (results: { errors?: { message: string }[] }[]) => results.map((r) => r.errors?.[0]?.message ?? 'OK');

  it('checks exactly the limit of 20 parallel wrong passwords for one account, and records exactly those', async () => {
    const email = EMAIL.leedsAssistant;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(email, `wrong-${i}`)));
    const answers = messages(results);
    expect(answers.filter((m) => m === 'Email or password is wrong.')).toHaveLength(3);
    expect(answers.filter((m) => /Too many failed sign-ins/.test(m))).toHaveLength(17);
    const [{ n }] = (await app.core.query(
      `SELECT count(*)::int AS n FROM login_attempt WHERE email_hash = sha256(convert_to($1, 'UTF8'))`, [email],
    )) as { n: number }[];
    expect(n).toBe(3);
    // The right password is refused too while the lock-out lasts.
    expect(messages([await attempt(email, DEMO_PASSWORD)])[0]).toMatch(/Too many failed sign-ins/);
  });

  it('lets a right password through among parallel wrong ones without exceeding the limit', async () => {
    const email = EMAIL.leedsManager;
    const results = await Promise.all([attempt(email, DEMO_PASSWORD), ...Array.from({ length: 10 }, (_, i) => attempt(email, `wrong-${i}`))]);
    const answers = messages(results);
    const checked = answers.filter((m) => m === 'OK' || m === 'Email or password is wrong.').length;
    // Failures count since the last success: at most the limit before it and the limit after it.
    expect(checked).toBeLessThanOrEqual(1 + 2 * 3);
    expect(answers.filter((m) => m === 'Email or password is wrong.').length).toBeLessThanOrEqual(6);
  });

  it('caps one client address exactly at ten times the limit across many emails', async () => {
    await app.ownerCore.query('DELETE FROM login_attempt');
    const results = await Promise.all(Array.from({ length: 45 }, (_, i) => attempt(`nobody-${i}@clearview.example`, 'wrong')));
    const answers = messages(results);
    expect(answers.filter((m) => m === 'Email or password is wrong.')).toHaveLength(30);
    expect(answers.filter((m) => /Too many failed sign-ins/.test(m))).toHaveLength(15);
    const [{ n }] = (await app.core.query('SELECT count(*)::int AS n FROM login_attempt')) as { n: number }[];
    expect(n).toBe(30);
  });
});

describe('sessions with a configured idle timeout', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ sessionIdleMinutes: 2 });
  });
  afterAll(() => app.stop());

  it('uses SESSION_IDLE_MINUTES', async () => {
    const token = await app.login(OPTOMETRIST);
    await app.core.query(`UPDATE session SET last_seen_at = now() - interval '3 minutes' WHERE ended_at IS NULL`);
    expect(errorCodes(await app.request(ME, {}, token))).toEqual(['UNAUTHENTICATED']);
  });

  it('moves the idle clock after 5% of a timeout shorter than 5 minutes (6 s of a 2-minute one)', async () => {
    const token = await app.login(OPTOMETRIST);
    const idle = async (): Promise<number> => {
      const [row] = await app.ownerCore.query(
        `SELECT extract(epoch FROM now() - last_seen_at)::float8 AS idle FROM session WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`,
        [OPTOMETRIST]) as { idle: number }[];
      return row.idle;
    };
    const age = (seconds: number) => app.ownerCore.query(
      `UPDATE session SET last_seen_at = now() - make_interval(secs => $2) WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`,
      [OPTOMETRIST, seconds]);
    await age(4);
    expect((await app.request(ME, {}, token)).errors).toBeUndefined();
    expect(await idle()).toBeGreaterThanOrEqual(4);
    await age(8);
    expect((await app.request(ME, {}, token)).errors).toBeUndefined();
    expect(await idle()).toBeLessThan(3);
  });
});
