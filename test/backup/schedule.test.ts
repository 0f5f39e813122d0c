/**
 * The backup schedule's run (src/backup/schedule.ts, BACKUP_CRON): a backup that verifies raises nothing; a
 * verification that fails (the host's identity is not the archive's recipient) and a backup that fails each raise a
 * BACKUP_VERIFICATION_FAILED security event without a user in every chain, which the DPO sees through the real API.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { age } from '../../src/backup/age';
import { runScheduledBackup } from '../../src/backup/schedule';
import { EMAIL } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/** verify.ts (re)creates its application role with a random password: not the suite's own role on the shared server. */
const VERIFY_ROLE = 'visus_schedule_verify';

describe('scheduled backup', () => {
  let app: TestApp;
  let dir: string;
  let identityFile: string;
  let recipient: string;
  let chains: number;

  beforeAll(async () => {
    app = await startTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-schedule-test-'));
    const a = await age();
    const identity = await a.generateX25519Identity();
    recipient = await a.identityToRecipient(identity);
    identityFile = path.join(dir, 'identity.txt');
    fs.writeFileSync(identityFile, `${identity}\n`);
    chains = Number((await app.ownerCore.query('SELECT count(*)::int AS n FROM chain'))[0].n);
    expect(chains).toBeGreaterThan(1);
  });

  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await app.stop();
  });

  const owner = (): { core: string; clinical: string } => ({ core: app.coreUrl, clinical: app.clinicalUrl });
  const events = async (): Promise<{ chain_id: string; user_id: string | null }[]> =>
    app.ownerCore.query(`SELECT chain_id, user_id FROM security_event WHERE kind = 'BACKUP_VERIFICATION_FAILED'`);

  it('backs up and verifies, raising nothing', async () => {
    const outcome = await runScheduledBackup({ owner: owner(), keys: { recipients: [recipient], identityFile }, dir: path.join(dir, 'ok'), appRole: VERIFY_ROLE, verifyAdminUrl: process.env.VISUS_TEST_PG_URL });
    expect(outcome.problem).toBeUndefined();
    expect(outcome).toMatchObject({ ok: true, verified: true, eventsRaised: 0 });
    expect(fs.existsSync(outcome.file!)).toBe(true);
    expect(await events()).toEqual([]);
  });

  it('backs up only, without an identity on the host', async () => {
    const outcome = await runScheduledBackup({ owner: owner(), keys: { recipients: [recipient] }, dir: path.join(dir, 'only'), appRole: VERIFY_ROLE, verifyAdminUrl: process.env.VISUS_TEST_PG_URL });
    expect(outcome.problem).toBeUndefined();
    expect(outcome).toMatchObject({ ok: true, verified: false, eventsRaised: 0 });
    expect(await events()).toEqual([]);
  });

  it('raises a system event in every chain when verification fails, seen by the DPO', async () => {
    const other = await (await age()).generateX25519Identity();
    const wrong = path.join(dir, 'wrong.txt');
    fs.writeFileSync(wrong, `${other}\n`);
    const outcome = await runScheduledBackup({ owner: owner(), keys: { recipients: [recipient], identityFile: wrong }, dir: path.join(dir, 'bad'), appRole: VERIFY_ROLE, verifyAdminUrl: process.env.VISUS_TEST_PG_URL });
    expect(outcome.ok).toBe(false);
    expect(outcome.problem).toMatch(/^verification: .*none of the given identities opens it/);
    expect(outcome.eventsRaised).toBe(chains);
    const raised = await events();
    expect(raised).toHaveLength(chains);
    expect(new Set(raised.map((e) => e.chain_id)).size).toBe(chains);
    expect(raised.every((e) => e.user_id === null)).toBe(true);

    const dpo = await app.login(EMAIL.dpo);
    const seen = await app.request<{ securityEvents: { edges: { node: { kind: string; userId: string | null; user: unknown } }[] } }>(
      '{ securityEvents(first: 50) { edges { node { kind userId userName user { id } } } } }', {}, dpo);
    expect(seen.errors).toBeUndefined();
    const backupEvents = seen.data!.securityEvents.edges.map((e) => e.node).filter((n) => n.kind === 'BACKUP_VERIFICATION_FAILED');
    expect(backupEvents).toEqual([{ kind: 'BACKUP_VERIFICATION_FAILED', userId: null, userName: null, user: null }]);
  });

  it('raises the event when the backup itself fails', async () => {
    const before = (await events()).length;
    const outcome = await runScheduledBackup({ owner: { ...owner(), clinical: `${app.clinicalUrl}_missing` }, keys: { recipients: [recipient], identityFile }, dir: path.join(dir, 'fail'), appRole: VERIFY_ROLE, verifyAdminUrl: process.env.VISUS_TEST_PG_URL });
    expect(outcome.ok).toBe(false);
    expect(outcome.problem).toMatch(/^backup: /);
    expect((await events()).length).toBe(before + chains);
  });
});
