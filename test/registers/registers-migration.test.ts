/**
 * The data migration for databases seeded before the DPO's registers (migrations/core/*RegistersForRoleManagers.ts):
 * each role manager role (manage on Role and RoleAssignment) gets `manage` on Breach and ProcessingActivity, once,
 * no other role does, and the chains concerned get their authz version bumped, so the chain manager can use (and
 * grant) the registers at once.
 */
import { RegistersForRoleManagers1796190500000 } from '../../migrations/core/1796190500000-RegistersForRoleManagers';
import { signIn } from '../support/actors';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';

describe('the migration for databases seeded before the registers', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.stop());

  it('gives manage Breach and ProcessingActivity to each role manager role (not to others), once, and bumps their chains’ authz version', async () => {
    const managed = async () => (await t.ownerCore.query(`SELECT r.name, p.subject FROM role_permission p JOIN role r ON r.id = p.role_id
      WHERE p.subject IN ('Breach', 'ProcessingActivity') AND p.action = 'manage' ORDER BY r.name, p.subject`)) as { name: string; subject: string }[];
    const cm = await signIn(t, 'chainManager');
    await t.ownerCore.query(`DELETE FROM role_permission WHERE subject IN ('Breach', 'ProcessingActivity') AND action = 'manage'`);
    await t.ownerCore.query('UPDATE chain SET authz_version = authz_version + 1');
    expect(errorCodes(await cm.request('{ breaches { id } }'))).toEqual(['FORBIDDEN']);
    const [{ v: before }] = (await t.ownerCore.query(`SELECT authz_version::text AS v FROM chain WHERE name = 'Clearview Opticians'`)) as { v: string }[];
    const runner = t.ownerCore.createQueryRunner();
    try {
      await new RegistersForRoleManagers1796190500000().up(runner);
      await new RegistersForRoleManagers1796190500000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await managed()).toEqual([
      { name: 'Chain manager', subject: 'Breach' }, { name: 'Chain manager', subject: 'Breach' },
      { name: 'Chain manager', subject: 'ProcessingActivity' }, { name: 'Chain manager', subject: 'ProcessingActivity' },
    ].sort((a, b) => a.subject.localeCompare(b.subject)));
    const [{ v: after }] = (await t.ownerCore.query(`SELECT authz_version::text AS v FROM chain WHERE name = 'Clearview Opticians'`)) as { v: string }[];
    expect(Number(after)).toBe(Number(before) + 1);
    expect((await cm.request('{ breaches { id } }')).errors).toBeUndefined();
  });
});
