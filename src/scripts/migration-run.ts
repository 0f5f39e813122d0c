/**
 * `npm run migration:run:<core|clinical>`: applies pending migrations to one database (the
 * configured one, or the embedded PostgreSQL's). `npm start` also runs them on every start.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { resolveDatabaseUrls } from '../db/bootstrap';
import { createDataSource, DatabaseName } from '../db/data-sources';

async function main(): Promise<void> {
  const database = process.argv[2] as DatabaseName;
  if (database !== 'core' && database !== 'clinical') throw new Error('usage: migration-run <core|clinical>');
  const { coreUrl, clinicalUrl, embedded } = await resolveDatabaseUrls(loadConfig());
  const dataSource = createDataSource(database, database === 'core' ? coreUrl : clinicalUrl);
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(`${database}: ${applied.length ? applied.map((m) => m.name).join(', ') : 'up to date'}`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    if (embedded) await embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
