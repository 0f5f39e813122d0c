/**
 * `npm run backup`: a logical dump of both databases into one age-encrypted archive. Each database is read in one
 * REPEATABLE READ READ ONLY transaction (one snapshot): its applied migrations, every table streamed out with COPY
 * (pg-copy-streams) in foreign-key order, its sequences, and the audit logs' chain heads. The frames (frames.ts) are
 * gzipped and encrypted to the recipients on the way to the file; nothing unencrypted touches the disk.
 * pg_dump mode (BACKUP_PG_DUMP, a pg_dump of the server's major version): each database's data section is instead
 * one `pg_dump --format=custom` stream run in the dump's exported snapshot (`--snapshot`), framed like a table
 * (`T` {database, pgDump}, `D`..., `E`); the manifest is the same (each table's rows and COPY checksum, read in
 * that same snapshot; the chain heads; the migrations) and records `mode: 'pg_dump'`.
 */
import fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DatabasePair } from '../db/bootstrap';
import type { DatabaseName } from '../db/data-sources';
import { exportAllHeads } from '../hash-chain/audit-heads';
import { encryptStream } from './age';
import { assertMatchingPgDump, exited, spawnTool } from './pg-dump';
import { frame, write } from './frames';
import { BackupMode, copyTarget, FORMAT, Manifest, MIGRATIONS_TABLE, SESSION_SETTINGS, sha256, tableColumns, tableDigest, tablesInOrder, TableEntry } from './manifest';

const DATABASES: DatabaseName[] = ['core', 'clinical'];

async function openSnapshot(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'visus-backup' });
  await client.connect();
  for (const s of SESSION_SETTINGS) await client.query(s);
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  return client;
}

const rowsOf = (client: Client) => ({ query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows });

/** Writes the archive of the databases `owner` to `file`; returns the manifest. */
export async function createBackup(owner: DatabasePair, file: string, recipients: string[], options: { pgDump?: string } = {}): Promise<Manifest & { archiveBytes: number }> {
  const started = Date.now();
  const clients = {} as Record<DatabaseName, Client>;
  try {
    for (const db of DATABASES) clients[db] = await openSnapshot(owner[db]);
    const mode: BackupMode = options.pgDump ? 'pg_dump' : 'copy';
    let pgDumpMajor: number | undefined;
    const snapshots = {} as Record<DatabaseName, string>;
    if (options.pgDump) {
      const { v } = (await clients.core.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0];
      pgDumpMajor = await assertMatchingPgDump(options.pgDump, Number(v));
      for (const db of DATABASES) snapshots[db] = (await clients[db].query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0].id;
    }
    const migrations = {} as Manifest['migrations'];
    const sequences = {} as Manifest['sequences'];
    for (const db of DATABASES) {
      migrations[db] = (await clients[db].query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)).rows.map((r) => r.name);
      sequences[db] = (await clients[db].query<{ name: string; lastValue: string | null }>(
        `SELECT sequencename AS name, last_value::text AS "lastValue" FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`)).rows;
    }
    const heads = await exportAllHeads({ core: rowsOf(clients.core), clinical: rowsOf(clients.clinical) });
    const serverVersion = (await clients.core.query<{ v: string }>('SELECT current_setting($$server_version$$) AS v')).rows[0].v;
    const createdAt = new Date(started).toISOString();

    const plain = new PassThrough();
    const encrypted = await encryptStream(plain.pipe(zlib.createGzip({ level: 3 })), recipients);
    const writing = pipeline(encrypted, fs.createWriteStream(file, { mode: 0o600 }));
    writing.catch(() => undefined); // awaited below
    const tables: TableEntry[] = [];
    await write(plain, frame('B', { format: FORMAT, mode, pgDumpMajor, createdAt, migrations }));
    for (const db of DATABASES) {
      if (options.pgDump) {
        // The data: pg_dump in this transaction's snapshot. The manifest's counts and checksums: COPY in the same one.
        await write(plain, frame('T', { database: db, pgDump: true }));
        const child = spawnTool(options.pgDump, ['--format=custom', '--compress=0', `--snapshot=${snapshots[db]}`], owner[db]);
        const done = exited(child, `pg_dump of the ${db} database`);
        done.catch(() => undefined); // awaited below
        const hash = sha256();
        let bytes = 0;
        for await (const chunk of child.stdout) {
          hash.update(chunk as Buffer);
          bytes += (chunk as Buffer).length;
          await write(plain, frame('D', chunk as Buffer));
        }
        await done;
        await write(plain, frame('E', { bytes, sha256: hash.digest('hex') }));
        for (const table of await tablesInOrder(clients[db])) {
          const columns = await tableColumns(clients[db], table);
          tables.push({ database: db, table, columns, ...(await tableDigest(clients[db], table, columns)) });
        }
        continue;
      }
      for (const table of await tablesInOrder(clients[db])) {
        const columns = await tableColumns(clients[db], table);
        await write(plain, frame('T', { database: db, table, columns }));
        const hash = sha256();
        let bytes = 0;
        const copy = clients[db].query(copyTo(`COPY ${copyTarget(table, columns)} TO STDOUT`));
        for await (const chunk of copy as Readable) {
          hash.update(chunk as Buffer);
          bytes += (chunk as Buffer).length;
          await write(plain, frame('D', chunk as Buffer));
        }
        const entry: TableEntry = { database: db, table, columns, rows: Number(copy.rowCount ?? 0), bytes, sha256: hash.digest('hex') };
        tables.push(entry);
        await write(plain, frame('E', { rows: entry.rows, bytes, sha256: entry.sha256 }));
      }
    }
    const manifest: Manifest = { format: FORMAT, mode, ...(pgDumpMajor ? { pgDumpMajor } : {}), createdAt, durationMs: Date.now() - started, migrations, serverVersion, tables, sequences, heads };
    await write(plain, frame('M', manifest));
    plain.end();
    await writing;
    return { ...manifest, archiveBytes: fs.statSync(file).size };
  } catch (error) {
    fs.rmSync(file, { force: true }); // (none yet when the pg_dump check refused)
    throw error;
  } finally {
    for (const db of DATABASES) await clients[db]?.end().catch(() => undefined);
  }
}
