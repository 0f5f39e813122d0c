/**
 * authPolicy and updateAuthPolicy through the API: the defaults of a chain that never set a policy (a second factor
 * for every role that reads a clinical subject or exports anything, no passkey roles, 15 minutes, 12 hours), the
 * demo's explicit policy requiring nothing, validation (nothing changes on bad input), who may read and change it,
 * the security settings history with what got weaker, and SETTING_WEAKENED events.
 */
import { errorCodes } from '../support/graphql-client';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import { PolicyData, POLICY_FIELDS, roleId, UPDATE_POLICY } from './auth-policy-support';

const CLEARVIEW = 'Clearview Opticians';
const READ_POLICY = `{ authPolicy { ${POLICY_FIELDS} } }`;

describe('auth policy', () => {
  let app: TestApp;
  const { as } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('the demo chain has an explicit policy requiring nothing, with the configured session limits', async () => {
    const result = await as('chainManager', READ_POLICY);
    expect(result.errors).toBeUndefined();
    expect(result.data?.authPolicy).toEqual({
      secondFactorRoleIds: [], passkeyRoleIds: [], idleTimeoutMinutes: 15, sessionMaxHours: 12, isDefault: false, updatedAt: null,
    });
  });

  it('a chain without a policy has the defaults: a second factor for clinical read or any export', async () => {
    // The domain's oracle: of the demo roles, only the receptionist reads nothing clinical and exports nothing.
    const expected = await Promise.all(['Chain manager', 'Regional manager', 'Store manager', 'Optometrist', 'Optical assistant',
      'Data protection officer', 'BI service account'].map((name) => roleId(app, CLEARVIEW, name)));
    const receptionist = await roleId(app, CLEARVIEW, 'Receptionist');
    const saved = await app.ownerCore.query(`SELECT * FROM auth_policy WHERE chain_id = (SELECT id FROM chain WHERE name = $1)`, [CLEARVIEW]);
    await app.ownerCore.query(`DELETE FROM auth_policy WHERE chain_id = (SELECT id FROM chain WHERE name = $1)`, [CLEARVIEW]);
    try {
      const result = await as('chainManager', READ_POLICY);
      expect(result.errors).toBeUndefined();
      const policy = result.data?.authPolicy as PolicyData;
      expect(policy).toMatchObject({ passkeyRoleIds: [], idleTimeoutMinutes: 15, sessionMaxHours: 12, isDefault: true, updatedAt: null });
      expect([...policy.secondFactorRoleIds].sort()).toEqual([...expected].sort());
      expect(policy.secondFactorRoleIds).not.toContain(receptionist);
    } finally {
      await app.ownerCore.query(
        'INSERT INTO auth_policy (chain_id, second_factor_role_ids, passkey_role_ids) VALUES ($1, $2::uuid[], $3::uuid[])',
        [saved[0].chain_id, saved[0].second_factor_role_ids, saved[0].passkey_role_ids],
      );
    }
  });

  it('is read and changed by chain managers only: FORBIDDEN for the others', async () => {
    for (const who of ['leedsManager', 'northManager', 'leedsOptometrist', 'leedsReception', 'dpo'] as const) {
      expect(errorCodes(await as(who, READ_POLICY))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await as(who, UPDATE_POLICY, { input: { idleTimeoutMinutes: 30 } }))).toEqual(['FORBIDDEN']);
    }
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const lakesideRole = await roleId(app, 'Lakeside Eyecare', 'Chain manager');
    const cases: [Record<string, unknown>, string][] = [
      [{ idleTimeoutMinutes: 0 }, 'input.idleTimeoutMinutes'],
      [{ idleTimeoutMinutes: 61 }, 'input.idleTimeoutMinutes'],
      [{ sessionMaxHours: 0 }, 'input.sessionMaxHours'],
      [{ sessionMaxHours: 25 }, 'input.sessionMaxHours'],
      [{ secondFactorRoleIds: ['not-a-role'] }, 'input.secondFactorRoleIds[0]'],
      [{ secondFactorRoleIds: [lakesideRole] }, 'input.secondFactorRoleIds'],
      [{ passkeyRoleIds: ['00000000-0000-4000-8000-000000000000'] }, 'input.passkeyRoleIds'],
      [{}, 'input'],
    ];
    const historyBefore = await app.ownerCore.query(`SELECT count(*)::int AS n FROM security_setting_change WHERE setting = 'AuthPolicy'`);
    for (const [input, field] of cases) {
      const result = await as('chainManager', UPDATE_POLICY, { input });
      expect({ input, codes: errorCodes(result), field: result.errors?.[0].extensions?.field }).toEqual({ input, codes: ['BAD_USER_INPUT'], field });
    }
    expect((await as('chainManager', READ_POLICY)).data?.authPolicy).toMatchObject({ secondFactorRoleIds: [], idleTimeoutMinutes: 15, sessionMaxHours: 12, updatedAt: null });
    expect(await app.ownerCore.query(`SELECT count(*)::int AS n FROM security_setting_change WHERE setting = 'AuthPolicy'`)).toEqual(historyBefore);
  });

  it('changes the rules given, keeps the others, and records each change with what got weaker', async () => {
    const optometrist = await roleId(app, CLEARVIEW, 'Optometrist');
    const assistant = await roleId(app, CLEARVIEW, 'Optical assistant');
    const stricter = await as<{ updateAuthPolicy: PolicyData }>('chainManager', UPDATE_POLICY, {
      input: { secondFactorRoleIds: [optometrist, assistant, optometrist], passkeyRoleIds: [optometrist], idleTimeoutMinutes: 10 },
    });
    expect(stricter.errors).toBeUndefined();
    expect(stricter.data?.updateAuthPolicy).toMatchObject({
      secondFactorRoleIds: [optometrist, assistant].sort(), passkeyRoleIds: [optometrist], idleTimeoutMinutes: 10, sessionMaxHours: 12, isDefault: false,
    });
    expect(stricter.data?.updateAuthPolicy.updatedAt).not.toBeNull();

    const looser = await as<{ updateAuthPolicy: PolicyData }>('chainManager', UPDATE_POLICY, { input: { secondFactorRoleIds: [assistant], passkeyRoleIds: [], idleTimeoutMinutes: 30, sessionMaxHours: 8 } });
    expect(looser.errors).toBeUndefined();
    expect(looser.data?.updateAuthPolicy).toMatchObject({ secondFactorRoleIds: [assistant], passkeyRoleIds: [], idleTimeoutMinutes: 30, sessionMaxHours: 8 });

    const history: { before: Record<string, unknown>; after: Record<string, unknown>; weakened: string[] }[] = await app.ownerCore.query(
      `SELECT before, after, weakened FROM security_setting_change WHERE setting = 'AuthPolicy' ORDER BY seq`,
    );
    expect(history).toHaveLength(2);
    expect(history[0].weakened).toEqual([]);
    expect(history[0].before).toMatchObject({ secondFactorRoleIds: [], idleTimeoutMinutes: 15 });
    expect(history[0].after).toMatchObject({ passkeyRoleIds: [optometrist], idleTimeoutMinutes: 10 });
    // The optometrist needs no second factor any more, nor a passkey; the idle timeout got longer; the maximum shorter.
    expect([...history[1].weakened].sort()).toEqual(['AuthPolicy.idleTimeoutMinutes', 'AuthPolicy.passkeyRoleIds', 'AuthPolicy.secondFactorRoleIds']);
    const events: { setting: string; threshold: number; observedCount: number; userId: string }[] = await app.ownerCore.query(
      `SELECT setting, threshold, observed_count AS "observedCount", user_id::text AS "userId" FROM security_event WHERE kind = 'SETTING_WEAKENED' AND setting LIKE 'AuthPolicy.%' ORDER BY setting`,
    );
    const [manager] = await app.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.chainManager]);
    expect(events).toEqual([
      { setting: 'AuthPolicy.idleTimeoutMinutes', threshold: 10, observedCount: 30, userId: manager.id },
      { setting: 'AuthPolicy.passkeyRoleIds', threshold: 1, observedCount: 0, userId: manager.id },
      { setting: 'AuthPolicy.secondFactorRoleIds', threshold: 2, observedCount: 1, userId: manager.id },
    ]);
    // The history holds role ids and numbers only.
    expect(JSON.stringify(history)).not.toMatch(/password|secret|token/i);

    // Back to the demo's open policy for the other tests of this file.
    expect((await as('chainManager', UPDATE_POLICY, { input: { secondFactorRoleIds: [], idleTimeoutMinutes: 15, sessionMaxHours: 12 } })).errors).toBeUndefined();
  });

  it('is per chain: another chain’s manager sees and changes only their own', async () => {
    const lakeside = await as<{ updateAuthPolicy: PolicyData }>('lakesideManager', UPDATE_POLICY, { input: { idleTimeoutMinutes: 5 } });
    expect(lakeside.errors).toBeUndefined();
    expect(lakeside.data?.updateAuthPolicy.idleTimeoutMinutes).toBe(5);
    expect((await as<{ authPolicy: PolicyData }>('chainManager', READ_POLICY)).data?.authPolicy.idleTimeoutMinutes).toBe(15);
  });
});
