/**
 * pg_dump mode (docs/security-operations.md "pg_dump mode"): on a throwaway PostgreSQL 15 cluster (this machine's
 * distribution binaries, /usr/lib/postgresql/15/bin), migrated and demo-seeded as `npm start` does it, a backup with
 * BACKUP_PG_DUMP=<its pg_dump> writes pg_dump custom-format sections whose manifest records the mode, restores with
 * the pg_restore beside it row for row with the chain heads, verifies PASS, is refused without BACKUP_PG_DUMP, and
 * a pg_dump section changed and re-encrypted with the right key is refused. Skipped when PostgreSQL 15 is absent.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { age } from '../../src/backup/age';
import { createBackup } from '../../src/backup/dump';
import { restoreArchive } from '../../src/backup/restore';
import { verifyArchive } from '../../src/backup/verify';
import { loadConfig } from '../../src/config/config';
import { ensureAppLoginRole, withClient } from '../../src/db/app-role';
import { migrateAsOwner } from '../../src/db/bootstrap';
import { freePort } from '../../src/db/free-port';
import { databaseUrl } from '../../src/db/throwaway-databases';
import { seedDemo } from '../../src/seed/demo-seed';
import { parseFrames, unparse } from '../support/archive-frames';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';
const PG_DUMP = `${BIN}/pg_dump`;
const present = ['pg_dump', 'pg_restore', 'initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(`${BIN}/${b}`));
if (!present) console.warn(`pg-dump-mode skipped: no PostgreSQL 15 binaries in ${BIN} (initdb, pg_ctl, postgres, pg_dump, pg_restore)`);
const maybe = present ? describe : describe.skip;

/** PostgreSQL refuses to run as root: the cluster then belongs to the `postgres` system user. */
function asUser(): { uid?: number; gid?: number } {
  if (os.userInfo().uid !== 0) return {};
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a postgres system user for PostgreSQL 15');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function query<T>(url: string, sql: string): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(sql)).rows as T[]);
}

async function counts(url: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { t } of await query<{ t: string }>(url, `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)) {
    out[t] = Number((await query<{ n: string }>(url, `SELECT count(*) AS n FROM "${t}"`))[0].n);
  }
  return out;
}

maybe('pg_dump mode against PostgreSQL 15', () => {
  let folder: string;
  let dataDir: string;
  let adminUrl: string;
  let owner: { core: string; clinical: string };
  let identity: string;
  let recipient: string;
  let archive: string;
  const config = loadConfig();
  const user = asUser();

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-pg15-'));
    fs.chmodSync(folder, 0o755);
    dataDir = path.join(folder, 'pg');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    if (user.uid !== undefined) fs.chownSync(dataDir, user.uid, user.gid!);
    const port = await freePort();
    await run(`${BIN}/initdb`, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...user, cwd: folder });
    await run(`${BIN}/pg_ctl`, ['-D', dataDir, '-w', '-l', path.join(dataDir, 'log'), '-o', `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'], { ...user, cwd: folder });
    adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await query(adminUrl, 'CREATE DATABASE pg15_core');
    await query(adminUrl, 'CREATE DATABASE pg15_clinical');
    owner = { core: databaseUrl(adminUrl, 'pg15_core'), clinical: databaseUrl(adminUrl, 'pg15_clinical') };
    await ensureAppLoginRole(adminUrl, { role: config.appDbRole, password: config.appDbPassword });
    const databases = await migrateAsOwner(owner, config.appDbRole);
    try {
      await seedDemo(databases.core, databases.clinical, { customersPerStore: 60, suppressionKey: config.suppressionKey });
    } finally {
      await databases.close();
    }
    const a = await age();
    identity = await a.generateX25519Identity();
    recipient = await a.identityToRecipient(identity);
    archive = path.join(folder, 'pgdump.age');
  }, 240000);

  afterAll(async () => {
    if (dataDir && fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
      await run(`${BIN}/pg_ctl`, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { ...user, cwd: folder }).catch(() => undefined);
    }
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('backs up with the matching pg_dump: custom-format sections, the mode in the manifest, counts from the snapshot', async () => {
    const m = await createBackup(owner, archive, [recipient], { pgDump: PG_DUMP });
    expect(m.mode).toBe('pg_dump');
    expect(m.pgDumpMajor).toBe(15);
    expect(m.serverVersion).toMatch(/^15\./);
    const source = { ...(await counts(owner.core)), ...(await counts(owner.clinical)) };
    for (const t of m.tables) expect(t.rows).toBe(source[t.table]);
    expect(m.tables.find((t) => t.table === 'customer')?.rows).toBeGreaterThan(0);
    expect(m.heads.length).toBeGreaterThan(0);
    const a = await age();
    const d = new a.Decrypter();
    d.addIdentity(identity);
    const frames = parseFrames(zlib.gunzipSync(await d.decrypt(fs.readFileSync(archive))));
    const sections = frames.filter((f) => f.type === 'T').map((f) => JSON.parse(f.payload.toString()) as { database: string; pgDump?: boolean });
    expect(sections).toEqual([{ database: 'core', pgDump: true }, { database: 'clinical', pgDump: true }]);
    const firstData = frames.find((f) => f.type === 'D')!;
    expect(firstData.payload.subarray(0, 5).toString('latin1')).toBe('PGDMP'); // pg_dump's custom format
    expect(JSON.parse(frames.at(-1)!.payload.toString()).mode).toBe('pg_dump');
  }, 120000);

  it('restores with the pg_restore beside BACKUP_PG_DUMP: rows, sequences and chain heads; refused without it', async () => {
    await query(adminUrl, 'CREATE DATABASE pg15_restore_core');
    await query(adminUrl, 'CREATE DATABASE pg15_restore_clinical');
    const target = { core: databaseUrl(adminUrl, 'pg15_restore_core'), clinical: databaseUrl(adminUrl, 'pg15_restore_clinical') };
    await expect(restoreArchive(archive, [identity], target, config.appDbRole)).rejects.toThrow(/made by pg_dump 15 .*set BACKUP_PG_DUMP/);
    expect(await counts(target.core)).toEqual({});
    await restoreArchive(archive, [identity], target, config.appDbRole, { pgDump: PG_DUMP });
    expect(await counts(target.core)).toEqual(await counts(owner.core));
    expect(await counts(target.clinical)).toEqual(await counts(owner.clinical));
    const seqs = `SELECT sequencename, last_value::text FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`;
    expect(await query(target.core, seqs)).toEqual(await query(owner.core, seqs));
    const head = `SELECT chain_id, max(seq)::text AS seq, encode((array_agg(hash ORDER BY seq DESC))[1], 'hex') AS hash FROM clinical_access_log_entry GROUP BY 1 ORDER BY 1`;
    expect(await query(target.clinical, head)).toEqual(await query(owner.clinical, head));
    // The append-only rule holds once restored, and the application role got its grants.
    await expect(query(target.clinical, 'DELETE FROM clinical_access_log_entry')).rejects.toThrow();
    const grants = await query<{ ok: boolean }>(target.core, `SELECT has_table_privilege('${config.appDbRole}', 'public.customer', 'SELECT') AS ok`);
    expect(grants[0].ok).toBe(true);
  }, 120000);

  it('verifies PASS with pg_restore, and refuses a changed pg_dump section re-encrypted with the right key', async () => {
    await expect(verifyArchive(archive, [identity], { adminUrl, scratchPrefix: 'pg15_verify' })).rejects.toThrow(/set BACKUP_PG_DUMP/);
    const report = await verifyArchive(archive, [identity], { adminUrl, scratchPrefix: 'pg15_verify', pgDump: PG_DUMP });
    expect(report.differences).toEqual([]);
    expect(report.lines.at(-1)).toMatch(/^PASS/);
    expect(report.lines[0]).toMatch(/pg_dump 15 custom format/);

    const a = await age();
    const d = new a.Decrypter();
    d.addIdentity(identity);
    const frames = parseFrames(zlib.gunzipSync(await d.decrypt(fs.readFileSync(archive))));
    const i = frames.findIndex((f) => f.type === 'D');
    const changed = Buffer.from(frames[i].payload);
    changed[Math.floor(changed.length / 2)] ^= 0x01;
    frames[i] = { type: 'D', payload: changed };
    const e = new a.Encrypter();
    e.addRecipient(recipient);
    const tampered = path.join(folder, 'tampered.age');
    fs.writeFileSync(tampered, await e.encrypt(zlib.gzipSync(unparse(frames))));
    await expect(verifyArchive(tampered, [identity], { adminUrl, scratchPrefix: 'pg15_refused', pgDump: PG_DUMP })).rejects.toThrow(/refused: it is damaged.*does not match its checksum/);
    expect(await query(adminUrl, `SELECT datname FROM pg_database WHERE datname LIKE 'pg15_refused%'`)).toEqual([]);
  }, 180000);
});
