/**
 * `npm start`: opens the databases (embedded PostgreSQL unless DATABASE_URL and
 * CLINICAL_DATABASE_URL are set); as their owner (when known) runs migrations, applies the application
 * role's grants and seeds the demo chain on first start; then serves GraphQL at
 * http://localhost:$PORT/graphql connected as the restricted application role.
 */
import 'reflect-metadata';
import { startApp } from './app';
import { loadConfig } from './config/config';
import { appUrls, migrateAsOwner, openDatabases, resolveDatabaseUrls } from './db/bootstrap';
import { seedDemo } from './seed/demo-seed';
import { logger } from './logging/logger';
import { safeErrorMessage } from './logging/safe-error-message';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const urls = await resolveDatabaseUrls(config);
  const appRoleUrls = appUrls(urls);
  if (urls.owner) {
    const owner = await migrateAsOwner(urls.owner, config.appDbRole);
    try {
      if (config.seedDemo) {
        const report = await seedDemo(owner.core, owner.clinical);
        if (report.chainsCreated.length) logger.info({ chains: report.chainsCreated.length, customers: report.customers }, 'demo chain seeded');
      }
    } finally {
      await owner.close();
    }
  } else {
    logger.info('no owner URLs: migrations, grants and the demo seed are left to npm run migration:run:* and npm run seed');
  }
  const databases = await openDatabases(appRoleUrls, urls.embedded);
  const app = await startApp(config, databases.core, databases.clinical);
  logger.info({ url: app.url, startupMs: Date.now() - started }, 'Visus is serving');
  console.log(`Visus GraphQL API ready at ${app.url} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.stop();
    await databases.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  logger.error({ err: safeErrorMessage(error) }, 'startup failed');
  console.error(error);
  process.exit(1);
});
