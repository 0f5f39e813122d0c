/**
 * `npm run migration:run:<core|clinical>`: applies pending migrations to one database (the configured
 * one, or the embedded PostgreSQL's) as its owner, then the application role's grants. `npm start` also
 * does both on every start when it knows the owner.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { migrateAndGrant, resolveDatabaseUrls } from '../db/bootstrap';
import { createDataSource, DatabaseName } from '../db/data-sources';

async function main(): Promise<void> {
  const database = process.argv[2] as DatabaseName;
  if (database !== 'core' && database !== 'clinical') throw new Error('usage: migration-run <core|clinical>');
  const config = loadConfig();
  const urls = await resolveDatabaseUrls(config);
  try {
    if (!urls.owner) throw new Error('migrations run as the databases\' owner: set DATABASE_OWNER_URL and CLINICAL_DATABASE_OWNER_URL');
    const dataSource = createDataSource(database, urls.owner[database]);
    try {
      await dataSource.initialize();
      const applied = await migrateAndGrant(dataSource, database, config.appDbRole);
      console.log(`${database}: ${applied.length ? applied.join(', ') : 'up to date'}; grants to ${config.appDbRole} applied`);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  } finally {
    if (urls.embedded) await urls.embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
