/**
 * BACKUP_PG_DUMP=/path/to/pg_dump: the configured pg_dump (and the pg_restore beside it). Only a pg_dump of the
 * server's major version is accepted (an older one cannot read a newer server's catalogue, a newer one writes
 * archives an older pg_restore cannot read): anything else is refused with a message naming both versions. The
 * embedded PostgreSQL ships no pg_dump, so the built-in COPY dump is the default. Also spawns the two tools with
 * the connection's password in the environment (PGPASSWORD), never on the command line.
 */
import { ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The major version of the PostgreSQL tool `bin` (from `--version`, e.g. "pg_dump (PostgreSQL) 15.14"). */
export async function toolMajorVersion(bin: string, variable = 'BACKUP_PG_DUMP'): Promise<number> {
  if (!fs.existsSync(bin)) throw new Error(`${variable} names ${bin}, which does not exist`);
  const { stdout } = await run(bin, ['--version']);
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
  if (!match) throw new Error(`${bin} --version printed "${stdout.trim()}", not a PostgreSQL version`);
  return Number(match[1]);
}

/** Throws unless `bin`'s major version is the server's (`server_version_num`, e.g. 180001); returns that major. */
export async function assertMatchingPgDump(bin: string, serverVersionNum: number): Promise<number> {
  const server = Math.floor(serverVersionNum / 10000);
  const tool = await toolMajorVersion(bin);
  if (tool !== server) {
    throw new Error(`BACKUP_PG_DUMP is pg_dump ${tool}, the server is PostgreSQL ${server}: configure a pg_dump of major version ${server}, or unset BACKUP_PG_DUMP to use the built-in COPY dump`);
  }
  return tool;
}

/**
 * The pg_restore in BACKUP_PG_DUMP's folder, checked to read an archive of pg_dump `archiveMajor`; throws a message
 * saying what to configure when BACKUP_PG_DUMP is unset, or the pg_restore is missing or older.
 */
export async function pgRestoreFor(pgDump: string | undefined, archiveMajor: number): Promise<string> {
  if (!pgDump) {
    throw new Error(`the archive was made by pg_dump ${archiveMajor} (BACKUP_PG_DUMP): set BACKUP_PG_DUMP to that pg_dump (its folder's pg_restore restores it) to restore or verify it`);
  }
  const bin = path.join(path.dirname(pgDump), 'pg_restore');
  if (!fs.existsSync(bin)) throw new Error(`the archive was made by pg_dump ${archiveMajor}, and there is no pg_restore beside BACKUP_PG_DUMP (${bin})`);
  const major = await toolMajorVersion(bin, 'pg_restore');
  if (major < archiveMajor) throw new Error(`the archive was made by pg_dump ${archiveMajor}; ${bin} is pg_restore ${major}, which cannot read it: use a pg_restore of major version ${archiveMajor} or later`);
  return bin;
}

/** Spawns `bin` against the database `url`: the password goes through PGPASSWORD, the rest as --dbname. */
export function spawnTool(bin: string, args: string[], url: string): ChildProcessWithoutNullStreams {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const env = { ...process.env, PGPASSWORD: password, PGAPPNAME: path.basename(bin) };
  return spawn(bin, [...args, `--dbname=${u.toString()}`], { env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Resolves when `child` exits 0; rejects with its standard error otherwise. */
export function exited(child: ChildProcessWithoutNullStreams, what: string): Promise<void> {
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { if (stderr.length < 4000) stderr += c.toString('utf8'); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${what} failed (${signal ?? `exit code ${code}`}): ${stderr.trim() || 'no message'}`));
    });
  });
}
