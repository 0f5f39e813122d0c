/**
 * `npm run backup:verify <archive>`: restores the archive into a scratch embedded PostgreSQL and checks it against
 * its manifest (src/backup/verify.ts); prints PASS, or what differs with exit code 1. Needs the identity
 * (BACKUP_IDENTITY_FILE, or the embedded default's generated one); an archive made in pg_dump mode needs BACKUP_PG_DUMP.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { logger } from '../logging/logger';
import { backupKeys, readIdentity } from '../backup/age';
import { verifyArchive } from '../backup/verify';

if (!process.env.LOG_LEVEL) logger.level = 'warn';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npm run backup:verify -- <archive>');
  const config = loadConfig();
  const keys = await backupKeys(process.env, config.production, config.embeddedDataDir);
  if (!keys.identityFile) throw new Error('set BACKUP_IDENTITY_FILE: verifying needs the identity that decrypts the archive');
  const started = Date.now();
  const report = await verifyArchive(file, readIdentity(keys.identityFile), { appRole: config.appDbRole, pgDump: process.env.BACKUP_PG_DUMP || undefined });
  for (const line of report.lines) console.log(line);
  console.log(`(verified in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return report.ok ? 0 : 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.log(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
