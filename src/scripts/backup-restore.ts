/**
 * `npm run backup:restore <archive>`: restores the archive into the EMPTY databases named by DATABASE_OWNER_URL and
 * CLINICAL_DATABASE_OWNER_URL (src/backup/restore.ts; docs/security-operations.md "Restore"), then checks the row
 * counts against the manifest. Needs BACKUP_IDENTITY_FILE (and BACKUP_PG_DUMP for an archive made in pg_dump mode). Refuses databases that already hold tables.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { logger } from '../logging/logger';
import { backupKeys, readIdentity } from '../backup/age';
import { restoreArchive } from '../backup/restore';

if (!process.env.LOG_LEVEL) logger.level = 'warn';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npm run backup:restore -- <archive>');
  const config = loadConfig();
  if (!config.databaseOwnerUrl || !config.clinicalDatabaseOwnerUrl) throw new Error('set DATABASE_OWNER_URL and CLINICAL_DATABASE_OWNER_URL to the new, empty databases');
  const keys = await backupKeys(process.env, config.production, config.embeddedDataDir);
  if (!keys.identityFile) throw new Error('set BACKUP_IDENTITY_FILE: restoring needs the identity that decrypts the archive');
  const { manifest, restored } = await restoreArchive(file, readIdentity(keys.identityFile),
    { core: config.databaseOwnerUrl, clinical: config.clinicalDatabaseOwnerUrl }, config.appDbRole, { pgDump: process.env.BACKUP_PG_DUMP || undefined });
  const wrong = manifest.tables.filter((t) => restored.get(`${t.database}.${t.table}`) !== t.rows);
  for (const t of wrong) console.log(`DIFFERS ${t.database}.${t.table}: ${restored.get(`${t.database}.${t.table}`) ?? 0} rows restored, the manifest says ${t.rows}`);
  console.log(`${wrong.length ? 'FAIL' : 'Restored'}: ${manifest.tables.length} tables from the backup of ${manifest.createdAt}; now run npm run backup:verify on the archive, then npm run migration:run:core and :clinical`);
  return wrong.length ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
