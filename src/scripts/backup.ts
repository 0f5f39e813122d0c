/**
 * `npm run backup [-- --out <file>]`: both databases (as their owner: the embedded PostgreSQL, or
 * DATABASE_OWNER_URL / CLINICAL_DATABASE_OWNER_URL) into one age-encrypted archive (src/backup/dump.ts), by default
 * `backups/visus-backup-<time>.age` beside the data folder (BACKUP_DIR). Prints the archive, its size, time and counts.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/config';
import { resolveDatabaseUrls } from '../db/bootstrap';
import { logger } from '../logging/logger';
import { backupKeys } from '../backup/age';
import { createBackup } from '../backup/dump';

if (!process.env.LOG_LEVEL) logger.level = 'warn';

async function main(): Promise<void> {
  const config = loadConfig();
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--out');
  const dir = process.env.BACKUP_DIR || path.join(path.dirname(config.embeddedDataDir), 'backups');
  const file = i >= 0 && argv[i + 1] ? path.resolve(argv[i + 1]) : path.join(dir, `visus-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.age`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const keys = await backupKeys(process.env, config.production, config.embeddedDataDir);
  const urls = await resolveDatabaseUrls(config);
  try {
    if (!urls.owner) throw new Error('npm run backup reads as the databases\' owner: set DATABASE_OWNER_URL and CLINICAL_DATABASE_OWNER_URL');
    const started = Date.now();
    const m = await createBackup(urls.owner, file, keys.recipients, { pgDump: process.env.BACKUP_PG_DUMP || undefined });
    console.log(`Backup written: ${file}${m.mode === 'pg_dump' ? ` (pg_dump ${m.pgDumpMajor} custom format)` : ''}`);
    console.log(`  ${m.archiveBytes} bytes encrypted to ${keys.recipients.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`  ${m.tables.length} tables, ${m.tables.reduce((n, t) => n + t.rows, 0)} rows, ${m.heads.length} audit chain heads`);
  } finally {
    if (urls.embedded) await urls.embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `backup failed: ${error.message}` : error);
  process.exit(1);
});
