/**
 * The restore of an archive made in pg_dump mode (dump.ts, BACKUP_PG_DUMP): each database's pg_dump custom-format
 * stream is fed, as it decrypts, to a `pg_restore --single-transaction --no-owner --no-privileges` (the pg_restore
 * beside BACKUP_PG_DUMP). The last chunk of every stream is held back until the whole archive has decrypted and
 * authenticated and the stream's checksum matched: no pg_restore can reach its end, and so commit, before that; on
 * any failure the pg_restores are killed, which rolls their transactions back. Then the application role's grants,
 * and each table's row count. Called by restore.ts once the archive's header said pg_dump mode.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Client } from 'pg';
import { applyAppGrants } from '../db/app-grants';
import type { DatabasePair } from '../db/bootstrap';
import { createDataSource, DatabaseName } from '../db/data-sources';
import type { Frame } from './frames';
import { Manifest, MIGRATIONS_TABLE, quote, sha256 } from './manifest';
import { exited, spawnTool } from './pg-dump';

interface Running {
  database: DatabaseName;
  child: ChildProcessWithoutNullStreams;
  done: Promise<void>;
  hash: ReturnType<typeof sha256>;
  bytes: number;
  /** The chunk not yet given to pg_restore (the stream's last one, once it ended). */
  pending?: Buffer;
  ended: boolean;
}

async function feed(r: Running, chunk: Buffer): Promise<void> {
  if (!r.child.stdin.write(chunk)) {
    await Promise.race([new Promise((resolve) => r.child.stdin.once('drain', resolve)), r.done]);
  }
}

/** Reads the rest of the archive's `frames` (after its header) into `target` with `pgRestore`; returns the manifest and each table's rows. */
export async function restorePgDumpFrames(frames: AsyncGenerator<Frame>, target: DatabasePair, appRole: string, pgRestore: string):
  Promise<{ manifest: Manifest; restored: Map<string, number> }> {
  const running: Running[] = [];
  let current: Running | undefined;
  let manifest: Manifest | undefined;
  try {
    for await (const { type, payload } of frames) {
      if (type === 'T') {
        const { database, pgDump } = JSON.parse(payload.toString('utf8')) as { database: DatabaseName; pgDump?: boolean };
        if (!pgDump || !target[database] || running.some((r) => r.database === database)) throw new Error('the archive is malformed (a pg_dump section expected)');
        const child = spawnTool(pgRestore, ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges'], target[database]);
        child.stdin.on('error', () => undefined); // surfaced by `done` (pg_restore's exit)
        const done = exited(child, `pg_restore into the ${database} database`);
        done.catch(() => undefined); // awaited below
        current = { database, child, done, hash: sha256(), bytes: 0, ended: false };
        running.push(current);
      } else if (type === 'D') {
        if (!current) throw new Error('the archive has data outside a pg_dump section');
        const chunk = Buffer.from(payload);
        current.hash.update(chunk);
        current.bytes += chunk.length;
        if (current.pending) await feed(current, current.pending);
        current.pending = chunk;
      } else if (type === 'E') {
        if (!current) throw new Error('the archive ends a section it did not begin');
        const end = JSON.parse(payload.toString('utf8')) as { bytes: number; sha256: string };
        if (end.bytes !== current.bytes || end.sha256 !== current.hash.digest('hex')) {
          throw new Error(`the archive is malformed (the ${current.database} pg_dump section does not match its checksum)`);
        }
        current.ended = true;
        current = undefined;
      } else if (type === 'M') {
        manifest = JSON.parse(payload.toString('utf8')) as Manifest;
      }
    }
    if (!manifest) throw new Error('the archive is truncated (no manifest at its end)');
    const missing = (['core', 'clinical'] as DatabaseName[]).filter((db) => !running.some((r) => r.database === db && r.ended));
    if (missing.length) throw new Error(`the archive is truncated (no complete pg_dump section for ${missing.join(', ')})`);
    // The whole archive authenticated: let every pg_restore finish (and commit).
    for (const r of running) {
      if (r.pending) await feed(r, r.pending);
      r.child.stdin.end();
    }
    for (const r of running) await r.done;
  } catch (error) {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.done.catch(() => undefined)));
    throw error;
  }
  const restored = new Map<string, number>();
  for (const db of ['core', 'clinical'] as DatabaseName[]) {
    const ds = createDataSource(db, target[db]);
    await ds.initialize();
    try {
      await applyAppGrants(ds, db, appRole);
    } finally {
      await ds.destroy();
    }
    const client = new Client({ connectionString: target[db] });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> $1`, [MIGRATIONS_TABLE]);
      for (const { name } of rows) {
        restored.set(`${db}.${name}`, Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM public.${quote(name)}`)).rows[0].n));
      }
    } finally {
      await client.end();
    }
  }
  return { manifest, restored };
}
