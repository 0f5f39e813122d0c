/**
 * Holes an attack on the first-hour features found (issue 10's review), kept as regressions:
 * - `explain`'s reason named the user, the store and the role to a caller who may not read those names
 *   (a value derived from a field is governed by that field's permission);
 * - `explain` by name looked the name up before checking the question (NOT_FOUND before BAD_USER_INPUT);
 * - a token that had already expired said "signed in elsewhere" once its user signed in again (telling an
 *   old token's holder that the account is in use).
 */
import { SESSION_EXPIRED_MESSAGE } from '../../src/auth/session-refusal';
import { Actors, CM, Demo, RECEPTION } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';

const EXPLAIN = `query($e: String, $u: ID, $s: ID) {
  explain(userEmail: $e, userId: $u, storeId: $s, action: "read", subject: "Customer", field: "dateOfBirth") { granted reason } }`;

describe('first-hour regressions', () => {
  let app: TestApp;
  let actors: Actors;
  let demo: Demo;
  const EMAILS_NOT_NAMES = 'emails.not.names@clearview.example';
  const NO_STAFF = 'no.staff@clearview.example';

  beforeAll(async () => {
    app = await startTestApp({ anomalyCheckIntervalSeconds: 86_400 });
    actors = new Actors(app);
    demo = await actors.demo();
    // Reads staff emails but not their names, store ids but not their names; reads roles and assignments.
    await actors.giveRole(await actors.makeStaff(EMAILS_NOT_NAMES, 'Edna Emails'), 'Emails, not names', [
      { action: 'read', subject: 'Role' }, { action: 'read', subject: 'RoleAssignment' },
      { action: 'read', subject: 'User', fields: ['id', 'email'] }, { action: 'read', subject: 'Store', fields: ['id'] },
    ]);
    // Roles and assignments only: no staff records, no stores.
    await actors.giveRole(await actors.makeStaff(NO_STAFF, 'Nick Nostaff'), 'Assignments, no staff', [
      { action: 'read', subject: 'Role' }, { action: 'read', subject: 'RoleAssignment' },
    ]);
  });
  afterAll(() => app?.stop());

  describe('explain by userEmail tells a name the caller may not read', () => {
    it('the reason names the user and the store although User.name and Store.name are refused', async () => {
      // The caller really may not read them: the lists refuse both names.
      const lists = await actors.as<{ users: { email: string; name: string | null }[]; stores: { id: string; name: string | null }[] }>(
        EMAILS_NOT_NAMES, '{ users { email name } stores { id name } }');
      expect(lists.data?.users.find((u) => u.email === RECEPTION)?.name).toBeNull();
      expect(lists.data?.stores.find((s) => s.id === demo.stores.Leeds)?.name).toBeNull();

      const result = await actors.as<{ explain: { reason: string } }>(EMAILS_NOT_NAMES, EXPLAIN, { e: RECEPTION, s: demo.stores.Leeds });
      const reason = result.data?.explain?.reason ?? '';
      // Today: "Denied: no role that Rita Okafor holds in force at Leeds allows read Customer.dateOfBirth at Leeds."
      expect(reason).not.toContain('Rita Okafor');
      expect(reason).not.toContain('Leeds');
    });

    it('by userId, a caller who reads no staff record at all learns the name of the user behind an assignment id', async () => {
      const result = await actors.as<{ explain: { reason: string } }>(NO_STAFF, EXPLAIN, { u: demo.users['north.manager@clearview.example'], s: demo.stores.York });
      const reason = result.data?.explain?.reason ?? '';
      // Today: "Granted: Nathan Price holds role "Regional manager" for a region, … at York."
      expect(reason).not.toContain('Nathan Price');
      expect(reason).not.toContain('York');
    });

    it('checks the question before looking a name up: a bad subject is BAD_USER_INPUT whether the email exists or not', async () => {
      const ask = (userEmail: string) => actors.as(CM, `query($e: String) {
        explain(userEmail: $e, storeName: "Leeds", action: "read", subject: "NoSuchSubject") { granted } }`, { e: userEmail });
      for (const email of [RECEPTION, 'nobody.at.all@clearview.example']) {
        const { errors } = await ask(email);
        expect(errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'subject']]);
      }
    });
  });

  describe('"signed in elsewhere" on a token that had already expired', () => {
    it('an idle-expired token keeps the expired message after its user signs in again', async () => {
      const old = await app.login(RECEPTION);
      // Idle for longer than SESSION_IDLE_MINUTES: expired.
      await app.ownerCore.query(`UPDATE session SET last_seen_at = now() - interval '1 hour' WHERE user_id = $1`, [demo.users[RECEPTION]]);
      const before = await app.request('{ me { email } }', {}, old);
      expect(before.errors?.[0]?.message).toBe(SESSION_EXPIRED_MESSAGE);

      // The user signs in again later, somewhere else: whoever holds the long-dead token should learn nothing.
      await app.login(RECEPTION);
      const after = await app.request('{ me { email } }', {}, old);
      expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      // Today: "Session ended: this account signed in elsewhere …", telling the old token's holder that the user is active again.
      expect(after.errors?.[0]?.message).toBe(SESSION_EXPIRED_MESSAGE);
    });

    it('a token past SESSION_MAX_HOURS keeps the expired message after its user signs in again', async () => {
      const who = 'leeds.assistant@clearview.example';
      const old = await app.login(who);
      await app.ownerCore.query(`UPDATE session SET max_expires_at = now() - interval '1 minute' WHERE user_id = $1`, [demo.users[who]]);
      expect((await app.request('{ me { email } }', {}, old)).errors?.[0]?.message).toBe(SESSION_EXPIRED_MESSAGE);
      await app.login(who);
      expect((await app.request('{ me { email } }', {}, old)).errors?.[0]?.message).toBe(SESSION_EXPIRED_MESSAGE);
    });
  });
});
