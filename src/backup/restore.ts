/**
 * Restores an archive (dump.ts) into two empty databases: the project's migrations up to the version the archive
 * records (the schema), the application role's grants, then per database one transaction that disables the user
 * triggers (the append-only rejections and the hash-chain triggers, which would otherwise recompute what is copied),
 * empties the tables the migrations filled, COPYs every table back in foreign-key order, sets the sequences, and
 * enables the triggers again. Both transactions commit only once the whole archive has decrypted and authenticated:
 * a damaged archive leaves the databases with their schema and no rows. Used by `backup:restore` and `backup:verify`.
 * An archive made in pg_dump mode goes to restore-pg-dump.ts instead (pg_restore beside BACKUP_PG_DUMP: `options.pgDump`).
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, MigrationInterface } from 'typeorm';
import { applyAppGrants } from '../db/app-grants';
import type { DatabasePair } from '../db/bootstrap';
import { createDataSource, DatabaseName } from '../db/data-sources';
import { decryptStream } from './age';
import { readFrames } from './frames';
import { pgRestoreFor } from './pg-dump';
import { restorePgDumpFrames } from './restore-pg-dump';
import { copyTarget, FORMAT, Manifest, MIGRATIONS_TABLE, quote, SESSION_SETTINGS } from './manifest';

const DATABASES: DatabaseName[] = ['core', 'clinical'];

export interface RestoreResult {
  manifest: Manifest;
  /** Rows each table received, by `database.table`. */
  restored: Map<string, number>;
}

type MigrationClass = new () => MigrationInterface;

/** The project's migrations of `database` that the archive records as applied; throws when it names one this release lacks. */
function migrationsUpTo(database: DatabaseName, recorded: string[]): MigrationClass[] {
  const all = createDataSource(database, 'postgres://unused').options.migrations as MigrationClass[];
  const byName = new Map(all.map((m) => [new m().name ?? m.name, m]));
  const unknown = recorded.filter((name) => !byName.has(name));
  if (unknown.length) {
    throw new Error(`the archive's ${database} schema has migration(s) this release lacks (${unknown.join(', ')}): restore with the release that made it`);
  }
  return recorded.map((name) => byName.get(name)!);
}

async function assertEmpty(url: string, database: DatabaseName): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT 1 FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' LIMIT 1`);
    if (rows.length) throw new Error(`the target ${database} database is not empty: restore into a new, empty database`);
  } finally {
    await client.end();
  }
}

async function migrate(database: DatabaseName, url: string, recorded: string[], appRole: string): Promise<void> {
  const base = createDataSource(database, url);
  const ds = new DataSource({ ...base.options, migrations: migrationsUpTo(database, recorded) });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await applyAppGrants(ds, database, appRole);
  } finally {
    await ds.destroy();
  }
}

/** Restores the archive `file` into the empty databases `target` (as their owner); see the header. */
export async function restoreArchive(file: string, identities: string[], target: DatabasePair, appRole: string, options: { pgDump?: string } = {}): Promise<RestoreResult> {
  for (const db of DATABASES) await assertEmpty(target[db], db);
  const source = fs.createReadStream(file);
  let decrypted: Readable;
  try {
    decrypted = await decryptStream(source, identities);
  } catch (error) {
    source.destroy();
    throw (error as NodeJS.ErrnoException).code ? error : refusal(error, true); // (a missing file is not a damaged one)
  }
  const gunzip = zlib.createGunzip();
  // Any stage's failure fails the whole chain (pipe() alone would leave the next stage waiting forever).
  const stages: Readable[] = [source, decrypted, gunzip];
  let damaged = false; // a stage of the archive itself failed (not the database)
  const fail = (error: Error): void => { damaged = true; for (const s of stages) if (!s.destroyed) s.destroy(error); };
  for (const s of stages) s.on('error', fail);
  const frames = readFrames(decrypted.pipe(gunzip));
  const clients = {} as Record<DatabaseName, Client>;
  const restored = new Map<string, number>();
  let manifest: Manifest | undefined;
  let current: { database: DatabaseName; table: string; stream: ReturnType<typeof copyFrom>; done: Promise<void> } | undefined;
  try {
    const first = await frames.next();
    if (first.done || first.value.type !== 'B') throw new Error('the archive does not begin with its header');
    const begin = JSON.parse(first.value.payload.toString('utf8')) as Pick<Manifest, 'format' | 'migrations' | 'mode' | 'pgDumpMajor'>;
    if (begin.format !== FORMAT) throw new Error(`the archive's format ${begin.format} is not ${FORMAT}`);
    if (begin.mode === 'pg_dump') {
      const pgRestore = await pgRestoreFor(options.pgDump, begin.pgDumpMajor ?? 0);
      for (const db of DATABASES) migrationsUpTo(db, begin.migrations[db]); // refuses a schema this release lacks
      return await restorePgDumpFrames(frames, target, appRole, pgRestore);
    }
    for (const db of DATABASES) await migrate(db, target[db], begin.migrations[db], appRole);
    for (const db of DATABASES) {
      const client = new Client({ connectionString: target[db], application_name: 'visus-restore' });
      await client.connect();
      client.on('error', () => undefined); // surfaced by the query that fails; a dropped connection must not crash the process
      clients[db] = client;
      for (const s of SESSION_SETTINGS) await client.query(s);
      await client.query('BEGIN');
      const { rows } = await client.query<{ name: string }>(
        `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> $1`, [MIGRATIONS_TABLE]);
      for (const { name } of rows) await client.query(`ALTER TABLE public.${quote(name)} DISABLE TRIGGER USER`);
      if (rows.length) await client.query(`TRUNCATE ${rows.map((r) => `public.${quote(r.name)}`).join(', ')}`);
    }
    for await (const { type, payload } of frames) {
      if (type === 'T') {
        const { database, table, columns } = JSON.parse(payload.toString('utf8')) as { database: DatabaseName; table: string; columns: string[] };
        const stream = clients[database].query(copyFrom(`COPY ${copyTarget(table, columns)} FROM STDIN`));
        const done = new Promise<void>((resolve, reject) => { stream.on('finish', resolve); stream.on('error', reject); });
        current = { database, table, stream, done };
      } else if (type === 'D') {
        if (!current) throw new Error('the archive has table data outside a table');
        if (!current.stream.write(payload)) await Promise.race([new Promise((resolve) => current!.stream.once('drain', resolve)), current.done]);
      } else if (type === 'E') {
        if (!current) throw new Error('the archive ends a table it did not begin');
        current.stream.end();
        await current.done;
        restored.set(`${current.database}.${current.table}`, Number(current.stream.rowCount ?? 0));
        current = undefined;
      } else if (type === 'M') {
        manifest = JSON.parse(payload.toString('utf8')) as Manifest;
      }
    }
    if (!manifest) throw new Error('the archive is truncated (no manifest at its end)');
    for (const db of DATABASES) {
      const client = clients[db];
      for (const s of manifest.sequences[db]) {
        if (s.lastValue !== null) await client.query('SELECT setval($1::regclass, $2::bigint, true)', [`public.${quote(s.name)}`, s.lastValue]);
      }
      const { rows } = await client.query<{ name: string }>(
        `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> $1`, [MIGRATIONS_TABLE]);
      for (const { name } of rows) await client.query(`ALTER TABLE public.${quote(name)} ENABLE TRIGGER USER`);
    }
    for (const db of DATABASES) await clients[db].query('COMMIT');
    return { manifest, restored };
  } catch (error) {
    const archiveFault = damaged;
    for (const s of stages) if (!s.destroyed) s.destroy();
    // A COPY in flight holds its connection: a ROLLBACK queued behind it would wait forever. Abort it (CopyFail)
    // first; a connection that still does not answer is dropped, which rolls its transaction back as well.
    if (current) {
      current.stream.destroy(error as Error);
      await withTimeout(current.done.catch(() => undefined), 5000);
    }
    for (const db of DATABASES) {
      if (clients[db] && !(await withTimeout(clients[db].query('ROLLBACK').then(() => true, () => true), 5000))) {
        (clients[db] as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy(); // pg has no public abort
      }
    }
    throw refusal(error, archiveFault);
  } finally {
    for (const db of DATABASES) await withTimeout(clients[db]?.end().catch(() => undefined), 5000);
  }
}

/** Resolves to the promise's value, or to undefined after `ms` (so teardown never hangs). */
async function withTimeout<T>(promise: Promise<T> | undefined, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** The operator's message for an archive that fails to decrypt, authenticate or parse (`archiveFault`: the archive's own stream failed). */
function refusal(error: unknown, archiveFault: boolean): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/no identity matched/i.test(message)) return new Error(`the archive was refused: none of the given identities opens it (a wrong identity, or its header was damaged: ${message})`);
  if (archiveFault || /the archive is (truncated|malformed)|does not begin with its header/.test(message)) {
    return new Error(`the archive was refused: it is damaged, truncated or was tampered with (${message}); nothing was committed`);
  }
  return error instanceof Error ? error : new Error(message);
}
