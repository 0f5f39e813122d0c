/**
 * BACKUP_PG_DUMP=/path/to/pg_dump: the check that the configured pg_dump matches the server. Only a pg_dump of the
 * server's major version is accepted (an older one cannot read a newer server's catalogue, a newer one writes
 * archives an older pg_restore cannot read): anything else is refused with a message naming both versions. The
 * embedded PostgreSQL ships no pg_dump, so the built-in COPY dump is the default.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The major version of the PostgreSQL tool `bin` (from `--version`, e.g. "pg_dump (PostgreSQL) 15.14"). */
export async function toolMajorVersion(bin: string): Promise<number> {
  if (!fs.existsSync(bin)) throw new Error(`BACKUP_PG_DUMP names ${bin}, which does not exist`);
  const { stdout } = await run(bin, ['--version']);
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
  if (!match) throw new Error(`${bin} --version printed "${stdout.trim()}", not a PostgreSQL version`);
  return Number(match[1]);
}

/** Throws unless `bin`'s major version is the server's (`server_version_num`, e.g. 180001). */
export async function assertMatchingPgDump(bin: string, serverVersionNum: number): Promise<void> {
  const server = Math.floor(serverVersionNum / 10000);
  const tool = await toolMajorVersion(bin);
  if (tool !== server) {
    throw new Error(`BACKUP_PG_DUMP is pg_dump ${tool}, the server is PostgreSQL ${server}: configure a pg_dump of major version ${server}, or unset BACKUP_PG_DUMP to use the built-in COPY dump`);
  }
}
