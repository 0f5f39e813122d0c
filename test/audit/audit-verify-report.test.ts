/**
 * What `npm run audit:verify` prints (src/audit/verify-report.ts, the script's whole work): every log named with its
 * database, every chain by its chain of stores, whether it was compared against exported heads and from which file,
 * a verdict per log and a one-line summary; not OK (exit code 1) on any problem. The heads file is what
 * `audit:export-head` prints (src/audit/audit-heads.ts). Tampering runs as the superuser with the log's triggers
 * off, in a transaction rolled back afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryRunner } from 'typeorm';
import { exportAllHeads } from '../../src/hash-chain/audit-heads';
import { runAuditVerify } from '../../src/hash-chain/verify-report';
import { startTestApp, TestApp } from '../support/test-app';

const LOG_LINES = [
  'clinical access log, clinical database (clinical_access_log_entry)',
  'personal data change log (customers, consents, appointments), core database (personal_change_log_entry)',
  'clinical data change log (examinations, prescriptions, contact lens specifications, clinical notes), clinical database (clinical_change_log_entry)',
  'security settings history, core database (security_setting_change)',
];

describe('audit:verify report', () => {
  let app: TestApp;
  let clearview: string;
  let headFile: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-heads-'));

  const verify = (options: { headFile?: string } = {}, clinical: TestApp['ownerClinical'] | QueryRunner = app.ownerClinical, core: TestApp['ownerCore'] | QueryRunner = app.ownerCore) =>
    runAuditVerify({ core, clinical }, options);

  /** Runs `tamper` on `table` (triggers off, as the owner), then `check`, in one transaction rolled back afterwards. */
  async function tampered(db: TestApp['ownerCore'], table: string, tamper: (q: QueryRunner) => Promise<unknown>, check: (q: QueryRunner) => Promise<void>): Promise<void> {
    const q = db.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await q.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      await tamper(q);
      await q.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      await check(q);
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  }

  beforeAll(async () => {
    app = await startTestApp();
    [{ id: clearview }] = await app.core.query("SELECT id FROM chain WHERE name = 'Clearview Opticians'");
    // a security settings change, so that every log has a chain (and set back: two entries)
    const manager = await app.login('chain.manager@clearview.example');
    for (const minutes of [90, 60]) {
      const result = await app.request(`mutation { updateAuditSettings(input: { emergencyAccessMinutes: ${minutes} }) { emergencyAccessMinutes } }`, {}, manager);
      expect(result.errors).toBeUndefined();
    }
    // and a clinical change (the demo seed changes no clinical record)
    const [{ id: leeds }] = await app.core.query("SELECT id FROM store WHERE name = 'Leeds'");
    const [{ customer_id: patient }] = await app.clinical.query('SELECT customer_id FROM examination WHERE store_id = $1 ORDER BY customer_id LIMIT 1', [leeds]);
    const note = await app.request('mutation($i: AddClinicalNoteInput!) { addClinicalNote(input: $i) { id } }',
      { i: { customerId: patient, storeId: leeds, plan: 'Review in six weeks.' } }, await app.login('leeds.optometrist@clearview.example'));
    expect(note.errors).toBeUndefined();
    headFile = path.join(dir, 'heads.json');
  });
  afterAll(async () => {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names every log, its database and each chain of stores, with a verdict per log and a summary', async () => {
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.lines[0]).toBe('Exported heads: none given (--head <file>): entries cut from the end of a log since an export would go unnoticed.');
    for (const label of LOG_LINES) {
      const line = report.lines.find((l) => l.startsWith(`OK    ${label}: `));
      expect([label, line]).toEqual([label, expect.stringMatching(/: intact: \d+ chains?, \d+ entr(y|ies); not compared against exported heads$/)]);
    }
    // one line per chain under its log, by the chain's name
    const clearviewLines = report.lines.filter((l) => l.includes(`Clearview Opticians (chain ${clearview})`));
    expect(clearviewLines).toHaveLength(4);
    for (const line of clearviewLines) expect(line).toMatch(/^ {8}OK {3}Clearview Opticians \(chain [0-9a-f-]{36}\): \d+ entr(y|ies), head seq \d+ hash [0-9a-f]{64}$/);
    expect(report.lines).toContain('OK    users and sessions named by the entries: every one exists in its chain of stores');
    expect(report.lines[report.lines.length - 1]).toBe('Summary: OK: all 5 checks passed, without exported heads.');
  });

  it('says an empty log is empty', async () => {
    await tampered(app.ownerCore, 'security_setting_change', (q) => q.query('DELETE FROM security_setting_change'), async (q) => {
      const report = await verify({}, app.ownerClinical, q);
      expect(report.lines).toContain(`OK    ${LOG_LINES[3]}: empty, nothing to verify; not compared against exported heads`);
      expect(report.ok).toBe(true);
    });
  });

  it('compares every log against an exported heads file and says which', async () => {
    const heads = await exportAllHeads({ core: app.ownerCore, clinical: app.ownerClinical });
    expect(new Set(heads.map((h) => h.log))).toEqual(new Set(['clinical_access_log', 'personal_change_log', 'clinical_change_log', 'security_setting_change']));
    fs.writeFileSync(headFile, JSON.stringify(heads, null, 2));
    // the logs grow after the export: the exported heads must still be in place
    const dpo = await app.login('dpo@clearview.example');
    expect((await app.request('{ clinicalAccessLog(first: 5) { totalCount } }', {}, dpo)).errors).toBeUndefined();

    const report = await verify({ headFile });
    expect(report.ok).toBe(true);
    expect(report.lines[0]).toMatch(new RegExp(`^Exported heads: ${headFile} \\(${heads.length} heads, exported \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\); every log is compared against them\\.$`));
    for (const label of LOG_LINES) {
      expect(report.lines).toContainEqual(expect.stringMatching(new RegExp(`^OK    ${label.replace(/[()]/g, '\\$&')}: intact: .*; compared against \\d+ exported heads? from ${headFile}$`)));
    }
    const clearviewLines = report.lines.filter((l) => l.includes(`Clearview Opticians (chain ${clearview})`));
    expect(clearviewLines).toHaveLength(4);
    for (const line of clearviewLines) expect(line).toMatch(new RegExp(`; the head exported in ${headFile} \\(seq \\d+\\) is still in place$`));
    expect(report.lines[report.lines.length - 1]).toBe(`Summary: OK: all 5 checks passed, against the heads exported in ${headFile}.`);
  });

  it('fails, naming the log, the chain and the problem, when entries were cut from a log since the export', async () => {
    const [{ seq }] = await app.ownerClinical.query('SELECT max(seq)::text AS seq FROM clinical_access_log_entry WHERE chain_id = $1', [clearview]);
    const exported = JSON.parse(fs.readFileSync(headFile, 'utf8')) as { log: string; chainId: string; seq: string }[];
    const head = exported.find((h) => h.log === 'clinical_access_log' && h.chainId === clearview)!;
    await tampered(app.ownerClinical, 'clinical_access_log_entry',
      (q) => q.query('DELETE FROM clinical_access_log_entry WHERE chain_id = $1 AND seq >= $2', [clearview, head.seq]),
      async (q) => {
        // without the heads the shortened chain still looks whole...
        expect((await verify({}, q)).ok).toBe(true);
        // ...with them it does not
        const report = await verify({ headFile }, q);
        expect(report.ok).toBe(false);
        expect(report.lines).toContainEqual(expect.stringMatching(new RegExp(`^FAIL  ${LOG_LINES[0].replace(/[()]/g, '\\$&')}: BROKEN: 1 of \\d+ chains?; compared against`)));
        expect(report.lines).toContainEqual(expect.stringMatching(new RegExp(`^ {8}FAIL Clearview Opticians \\(chain ${clearview}\\): truncated: the exported head seq ${head.seq} is no longer in the chain`)));
        expect(report.lines[report.lines.length - 1]).toBe(`Summary: FAIL: 1 of 5 checks found problems (clinical access log), against the heads exported in ${headFile}.`);
      });
    expect(Number(seq)).toBeGreaterThanOrEqual(Number(head.seq));
  });

  it('fails on an altered entry in the security settings history, and on an entry naming an unknown session', async () => {
    await tampered(app.ownerCore, 'security_setting_change',
      (q) => q.query("UPDATE security_setting_change SET after = jsonb_set(after, '{emergencyAccessMinutes}', '720') WHERE chain_id = $1 AND seq = 1", [clearview]),
      async (q) => {
        const report = await verify({ headFile }, app.ownerClinical, q);
        expect(report.ok).toBe(false);
        expect(report.lines).toContainEqual(expect.stringMatching(/^FAIL {2}security settings history, core database \(security_setting_change\): BROKEN: 1 of 1 chain;/));
        expect(report.lines).toContainEqual(expect.stringMatching(/^ {8}FAIL Clearview Opticians .*: altered: entry seq 1 /));
        expect(report.lines[report.lines.length - 1]).toMatch(/^Summary: FAIL: 1 of 5 checks found problems \(security settings history\)/);
      });
    await tampered(app.ownerCore, 'personal_change_log_entry',
      (q) => q.query('UPDATE personal_change_log_entry SET session_id = gen_random_uuid() WHERE chain_id = $1 AND seq = 1', [clearview]),
      async (q) => {
        const report = await verify({}, app.ownerClinical, q);
        expect(report.ok).toBe(false);
        expect(report.lines).toContain('FAIL  users and sessions named by the entries: some do not exist (below)');
        expect(report.lines[report.lines.length - 1]).toMatch(/^Summary: FAIL: 2 of 5 checks found problems \(personal data change log .*; users and sessions named by entries\), without exported heads\.$/);
      });
  });

  it('refuses a malformed heads file', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify([{ log: 'security_setting_change', chainId: clearview, seq: 'x', hash: 'ab' }]));
    await expect(verify({ headFile: bad })).rejects.toThrow('head 0');
  });
});
