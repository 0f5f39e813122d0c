/**
 * `npm start`: opens the databases (embedded PostgreSQL unless DATABASE_URL and
 * CLINICAL_DATABASE_URL are set); as their owner (when known) runs migrations, applies the application
 * role's grants and seeds the demo chain on first start (printing the demo BI API token once); then serves GraphQL at
 * http://localhost:$PORT/graphql (with HTTPS: https://localhost:$HTTPS_PORT/graphql, PORT redirecting) connected as
 * the restricted application role.
 * What stops it before it serves (port in use, a data folder that is not Visus's, bad configuration) is
 * one line on standard error, no stack trace, exit code 1; SIGINT and SIGTERM stop it in order (HTTP, then
 * the connections, then the embedded PostgreSQL) with exit code 0.
 */
import 'reflect-metadata';
import type { RunningApp } from './app';
import { Config, loadConfig } from './config/config';
import type { Databases, DatabaseUrls } from './db/bootstrap';
import { startEmbeddedDatabases } from './db/embedded-databases';
import { EmbeddedPostgresHandle } from './db/embedded-postgres';
import { portProblem } from './db/port-check';
import { markShuttingDown, takeOverShutdownSignals } from './db/shutdown-signals';
import { asStartupError, StartupError } from './errors/startup-error';
import { logger } from './logging/logger';
import { assertFrontPortsFree } from './server/https-server';
import { safeErrorMessage } from './logging/safe-error-message';
import { RunningCluster, startCluster, webConcurrency } from './server/cluster';
import { backupCronFrom } from './backup/cron';
import type { RunningSchedule } from './backup/schedule';
import { poolSizeFor } from './db/pool-size';

/** The rest of the server, loaded once the embedded PostgreSQL is on its way (its initdb runs meanwhile). */
async function serverModules() {
  const [app, bootstrap, seed, rotation, ring] = await Promise.all([import('./app.js'), import('./db/bootstrap.js'), import('./seed/demo-seed.js'),
    import('./crypto/key-rotation.js'), import('./crypto/key-ring.js')]);
  return { startApp: app.startApp, ...bootstrap, seedDemo: seed.seedDemo, seededTokenLine: seed.seededTokenLine,
    encryptUnkeyedRows: rotation.encryptUnkeyedRows, keyRingFor: ring.keyRingFor };
}

/**
 * The databases' URLs and the server's modules. With the embedded PostgreSQL, it is launched first and the
 * modules load (a second or more of CPU) while initdb or PostgreSQL's start runs in its own process.
 */
async function databasesAndModules(config: Config): Promise<{ urls: DatabaseUrls; modules: Awaited<ReturnType<typeof serverModules>> }> {
  const external = config.databaseUrl || config.clinicalDatabaseUrl || config.databaseOwnerUrl || config.clinicalDatabaseOwnerUrl;
  if (external) {
    const modules = await serverModules();
    return { urls: await modules.resolveDatabaseUrls(config, { exclusive: true }), modules };
  }
  let launched: () => void = () => undefined;
  const firstOutput = new Promise<void>((resolve) => (launched = resolve));
  const starting = startEmbeddedDatabases(config, { exclusive: true, onOutput: () => launched() });
  const outcome = await Promise.race([firstOutput.then(() => 'launched'), starting.then(() => 'started', () => 'failed')]);
  if (outcome === 'failed') await starting; // throws its error at once, without loading the rest
  const modules = await serverModules().catch(async (error: unknown) => {
    await starting.then((urls) => urls.embedded.stop(), () => undefined);
    throw error;
  });
  return { urls: await starting, modules };
}

/** What is open so far, closed in reverse order on a signal (also one arriving before the server serves). */
const open: { embedded?: EmbeddedPostgresHandle; databases?: Databases; app?: RunningApp; cluster?: RunningCluster; backups?: RunningSchedule } = {};
let stopping = false;

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  markShuttingDown();
  logger.info({ signal }, 'shutting down');
  try {
    open.backups?.stop();
    await open.app?.stop();
    await open.cluster?.stop();
    if (open.databases) await open.databases.close(); // also stops the embedded PostgreSQL
    else await open.embedded?.stop();
  } catch (error) {
    logger.error({ err: safeErrorMessage(error) }, 'shutdown failed');
    process.exit(1);
  }
  process.exit(0);
}

/** The async twin of asStartupError: a configuration error becomes the one-line startup error. */
async function asStartupErrorAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw error instanceof StartupError ? error : new StartupError((error as Error).message, { cause: error });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const config = asStartupError(loadConfig);
  const workers = asStartupError(() => webConcurrency());
  const backupCron = asStartupError(() => backupCronFrom(process.env.BACKUP_CRON));
  const poolSize = asStartupError(() => poolSizeFor(workers)); // src/db/pool-size.ts: the workers share the connection budget
  await assertFrontPortsFree(config);
  const { urls, modules } = await databasesAndModules(config);
  const { appUrls, encryptUnkeyedRows, keyRingFor, migrateAsOwner, openDatabases, seedDemo, seededTokenLine, startApp } = modules;
  open.embedded = urls.embedded;
  takeOverShutdownSignals();
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const appRoleUrls = appUrls(urls);
  if (urls.owner) {
    const owner = await migrateAsOwner(urls.owner, config.appDbRole);
    try {
      // Clinical free text written before it was encrypted at rest: encrypted now, before anything serves it.
      const encrypted = await encryptUnkeyedRows(owner.clinical, keyRingFor(config.masterKeyFile));
      if (encrypted) logger.info({ rows: encrypted }, 'clinical free text of older rows encrypted');
      if (config.seedDemo) {
        const report = await seedDemo(owner.core, owner.clinical, { suppressionKey: config.suppressionKey, masterKeyFile: config.masterKeyFile });
        if (report.chainsCreated.length) logger.info({ chains: report.chainsCreated.length, customers: report.customers }, 'demo chain seeded');
        // On standard output, not in the log: shown this once (only the token's hash is stored).
        for (const token of report.apiTokens) console.log(seededTokenLine(token));
      }
    } finally {
      await owner.close();
    }
  } else {
    logger.info('no owner URLs: migrations, grants and the demo seed are left to npm run migration:run:* and npm run seed');
  }
  try {
    if (workers > 1) open.cluster = await startCluster(workers, appRoleUrls, poolSize); // src/server/cluster.ts
    else open.databases = await openDatabases(appRoleUrls, urls.embedded, poolSize);
    if (open.databases) open.app = await startApp(config, open.databases.core, open.databases.clinical);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new StartupError(portProblem(config.port, 'PORT', 'the GraphQL server', code), { cause: error });
    throw error;
  }
  if (backupCron) {
    // The primary process only (cluster workers run src/main-worker.ts): src/backup/schedule.ts.
    if (!urls.owner) throw new StartupError('BACKUP_CRON needs the databases\' owner: set DATABASE_OWNER_URL and CLINICAL_DATABASE_OWNER_URL');
    const [{ backupKeys }, { startBackupSchedule }, path] = await Promise.all([import('./backup/age.js'), import('./backup/schedule.js'), import('node:path')]);
    const keys = await asStartupErrorAsync(() => backupKeys(process.env, config.production, config.embeddedDataDir));
    const pgDump = process.env.BACKUP_PG_DUMP || undefined;
    open.backups = startBackupSchedule({ cron: backupCron, owner: urls.owner, keys, appRole: config.appDbRole, pgDump,
      dir: process.env.BACKUP_DIR || path.join(path.dirname(config.embeddedDataDir), 'backups') });
  }
  const url = open.app?.url ?? `${config.tls.https.kind === 'off' ? `http://localhost:${config.port}` : `https://localhost:${config.tls.httpsPort}`}/graphql`;
  logger.info({ url, workers, startupMs: Date.now() - started }, 'Visus is serving');
  console.log(`Visus GraphQL API ready at ${url} (${workers > 1 ? `${workers} workers, ` : ''}started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main().catch(async (error: unknown) => {
  if (stopping) return; // a signal stopped startup half-way: stop() exits
  if (error instanceof StartupError) {
    console.error(`Visus cannot start: ${error.message}`);
  } else {
    logger.error({ err: safeErrorMessage(error) }, 'startup failed');
    console.error(error);
  }
  try {
    if (open.databases) await open.databases.close();
    else await open.embedded?.stop();
  } catch {
    // exiting anyway: embedded-postgres stops its server on exit
  }
  process.exit(1);
});
