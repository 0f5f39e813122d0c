/**
 * Backups (docs/security-operations.md "Backups"): a backup of a suite's databases, after real requests, restores
 * into empty databases with every table's rows and the sequences, and verifies (counts, checksums, the audit chains
 * against the recorded heads); a bit flipped in the archive, a wrong identity, and a row cut from an audit log and
 * re-encrypted with the right key are each refused, the last naming the table and the chain.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Client } from 'pg';
import { withClient } from '../../src/db/app-role';
import { age } from '../../src/backup/age';
import { createBackup } from '../../src/backup/dump';
import { restoreArchive } from '../../src/backup/restore';
import { verifyArchive } from '../../src/backup/verify';
import { databaseUrl, dropDatabases } from '../../src/db/throwaway-databases';
import { EMAIL } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { parseFrames, unparse } from '../support/archive-frames';

const admin = (): string => process.env.VISUS_TEST_PG_URL!;

async function counts(url: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    const out: Record<string, number> = {};
    for (const { t } of rows) out[t] = Number((await client.query(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0].n);
    return out;
  } finally {
    await client.end();
  }
}

function one<T>(url: string, sql: string): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(sql)).rows as T[]);
}

describe('backup → restore → verify', () => {
  let app: TestApp;
  let dir: string;
  let identity: string;
  let recipient: string;
  let archive: string;

  beforeAll(async () => {
    app = await startTestApp();
    // A real request: the DPO reads the clinical access log, which is itself logged.
    const dpo = await app.login(EMAIL.dpo);
    const read = await app.request('{ clinicalAccessLog(first: 5) { totalCount } }', {}, dpo);
    expect(read.errors).toBeUndefined();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-backup-test-'));
    const a = await age();
    identity = await a.generateX25519Identity();
    recipient = await a.identityToRecipient(identity);
    archive = path.join(dir, 'b.age');
    await createBackup({ core: app.coreUrl, clinical: app.clinicalUrl }, archive, [recipient]);
  });

  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await app.stop();
  });

  it('restores every table row for row, with the sequences, and the audit chain heads', async () => {
    const names = { core: 'bk_restore_core', clinical: 'bk_restore_clinical' };
    const client = new Client({ connectionString: admin() });
    await client.connect();
    await client.query(`CREATE DATABASE ${names.core}`);
    await client.query(`CREATE DATABASE ${names.clinical}`);
    await client.end();
    const target = { core: databaseUrl(admin(), names.core), clinical: databaseUrl(admin(), names.clinical) };
    try {
      await restoreArchive(archive, [identity], target, app.config.appDbRole);
      expect(await counts(target.core)).toEqual(await counts(app.coreUrl));
      expect(await counts(target.clinical)).toEqual(await counts(app.clinicalUrl));
      expect((await counts(app.clinicalUrl)).clinical_access_log_entry).toBeGreaterThan(0);
      const seqs = `SELECT sequencename, last_value::text FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`;
      expect(await one(target.core, seqs)).toEqual(await one(app.coreUrl, seqs));
      const head = `SELECT chain_id, max(seq)::text AS seq, encode((array_agg(hash ORDER BY seq DESC))[1], 'hex') AS hash FROM clinical_access_log_entry GROUP BY 1 ORDER BY 1`;
      expect(await one(target.clinical, head)).toEqual(await one(app.clinicalUrl, head));
      // The append-only rule holds again once restored.
      await expect(one(target.clinical, 'DELETE FROM clinical_access_log_entry')).rejects.toThrow();
      // A database that already holds tables is refused.
      await expect(restoreArchive(archive, [identity], target, app.config.appDbRole)).rejects.toThrow(/not empty/);
    } finally {
      await dropDatabases(admin(), names);
    }
  });

  it('verifies: PASS with the recorded heads', async () => {
    const report = await verifyArchive(archive, [identity], { adminUrl: admin(), appRole: app.config.appDbRole });
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.lines.at(-1)).toMatch(/^PASS/);
    expect(report.lines.join('\n')).toMatch(/clinical access log.*intact/);
  });

  /** Nothing of a refused verification is left on the server: no restore connection, no scratch database. */
  async function expectNothingLeft(): Promise<void> {
    expect(await one(admin(), `SELECT pid FROM pg_stat_activity WHERE datname LIKE 'bk_refused_%'`)).toEqual([]);
    expect(await one(admin(), `SELECT datname FROM pg_database WHERE datname LIKE 'bk_refused_%'`)).toEqual([]);
  }

  async function expectRefused(file: string, identities: string[], message: RegExp): Promise<void> {
    const started = Date.now();
    await expect(verifyArchive(file, identities, { adminUrl: admin(), scratchPrefix: 'bk_refused' })).rejects.toThrow(message);
    expect(Date.now() - started).toBeLessThan(30000); // promptly: it used to hang on a COPY in flight
    await expectNothingLeft();
  }

  const damaged = /the archive was refused: it is damaged, truncated or was tampered with/;

  it.each([
    ['its age header', (n: number) => 40 % n],
    ['its body', (n: number) => Math.floor(n * 0.6)],
    ['its last chunk (the manifest)', (n: number) => n - 20],
  ])('refuses an archive with one byte flipped in %s', async (_where, at) => {
    const bytes = fs.readFileSync(archive);
    const flipped = path.join(dir, 'flipped.age');
    bytes[at(bytes.length)] ^= 0x01;
    fs.writeFileSync(flipped, bytes);
    await expectRefused(flipped, [identity], /the archive was refused/);
  });

  it('refuses a truncated archive', async () => {
    const bytes = fs.readFileSync(archive);
    const cut = path.join(dir, 'cut.age');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    await expectRefused(cut, [identity], damaged);
  });

  it('refuses a wrong identity', async () => {
    const other = await (await age()).generateX25519Identity();
    await expectRefused(archive, [other], /none of the given identities opens it/);
  });

  describe('pg_dump mode (BACKUP_PG_DUMP)', () => {
    /** The distribution's pg_dump binaries on this machine, with their major versions. */
    const installed = (fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : [])
      .map((v) => ({ major: Number(v), bin: `/usr/lib/postgresql/${v}/bin/pg_dump` })).filter((p) => fs.existsSync(p.bin));
    let serverMajor = 0;
    beforeAll(async () => {
      serverMajor = Math.floor(Number((await one<{ v: string }>(admin(), `SELECT current_setting('server_version_num') AS v`))[0].v) / 10000);
    });

    it('refuses a pg_dump whose major version is not the server\'s, naming both, and writes no archive', async () => {
      const other = installed.find((p) => p.major !== serverMajor);
      if (!other) return console.warn(`skipped: no pg_dump of another major version than the server's ${serverMajor} on this machine`);
      const file = path.join(dir, 'pgdump.age');
      await expect(createBackup({ core: app.coreUrl, clinical: app.clinicalUrl }, file, [recipient], { pgDump: other.bin }))
        .rejects.toThrow(`BACKUP_PG_DUMP is pg_dump ${other.major}, the server is PostgreSQL ${serverMajor}`);
      expect(fs.existsSync(file)).toBe(false);
    });

    it('refuses a BACKUP_PG_DUMP that does not exist', async () => {
      await expect(createBackup({ core: app.coreUrl, clinical: app.clinicalUrl }, path.join(dir, 'x.age'), [recipient], { pgDump: path.join(dir, 'no-pg_dump') }))
        .rejects.toThrow(/does not exist/);
    });

    // A matching pg_dump (backup, restore, verify, tamper): test/backup/pg-dump-mode.test.ts, on a PostgreSQL 15 cluster.
  });

  it('reports the table and the chain when an audit entry was cut from a re-encrypted archive', async () => {
    const a = await age();
    const d = new a.Decrypter();
    d.addIdentity(identity);
    const frames = parseFrames(zlib.gunzipSync(await d.decrypt(fs.readFileSync(archive))));
    const start = frames.findIndex((f) => f.type === 'T' && JSON.parse(f.payload.toString()).table === 'clinical_access_log_entry');
    const data = frames.slice(start + 1).findIndex((f) => f.type === 'E') + start; // the table's last D frame
    const lines = frames[data].payload.toString('utf8').split('\n');
    lines.splice(lines.length - 2, 1); // the last row (the text ends with a newline)
    frames[data] = { type: 'D', payload: Buffer.from(lines.join('\n')) };
    const e = new a.Encrypter();
    e.addRecipient(recipient);
    const tampered = path.join(dir, 'tampered.age');
    fs.writeFileSync(tampered, await e.encrypt(zlib.gzipSync(unparse(frames))));
    const report = await verifyArchive(tampered, [identity], { adminUrl: admin(), appRole: app.config.appDbRole });
    for (const d of report.differences) expect(report.lines).toContain(`DIFFERS ${d}`);
    expect(report.ok).toBe(false);
    expect(report.differences.join('\n')).toMatch(/clinical\.clinical_access_log_entry: \d+ rows restored, the manifest says \d+/);
    expect(report.differences.join('\n')).toMatch(/audit: .*clinical access log.*BROKEN/);
    expect(report.lines.at(-1)).toMatch(/^FAIL/);
  });
});
