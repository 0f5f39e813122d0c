/**
 * Protection cannot be switched off without a trace: every change of the audit settings writes an append-only,
 * hash-chained history entry with every value before and after; each protection weakened (a higher threshold,
 * a shorter window, a longer emergency access) raises a SETTING_WEAKENED security event about the changer, which
 * the changer may not acknowledge and someone else must. Reproduces the hole: raise the threshold, read, set it
 * back, and only the last `updatedBy` remained.
 */
import { verifySecuritySettings } from '../../src/hash-chain/security-setting-chain';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const CHAIN_MANAGER = EMAIL.chainManager;
const DPO = EMAIL.dpo;
const UPDATE = 'mutation($input: UpdateAuditSettingsInput!) { updateAuditSettings(input: $input) { anomalyDistinctCustomers } }';
const ACK = 'mutation($id: ID!, $note: String!) { acknowledgeSecurityEvent(id: $id, note: $note) { id acknowledged } }';

interface HistoryRow { user_id: string; before: Record<string, number>; after: Record<string, number>; weakened: string[]; seq: string }

describe('security settings history', () => {
  let app: TestApp;
  let managerId: string;
  let chainId: string;
  const tokens: Record<string, string> = {};

  const history = async () => (await app.ownerCore.query(
    'SELECT user_id, before, after, weakened, seq::text AS seq FROM security_setting_change WHERE chain_id = $1 ORDER BY seq', [chainId],
  )) as HistoryRow[];
  const events = async () => (await app.core.query(
    `SELECT id::text AS id, user_id, setting, threshold, observed_count FROM security_event WHERE kind = 'SETTING_WEAKENED' AND chain_id = $1 ORDER BY security_event.id`, [chainId],
  )) as { id: string; user_id: string; setting: string; threshold: number; observed_count: number }[];

  beforeAll(async () => {
    app = await startTestApp();
    [{ id: managerId, chain_id: chainId }] = (await app.core.query('SELECT id, chain_id FROM staff_user WHERE email = $1', [CHAIN_MANAGER])) as { id: string; chain_id: string }[];
    for (const email of [CHAIN_MANAGER, DPO]) tokens[email] = await app.login(email);
  });
  afterAll(() => app.stop());

  it('keeps the whole story of raise, read, set back: two entries, one weakening event', async () => {
    expect((await app.request(UPDATE, { input: { anomalyDistinctCustomers: 80 } }, tokens[CHAIN_MANAGER])).errors).toBeUndefined();
    expect((await app.request(UPDATE, { input: { anomalyDistinctCustomers: 50 } }, tokens[CHAIN_MANAGER])).errors).toBeUndefined();
    const rows = await history();
    expect(rows.map((r) => [r.seq, r.before.anomalyDistinctCustomers, r.after.anomalyDistinctCustomers, r.weakened])).toEqual([
      ['1', 50, 80, ['anomalyDistinctCustomers']],
      ['2', 80, 50, []],
    ]);
    expect(rows.every((r) => r.user_id === managerId)).toBe(true);
    expect(Object.keys(rows[0].before).sort()).toEqual(['anomalyDistinctCustomers', 'anomalyExportCustomers', 'anomalyWindowMinutes', 'emergencyAccessMinutes', 'verificationPeriodMonths']);
    expect(await events()).toEqual([{ id: expect.any(String), user_id: managerId, setting: 'anomalyDistinctCustomers', threshold: 50, observed_count: 80 }]);
  });

  it.each([
    [{ anomalyExportCustomers: 500 }, 'anomalyExportCustomers'],
    [{ anomalyWindowMinutes: 5 }, 'anomalyWindowMinutes'],
    [{ emergencyAccessMinutes: 240 }, 'emergencyAccessMinutes'],
    [{ verificationPeriodMonths: 24 }, 'verificationPeriodMonths'],
  ])('treats %j as weakening %s', async (input, setting) => {
    const before = (await events()).length;
    expect((await app.request(UPDATE, { input }, tokens[CHAIN_MANAGER])).errors).toBeUndefined();
    const raised = await events();
    expect(raised).toHaveLength(before + 1);
    expect(raised[raised.length - 1].setting).toBe(setting);
  });

  it('lets someone else acknowledge a weakening, never the changer', async () => {
    const [first] = await events();
    expect(errorCodes(await app.request(ACK, { id: first.id, note: 'Looks fine to me' }, tokens[CHAIN_MANAGER]))).toEqual(['FORBIDDEN']);
    const acked = await app.request<{ acknowledgeSecurityEvent: { acknowledged: boolean } }>(ACK, { id: first.id, note: 'Asked why: test campaign' }, tokens[DPO]);
    expect(acked.errors).toBeUndefined();
    expect(acked.data?.acknowledgeSecurityEvent.acknowledged).toBe(true);
    const listed = await app.request<{ securityEvents: { edges: { node: { kind: string; setting: string | null } }[] } }>(
      '{ securityEvents { edges { node { kind setting } } } }', {}, tokens[DPO]);
    expect(listed.data?.securityEvents.edges.filter((e) => e.node.kind === 'SETTING_WEAKENED').every((e) => e.node.setting)).toBe(true);
  });

  it('writes nothing for a refused change, and verifies; an altered entry is found', async () => {
    const before = (await history()).length;
    expect(errorCodes(await app.request(UPDATE, { input: { anomalyDistinctCustomers: 0 } }, tokens[CHAIN_MANAGER]))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await app.request(UPDATE, { input: { anomalyDistinctCustomers: 99 } }, tokens[DPO]))).toEqual(['FORBIDDEN']);
    expect(await history()).toHaveLength(before);
    expect((await verifySecuritySettings(app.core)).ok).toBe(true);
    await expect(app.core.query('UPDATE security_setting_change SET weakened = $1', [[]])).rejects.toThrow(/permission denied/);
    const q = app.ownerCore.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await q.query('ALTER TABLE security_setting_change DISABLE TRIGGER USER');
      await q.query(`UPDATE security_setting_change SET weakened = '{}' WHERE chain_id = $1 AND seq = 1`, [chainId]);
      await q.query('ALTER TABLE security_setting_change ENABLE TRIGGER USER');
      const report = (await verifySecuritySettings(q)).chains.find((c) => c.chainId === chainId)!;
      expect(report.problems!.map((p) => [p.kind, p.seq])).toEqual([['altered', '1']]);
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  });
});
