/**
 * Redaction keeps the change logs tamper-evident: after an erasure the chains verify, but a redacted entry given
 * values again, an unredacted entry's digest or values changed, or an entry redacted without a recorded redaction
 * is `altered`. Only the SECURITY DEFINER functions redact: the application role cannot UPDATE a log, the owner's
 * UPDATE is rejected unless it only redacts inside the function, and the functions refuse a customer who is not
 * erased (core) or still has clinical records (clinical). Tampering runs as the owner with the triggers off in a
 * transaction that is rolled back.
 */
import { QueryRunner } from 'typeorm';
import { CHANGE_LOGS, verifyChangeLog } from '../../src/hash-chain/change-log-chain';
import { ChangeLogKind } from '../../src/schema/enums';
import { signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { addPersonalHistory, createCustomer, createRequest, ERASE, person } from './erasure-support';

const PERSONAL = CHANGE_LOGS.find((l) => l.kind === ChangeLogKind.PERSONAL)!;

describe('redaction and the hash chains', () => {
  let app: TestApp;
  let users: Record<'dpo' | 'leedsManager' | 'leedsAssistant' | 'leedsOptometrist', SignedInClient>;
  let leedsId: string;
  let chainId: string;
  let erased: string;
  let active: string;
  let redactedEntry: string;
  let plainEntry: string;

  async function tampered(tamper: (q: QueryRunner) => Promise<unknown>): Promise<{ ok: boolean; problems: string[] }> {
    const q = app.ownerCore.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await q.query(`ALTER TABLE personal_change_log_entry DISABLE TRIGGER USER`);
      await tamper(q);
      await q.query(`ALTER TABLE personal_change_log_entry ENABLE TRIGGER USER`);
      const report = (await verifyChangeLog(q, PERSONAL)).chains.find((c) => c.chainId === chainId)!;
      return { ok: report.ok, problems: (report.problems ?? []).map((p) => `${p.kind} ${p.id}`) };
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  }

  async function failure(db: 'core' | 'coreOwner' | 'clinical', sql: string, params: unknown[] = []): Promise<string> {
    const source = { core: app.core, coreOwner: app.ownerCore, clinical: app.clinical }[db];
    try {
      await source.query(sql, params);
      return 'no error';
    } catch (error) {
      return (error as Error).message;
    }
  }

  beforeAll(async () => {
    app = await startTestApp();
    users = await signInAll(app, ['dpo', 'leedsManager', 'leedsAssistant', 'leedsOptometrist']);
    [{ id: leedsId, chain_id: chainId }] = await app.core.query(`SELECT id, chain_id FROM store WHERE name = 'Leeds'`);
    const p = person('Chain');
    erased = await createCustomer(users.leedsManager, leedsId, p);
    await addPersonalHistory(users.leedsAssistant, users.leedsManager, erased, p);
    active = await createCustomer(users.leedsManager, leedsId, person('Active'));
    const result = await users.dpo.request(ERASE, { customerId: erased, dataRequestId: await createRequest(app, erased) });
    expect(result.errors).toBeUndefined();
    [{ id: redactedEntry }] = await app.ownerCore.query(
      `SELECT id::text AS id FROM personal_change_log_entry WHERE customer_id = $1 AND action = 'CREATE' AND record_type = 'Customer'`, [erased]);
    [{ id: plainEntry }] = await app.ownerCore.query(
      `SELECT id::text AS id FROM personal_change_log_entry WHERE customer_id = $1 AND action = 'CREATE' AND record_type = 'Customer'`, [active]);
  });
  afterAll(() => app.stop());

  it('the redacted entries hold only markers and the chain verifies', async () => {
    const [{ changes }] = await app.ownerCore.query(`SELECT changes FROM personal_change_log_entry WHERE id = $1`, [redactedEntry]);
    expect(Object.values(changes).every((v) => JSON.stringify(v) === '{"redacted":true}')).toBe(true);
    expect(Object.keys(changes)).toEqual(expect.arrayContaining(['firstName', 'lastName', 'email', 'phone']));
    expect((await verifyChangeLog(app.ownerCore, PERSONAL)).ok).toBe(true);
  });

  it('names a redacted entry given values again as altered', async () => {
    const result = await tampered((q) => q.query(
      `UPDATE personal_change_log_entry SET changes = '{"lastName": {"before": null, "after": "Someone"}}' WHERE id = $1`, [redactedEntry]));
    expect(result).toEqual({ ok: false, problems: [`altered ${redactedEntry}`] });
  });

  it('names an unredacted entry whose digest or values changed as altered', async () => {
    expect(await tampered((q) => q.query(`UPDATE personal_change_log_entry SET changes_digest = sha256('x') WHERE id = $1`, [plainEntry])))
      .toEqual({ ok: false, problems: [`altered ${plainEntry}`] });
    expect(await tampered((q) => q.query(
      `UPDATE personal_change_log_entry SET changes = jsonb_set(changes, '{city}', '{"before": null, "after": "Elsewhere"}') WHERE id = $1`, [plainEntry])))
      .toEqual({ ok: false, problems: [`altered ${plainEntry}`] });
  });

  it('names an entry redacted without a recorded redaction of its customer as altered', async () => {
    const result = await tampered((q) => q.query(
      `UPDATE personal_change_log_entry SET changes = change_log_redacted(changes, NULL) WHERE id = $1`, [plainEntry]));
    expect(result).toEqual({ ok: false, problems: [`altered ${plainEntry}`] });
  });

  it('the application role cannot UPDATE a change log; the owner cannot either, outside the redaction function', async () => {
    expect(await failure('core', `UPDATE personal_change_log_entry SET changes = '{}' WHERE id = $1`, [plainEntry])).toMatch(/permission denied/);
    expect(await failure('coreOwner', `UPDATE personal_change_log_entry SET changes = change_log_redacted(changes, NULL) WHERE id = $1`, [plainEntry]))
      .toBe('personal_change_log_entry is append-only: UPDATE rejected');
    // With the setting on, only a redaction passes: any other change is still rejected.
    const q = app.ownerCore.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await q.query(`SELECT set_config('visus.erasure_redaction', 'on', true)`);
      await expect(q.query(`UPDATE personal_change_log_entry SET request_id = 'forged' WHERE id = $1`, [plainEntry])).rejects.toThrow(/append-only/);
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  });

  it('the redaction functions refuse a customer who is not erased, or who still has clinical records', async () => {
    expect(await failure('core', `SELECT personal_change_log_redact($1, $2, NULL, NULL, 'r', 'probe')`, [chainId, active]))
      .toMatch(/only an erased customer's entries are redacted whole/);
    expect(await failure('core', `SELECT personal_change_log_redact($1, $2, ARRAY['email'], NULL, 'r', 'probe')`, [chainId, active]))
      .toMatch(/only an inactive or erased customer's entries are redacted/);
    const [{ customer_id: patient }] = await app.ownerClinical.query(`SELECT customer_id FROM examination LIMIT 1`);
    expect(await failure('clinical', `SELECT clinical_change_log_redact($1, $2, NULL, NULL, 'r', 'probe')`, [chainId, patient]))
      .toMatch(/still has clinical records/);
  });
});
