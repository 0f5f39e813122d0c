/**
 * `npm run backup:verify <archive>`: restores the archive into a scratch PostgreSQL (an embedded one of its own,
 * src/db/throwaway-databases.ts, unless a server is given), then checks it against its manifest: every table's row
 * count, the bytes every table reads back (sha256 of its COPY), and the audit verification of every hash-chained log
 * against the chain heads the manifest recorded (src/hash-chain/verify-report.ts). Reports PASS or what differs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ensureAppLoginRole } from '../db/app-role';
import type { DatabasePair } from '../db/bootstrap';
import { createDataSource, DatabaseName } from '../db/data-sources';
import { databaseUrl, dropDatabases, startThrowawayPostgres, ThrowawayPostgres } from '../db/throwaway-databases';
import { runAuditVerify } from '../hash-chain/verify-report';
import { SESSION_SETTINGS, tableDigest } from './manifest';
import { restoreArchive } from './restore';

export interface VerifyReport {
  ok: boolean;
  lines: string[];
  /** What differs (empty on PASS). */
  differences: string[];
}

export interface VerifyOptions {
  /** A superuser URL of a server to restore on (scratch databases and application role, created and dropped); default: a throwaway embedded PostgreSQL. */
  adminUrl?: string;
  /** The application role granted in the throwaway PostgreSQL (ignored with adminUrl). */
  appRole?: string;
  /** The scratch databases' name prefix (a lower-case identifier; default backup_verify). */
  scratchPrefix?: string;
  /** BACKUP_PG_DUMP: an archive made in pg_dump mode is restored by the pg_restore in its folder. */
  pgDump?: string;
}

async function dropRole(adminUrl: string, role: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP ROLE IF EXISTS ${role}`);
  } finally {
    await client.end();
  }
}

export async function verifyArchive(file: string, identities: string[], options: VerifyOptions = {}): Promise<VerifyReport> {
  let pg: ThrowawayPostgres | undefined;
  const adminUrl = options.adminUrl ?? (pg = await startThrowawayPostgres()).adminUrl;
  const suffix = randomBytes(4).toString('hex');
  const prefix = options.scratchPrefix ?? 'backup_verify';
  const names: DatabasePair = { core: `${prefix}_core_${suffix}`, clinical: `${prefix}_clinical_${suffix}` };
  // On a given server, a scratch application role of its own: (re)creating the server's real one would reset the
  // password its running API connects with.
  const appRole = pg ? options.appRole ?? 'visus_app' : `backup_verify_app_${suffix}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-verify-'));
  try {
    await admin.query(`CREATE DATABASE ${names.core}`);
    await admin.query(`CREATE DATABASE ${names.clinical}`);
    // The grants need the role. On a server of its own (the default) it is created with a random password; on a
    // given server an existing role is left as it is: roles are server-wide, and its password is in use.
    const { rows: roles } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [appRole]);
    if (roles.length === 0) await ensureAppLoginRole(adminUrl, { role: appRole, password: randomBytes(16).toString('hex') });
    const target = { core: databaseUrl(adminUrl, names.core), clinical: databaseUrl(adminUrl, names.clinical) };
    const { manifest, restored } = await restoreArchive(file, identities, target, appRole, { pgDump: options.pgDump });
    const differences: string[] = [];
    const lines: string[] = [`Archive ${file}: made ${manifest.createdAt} from PostgreSQL ${manifest.serverVersion}; ` +
      `${manifest.mode === 'pg_dump' ? `pg_dump ${manifest.pgDumpMajor} custom format; ` : ''}${manifest.tables.length} tables, ${manifest.tables.reduce((n, t) => n + t.rows, 0)} rows; ` +
      `migrations core ${manifest.migrations.core.length}, clinical ${manifest.migrations.clinical.length}.`];
    for (const db of ['core', 'clinical'] as DatabaseName[]) {
      const client = new Client({ connectionString: target[db] });
      await client.connect();
      try {
        for (const s of SESSION_SETTINGS) await client.query(s);
        for (const t of manifest.tables.filter((e) => e.database === db)) {
          const copied = restored.get(`${db}.${t.table}`);
          if (copied === undefined) { differences.push(`${db}.${t.table}: in the manifest, not in the archive's data`); continue; }
          const now = await tableDigest(client, t.table, t.columns);
          if (now.rows !== t.rows) differences.push(`${db}.${t.table}: ${now.rows} rows restored, the manifest says ${t.rows}`);
          else if (now.sha256 !== t.sha256) differences.push(`${db}.${t.table}: the content differs from the manifest's checksum (${t.rows} rows)`);
        }
      } finally {
        await client.end();
      }
    }
    const headFile = path.join(tmp, 'manifest-heads.json');
    fs.writeFileSync(headFile, JSON.stringify(manifest.heads));
    const core = createDataSource('core', target.core);
    const clinical = createDataSource('clinical', target.clinical);
    await core.initialize();
    await clinical.initialize();
    try {
      const audit = await runAuditVerify({ core, clinical }, { headFile });
      const label = (line: string): string => line.split(headFile).join("the manifest's heads");
      lines.push('Audit verification of the restored databases:', ...audit.lines.map((l) => `  ${label(l)}`));
      if (!audit.ok) differences.push(...audit.lines.filter((l) => /FAIL/.test(l)).map((l) => `audit: ${label(l).trim()}`));
    } finally {
      await core.destroy();
      await clinical.destroy();
    }
    for (const d of differences) lines.push(`DIFFERS ${d}`);
    lines.push(differences.length ? `FAIL: ${differences.length} difference(s)` : `PASS: ${manifest.tables.length} tables match their row counts and checksums, and every audit log verifies against the recorded heads`);
    return { ok: differences.length === 0, lines, differences };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    await admin.end().catch(() => undefined);
    if (pg) await pg.stop();
    else {
      await dropDatabases(adminUrl, names).catch(() => undefined);
      await dropRole(adminUrl, appRole).catch(() => undefined);
    }
  }
}
