/**
 * The retention job (docs/retention.md#the-script), against both real databases: which customers' retention has
 * ended, with dates written from the rule (an adult whose last clinical contact was 10 years and a day ago is due,
 * 10 years minus a day is not; a child seen at 12 is kept to their 25th birthday; a child whose contact + 10 years is
 * later than their 25th is kept to that; the latest of any clinical record counts), a held customer is never disposed
 * of and is once released; a dry run changes nothing in either database; an apply disposes of the due customers (as
 * the named member of staff, where their rights reach) and a second apply does nothing; the script runs end to end
 * as a child process.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { runAuditVerify } from '../../src/hash-chain/verify-report';
import { disposeCustomer } from '../../src/services/retention/disposal-engine';
import { scanRetention } from '../../src/services/retention/retention-due';
import { ChainRun, findOperator, runRetention } from '../../src/services/retention/retention-run';
import { DatabaseChecksums } from '../support/db-checksums';
import { sealForTest } from '../support/clinical-ciphertext';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { Actors } from '../support/manager-actors';

const ROOT = path.join(__dirname, '..', '..');
const DEFAULTS = { adultYears: 10, childUntilAge: 25, childUnderAge: 18 };

/** A calendar date `years` years and `days` days before today (UTC), as YYYY-MM-DD (today is never 29 February here). */
function before(years: number, days = 0): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() - days)).toISOString().slice(0, 10);
}
const TODAY = before(0);

interface Planned { key: string; dateOfBirth: string; exams?: string[]; prescriptions?: string[]; notes?: string[] }

/**
 * The suite's customers, at Harrogate, each with clinical records on the dates given (instants at 10:00 UTC).
 * Written from the rule: see each line.
 */
const PLANNED: Planned[] = [
  // An adult seen 10 years and a day ago: kept until yesterday, due.
  { key: 'adultDue', dateOfBirth: '1960-05-05', exams: [before(10, 1)], prescriptions: [before(10, 1)] },
  // An adult seen 10 years minus a day ago: kept until tomorrow.
  { key: 'adultKept', dateOfBirth: '1960-05-05', exams: [before(10, -1)] },
  // A child seen at 12, 11 years ago: 10 years after the contact have passed, the 25th birthday (in 2 years) has not.
  { key: 'childTo25', dateOfBirth: before(23, 40), exams: [before(11)] },
  // A child seen at 17, 10 years and a day ago: their 25th birthday was 2 years ago; contact + 10 years was yesterday: due.
  { key: 'childAfterContact', dateOfBirth: before(27, 40), exams: [before(10, 1)] },
  // A child seen at 12, 14 years ago: contact + 10 was 4 years ago, the 25th birthday (later) was a month ago: due.
  { key: 'child25Passed', dateOfBirth: before(26, 30), exams: [before(14)] },
  // An adult last seen 12 years ago, under a legal hold.
  { key: 'held', dateOfBirth: '1955-01-20', exams: [before(12)] },
  // An old examination, but a clinical note 5 years ago: the latest record is the last contact, not due.
  { key: 'recentNote', dateOfBirth: '1950-07-07', exams: [before(15)], notes: [before(5)] },
];

type Ids = Record<string, string>;

async function createCustomers(app: TestApp, chainId: string, storeId: string, practitionerId: string): Promise<Ids> {
  const ids: Ids = {};
  for (const [i, plan] of PLANNED.entries()) {
    const [{ id }] = (await app.ownerCore.query(
      `INSERT INTO customer (chain_id, home_store_id, first_name, last_name, date_of_birth, email, address_line1, postcode)
       VALUES ($1, $2, 'Retention', $3, $4, $5, '1 Station Parade', 'HG1 1AA') RETURNING id`,
      [chainId, storeId, `Case${i}`, plan.dateOfBirth, `retention.case${i}@example.com`],
    )) as { id: string }[];
    ids[plan.key] = id;
    for (const day of plan.exams ?? []) {
      // Clinical free text is stored encrypted (test/encryption).
      const examId = randomUUID();
      const reason = await sealForTest(app.ownerClinical, chainId, 'Examination', 'reasonForVisit', examId, 'Routine sight test');
      await app.ownerClinical.query(
        `INSERT INTO examination (id, chain_id, store_id, customer_id, practitioner_id, examined_at, status, reason_for_visit, data_key_id) VALUES ($6, $1, $2, $3, $4, $5, 'SIGNED', $7, $8)`,
        [chainId, storeId, id, practitionerId, `${day}T10:00:00Z`, examId, reason.value, reason.keyId]);
    }
    for (const day of plan.prescriptions ?? []) {
      await app.ownerClinical.query(
        `INSERT INTO spectacle_prescription (chain_id, store_id, customer_id, issued_on, prescriber_id, prescriber_name, prescriber_registration_number, outcome, right_sphere, left_sphere)
         VALUES ($1, $2, $3, $4, $5, 'Dr Test', '01-12345', 'NEW_RX', -1, -1)`,
        [chainId, storeId, id, day, practitionerId]);
    }
    for (const day of plan.notes ?? []) {
      const noteId = randomUUID();
      const subjective = await sealForTest(app.ownerClinical, chainId, 'ClinicalNote', 'subjective', noteId, 'Review.');
      await app.ownerClinical.query(
        `INSERT INTO clinical_note (id, chain_id, store_id, customer_id, author_id, subjective, created_at, data_key_id) VALUES ($6, $1, $2, $3, $4, $7, $5, $8)`,
        [chainId, storeId, id, practitionerId, `${day}T10:00:00Z`, noteId, subjective.value, subjective.keyId]);
    }
  }
  return ids;
}

/** Runs the built script with the suite's databases (as the application role), collecting its output. */
function runScript(app: TestApp, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'scripts', 'retention.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: app.appCoreUrl, CLINICAL_DATABASE_URL: app.appClinicalUrl, DATABASE_OWNER_URL: '', CLINICAL_DATABASE_OWNER_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const mine = (run: ChainRun, ids: Ids): { due: string[]; held: string[] } => {
  const names = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
  return {
    due: run.due.filter((c) => names.has(c.customerId)).map((c) => names.get(c.customerId)!).sort(),
    held: run.held.filter((c) => names.has(c.customerId)).map((c) => names.get(c.customerId)!).sort(),
  };
};

async function counts(db: DataSource, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = (await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return out;
}

describe('the retention job', () => {
  let app: TestApp;
  let actors: Actors;
  let chainId: string;
  let ids: Ids;
  let holdId: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'tools', 'build.js')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    app = await startTestApp();
    actors = new Actors(app);
    const demo = await actors.demo();
    chainId = demo.chainId;
    ids = await createCustomers(app, chainId, demo.stores.Harrogate, demo.users[EMAIL.leedsOptometrist]);
    const placed = await actors.ok<{ placeLegalHold: { id: string } }>(EMAIL.dpo,
      'mutation($c: ID!) { placeLegalHold(customerId: $c, reason: "Pending complaint to the regulator.") { id } }', { c: ids.held });
    holdId = placed.placeLegalHold.id;
  }, 180_000);
  afterAll(() => app?.stop());

  it('finds the customers whose retention has ended, by the rule that applied, and those held', async () => {
    const scan = await scanRetention({ core: app.core, clinical: app.clinical }, chainId, DEFAULTS, TODAY, 2);
    const byKey = Object.fromEntries(Object.entries(ids).map(([key, id]) => [key, scan.ended.find((c) => c.customerId === id) ?? null]));
    expect(byKey.adultDue).toMatchObject({ rule: 'ADULT', lastContact: before(10, 1), keptUntil: before(0, 1), holdIds: [] });
    expect(byKey.childAfterContact).toMatchObject({ rule: 'CHILD_AFTER_CONTACT', ageAtContact: 17, lastContact: before(10, 1), keptUntil: before(0, 1) });
    expect(byKey.child25Passed).toMatchObject({ rule: 'CHILD_UNTIL_AGE', ageAtContact: 12, lastContact: before(14) });
    expect(byKey.held).toMatchObject({ rule: 'ADULT', holdIds: [holdId] });
    expect({ adultKept: byKey.adultKept, childTo25: byKey.childTo25, recentNote: byKey.recentNote }).toEqual({ adultKept: null, childTo25: null, recentNote: null });
    // The demo's scenario: three Bath customers seen 11, 12 and 13 years ago, the last held.
    const bath = scan.ended.filter((c) => c.homeStoreName === 'Bath');
    expect(bath.map((c) => c.holdIds.length)).toEqual(expect.arrayContaining([0, 0, 1]));
    expect(bath).toHaveLength(3);
    // Batches of 2 found the same as one batch.
    const whole = await scanRetention({ core: app.core, clinical: app.clinical }, chainId, DEFAULTS, TODAY);
    expect(whole).toEqual(scan);
  });

  it('judges by the chain’s policy: with 15 years, none of these is due', async () => {
    const scan = await scanRetention({ core: app.core, clinical: app.clinical }, chainId, { ...DEFAULTS, adultYears: 15 }, TODAY);
    expect(scan.ended.filter((c) => Object.values(ids).includes(c.customerId))).toEqual([]);
  });

  it('a dry run changes nothing in either database, and lists due and held customers', async () => {
    const checksums = await new DatabaseChecksums(app).prepare();
    const start = await checksums.take();
    const [run] = await runRetention({ core: app.core, clinical: app.clinical }, { apply: false, operator: null });
    expect(run).toMatchObject({ chainName: 'Clearview Opticians', dryRun: true, disposed: [], runId: null });
    expect(mine(run, ids)).toEqual({ due: ['adultDue', 'child25Passed', 'childAfterContact'], held: ['held'] });
    const script = await runScript(app, ['--dry-run', '--json']);
    expect(script.code).toBe(0);
    const runs = JSON.parse(script.stdout) as ChainRun[];
    expect(runs.map((r) => r.chainName)).toEqual(['Clearview Opticians', 'Lakeside Eyecare']);
    expect(mine(runs[0], ids)).toEqual({ due: ['adultDue', 'child25Passed', 'childAfterContact'], held: ['held'] });
    const text = await runScript(app, ['--dry-run']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`DUE           customer ${ids.adultDue}  home store Harrogate`);
    expect(text.stdout).toContain(`last contact ${before(10, 1)}  rule ADULT  kept until ${before(0, 1)}`);
    expect(text.stdout).toContain(`HELD          customer ${ids.held}`);
    expect(text.stdout).not.toContain('Retention'); // no names: ids only
    expect(DatabaseChecksums.changed(start, await checksums.take())).toEqual([]);
  });

  it('refuses to apply without a named member of staff, and names a dry run only when asked to record it', async () => {
    const refused = await runScript(app, ['--apply']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--apply needs --as');
    expect((await runScript(app, ['--apply', '--as', 'nobody@clearview.example'])).code).toBe(2);
    expect((await runScript(app, ['--apply', '--as', EMAIL.dpo, '--today', '2040-01-01'])).code).toBe(2);
    const recorded = await runScript(app, ['--dry-run', '--as', EMAIL.dpo, '--json']);
    expect(recorded.code).toBe(0);
    const [run] = JSON.parse(recorded.stdout) as ChainRun[];
    const rows = await app.ownerCore.query('SELECT user_id, dry_run, due, held, disposed, request_id FROM retention_run WHERE id = $1', [run.runId]);
    expect(rows).toEqual([{ user_id: (await actors.demo()).users[EMAIL.dpo], dry_run: true, due: run.due.length, held: run.held.length, disposed: 0, request_id: `retention:${run.runId}` }]);
  });

  it('disposes only where the operator’s erase Customer reaches', async () => {
    const email = 'retention.leeds@clearview.example';
    const userId = await actors.makeStaff(email, 'Leeds eraser');
    await actors.giveRole(userId, 'Erase at Leeds', [{ action: 'erase', subject: 'Customer' }], { scopeType: 'STORE', storeId: (await actors.demo()).stores.Leeds });
    const operator = await findOperator(app.core, email);
    const [run] = await runRetention({ core: app.core, clinical: app.clinical }, { apply: true, operator, dispose: () => Promise.reject(new Error('must not be called')) });
    expect(run.disposed).toEqual([]);
    expect(run.failed).toEqual([]);
    expect(run.notPermitted.sort()).toEqual(run.due.map((c) => c.customerId).sort());
  });

  it('applies: disposes of the due customers as the operator, never the held one; a second apply does nothing', async () => {
    const tables = { core: ['customer', 'personal_change_log_entry', 'consent_event'], clinical: ['examination', 'clinical_change_log_entry'] };
    const first = await runScript(app, ['--apply', '--as', EMAIL.dpo, '--json']);
    if (first.code !== 0) console.log(first.stdout, first.stderr);
    expect(first.code).toBe(0);
    const [run] = JSON.parse(first.stdout) as ChainRun[];
    expect(mine(run, ids)).toEqual({ due: ['adultDue', 'child25Passed', 'childAfterContact'], held: ['held'] });
    expect(run.disposed.sort()).toEqual(run.due.map((c) => c.customerId).sort());
    expect(run.disposed).not.toContain(ids.held);
    // Their clinical records are gone; the held customer's are intact.
    const left = async (id: string) => (await app.ownerClinical.query('SELECT count(*)::int AS n FROM examination WHERE customer_id = $1', [id]))[0].n as number;
    expect(await left(ids.adultDue)).toBe(0);
    expect(await left(ids.held)).toBe(1);
    expect(await left(ids.adultKept)).toBe(1);
    // Every entry the disposal wrote names the operator and the run.
    const dpo = (await actors.demo()).users[EMAIL.dpo];
    const [row] = await app.ownerCore.query('SELECT user_id, session_id, dry_run, due, held, disposed, failed FROM retention_run WHERE id = $1', [run.runId]);
    expect(row).toEqual({ user_id: dpo, session_id: expect.any(String), dry_run: false, due: run.due.length, held: run.held.length, disposed: run.disposed.length, failed: 0 });
    const named = { user_id: dpo, session_id: row.session_id, request_id: `retention:${run.runId}`, operation_name: 'retention' };
    const sql = (table: string) => `SELECT DISTINCT user_id, session_id, request_id, operation_name FROM ${table} WHERE request_id = $1`;
    expect(await app.ownerCore.query(sql('personal_change_log_entry'), [`retention:${run.runId}`])).toEqual([named]);
    expect(await app.ownerClinical.query(sql('clinical_change_log_entry'), [`retention:${run.runId}`])).toEqual([named]);
    // The run's session record is the operator's, already ended: it signs nobody in and ended no session of theirs.
    const [session] = await app.ownerCore.query('SELECT user_id, ended_at IS NOT NULL AS ended, ended_reason FROM session WHERE id = $1', [row.session_id]);
    expect(session).toEqual({ user_id: dpo, ended: true, ended_reason: 'RETENTION_RUN' });
    // The tombstones: status ERASED, no names left.
    const tombstones = await app.ownerCore.query('SELECT status, first_name FROM customer WHERE id = ANY($1::uuid[])', [run.disposed]);
    expect(tombstones.every((t: { status: string; first_name: string | null }) => t.status === 'ERASED' && t.first_name !== 'Retention')).toBe(true);

    const beforeSecond = { core: await counts(app.ownerCore, tables.core), clinical: await counts(app.ownerClinical, tables.clinical) };
    const second = await runScript(app, ['--apply', '--as', EMAIL.dpo, '--json']);
    expect(second.code).toBe(0);
    const [again] = JSON.parse(second.stdout) as ChainRun[];
    expect({ due: again.due, disposed: again.disposed }).toEqual({ due: [], disposed: [] });
    expect(mine(again, ids).held).toEqual(['held']);
    expect({ core: await counts(app.ownerCore, tables.core), clinical: await counts(app.ownerClinical, tables.clinical) }).toEqual(beforeSecond);
  });

  it('finishes a disposal an earlier run began and did not finish (clinical records deleted, not yet a tombstone)', async () => {
    const demo = await actors.demo();
    const [{ id }] = await app.ownerCore.query(
      `INSERT INTO customer (chain_id, home_store_id, first_name, last_name, date_of_birth, email) VALUES ($1, $2, 'Retention', 'Halfway', '1950-01-01', 'halfway@example.com') RETURNING id`,
      [chainId, demo.stores.Harrogate]);
    // What the engine's clinical step leaves: its records gone, each logged as a DELETE by a retention run.
    await app.ownerClinical.query(
      `INSERT INTO clinical_change_log_entry (chain_id, user_id, session_id, request_id, operation_name, action, subject, record_type, record_id, customer_id, store_id, changes)
       VALUES ($1, NULL, NULL, 'retention:00000000-0000-4000-8000-000000000000', 'retention', 'DELETE', 'Examination', 'Examination', gen_random_uuid(), $2, $3, '{}')`,
      [chainId, id, demo.stores.Harrogate]);
    const [dry] = await runRetention({ core: app.core, clinical: app.clinical }, { apply: false, operator: null });
    expect(dry.unfinished.map((c) => c.customerId)).toEqual([id]);
    const [run] = await runRetention({ core: app.core, clinical: app.clinical }, { apply: true, operator: await findOperator(app.core, EMAIL.dpo), dispose: disposeCustomer });
    expect(run.disposed).toEqual([id]);
    expect((await app.ownerCore.query('SELECT status FROM customer WHERE id = $1', [id]))[0].status).toBe('ERASED');
    const [again] = await runRetention({ core: app.core, clinical: app.clinical }, { apply: false, operator: null });
    expect(again.unfinished).toEqual([]);
  });

  it('once the hold is released, the held customer is disposed of at the next apply', async () => {
    await actors.ok(EMAIL.dpo, 'mutation($id: ID!) { releaseLegalHold(id: $id, reason: "Complaint closed.") { id } }', { id: holdId });
    const [run] = await runRetention({ core: app.core, clinical: app.clinical }, {
      apply: true, operator: await findOperator(app.core, EMAIL.dpo), dispose: disposeCustomer,
    });
    expect(run.disposed).toContain(ids.held);
    expect((await app.ownerClinical.query('SELECT count(*)::int AS n FROM examination WHERE customer_id = $1', [ids.held]))[0].n).toBe(0);
  });

  it('leaves every hash chain verifying, the runs’ users and sessions included (npm run audit:verify)', async () => {
    const report = await runAuditVerify({ core: app.ownerCore, clinical: app.ownerClinical });
    if (!report.ok) console.log(report.lines.join('\n'));
    expect(report.ok).toBe(true);
  });
});
