/**
 * Session limits from the chain's auth policy: a session takes the idle timeout and maximum of its chain's policy at
 * sign-in and keeps them (session.idle_minutes, max_expires_at), so authenticate enforces the session's own idle
 * limit and a policy change applies to sessions opened afterwards. Time passes by owner SQL (last_seen_at aged).
 */
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { acceptAs, createStaff } from '../support/staff-accounts';
import { startTestApp, TestApp } from '../support/test-app';
import { ageIdle, sessionRow, UPDATE_POLICY } from './auth-policy-support';

const PASSWORD = 'Copper-kettle-on-the-hob-2026';
const ME = '{ me { email } }';

describe('session limits from the auth policy', () => {
  let app: TestApp;
  const { as, tokenOf } = sessionsFor(() => app);

  async function newStaffSession(): Promise<{ token: string; expiresAt: string }> {
    const created = await createStaff(app, await tokenOf('chainManager'));
    const accepted = await acceptAs(app, created.token, PASSWORD);
    if (!accepted.data) throw new Error(JSON.stringify(accepted.errors));
    return accepted.data.acceptInvitation;
  }

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('without limits of its own a chain’s sessions take the configured ones (15 minutes, 12 hours)', async () => {
    const { token } = await newStaffSession();
    const row = await sessionRow(app, token);
    expect(row.idleMinutes).toBe(15);
    expect(new Date(row.maxExpiresAt).getTime() - new Date(row.createdAt).getTime()).toBeCloseTo(12 * 3600_000, -4);
  });

  it('a 1-minute idle timeout ends a new session after a minute unused; an older session keeps its 15', async () => {
    const older = await newStaffSession();
    expect((await as('chainManager', UPDATE_POLICY, { input: { idleTimeoutMinutes: 1, sessionMaxHours: 2 } })).errors).toBeUndefined();
    const fresh = await newStaffSession();
    const row = await sessionRow(app, fresh.token);
    expect(row.idleMinutes).toBe(1);
    expect(new Date(row.maxExpiresAt).getTime() - new Date(row.createdAt).getTime()).toBeCloseTo(2 * 3600_000, -4);
    // The answer's expiresAt is the idle expiry: about a minute away.
    expect(new Date(fresh.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(60_000);

    await ageIdle(app, fresh.token, 0.5);
    expect(errorCodes(await app.request(ME, {}, fresh.token))).toEqual([]);
    await ageIdle(app, fresh.token, 2);
    expect(errorCodes(await app.request(ME, {}, fresh.token))).toEqual(['UNAUTHENTICATED']);

    await ageIdle(app, older.token, 2);
    expect(errorCodes(await app.request(ME, {}, older.token))).toEqual([]);
    await ageIdle(app, older.token, 16);
    expect(errorCodes(await app.request(ME, {}, older.token))).toEqual(['UNAUTHENTICATED']);
  });

  it('the session maximum ends a session however active', async () => {
    const { token } = await newStaffSession();
    await app.ownerCore.query(`UPDATE session SET max_expires_at = now() - interval '1 second' WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, [token]);
    expect(errorCodes(await app.request(ME, {}, token))).toEqual(['UNAUTHENTICATED']);
  });
});
