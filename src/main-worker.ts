/**
 * One API worker of `npm start` in cluster mode (src/server/cluster.ts): the primary has opened, migrated
 * and seeded the databases and passes the application role's URLs in its environment; the worker connects
 * as that role and serves on the shared port. SIGINT and SIGTERM stop it in order (HTTP, then the
 * connections) with exit code 0; a failure to start is logged and exits 1 (the primary then fails the start).
 */
import 'reflect-metadata';
import type { RunningApp } from './app';
import { startApp } from './app';
import { loadConfig } from './config/config';
import { Databases, openDatabases } from './db/bootstrap';
import { markShuttingDown } from './db/shutdown-signals';
import { logger } from './logging/logger';
import { safeErrorMessage } from './logging/safe-error-message';
import { WORKER_ANOMALY_SWEEP, WORKER_CLINICAL_URL, WORKER_CORE_URL, WORKER_POOL_SIZE } from './server/cluster';

const open: { databases?: Databases; app?: RunningApp } = {};
let stopping = false;

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  markShuttingDown();
  logger.info({ signal, worker: process.pid }, 'API worker shutting down');
  try {
    await open.app?.stop();
    await open.databases?.close();
  } catch (error) {
    logger.error({ err: safeErrorMessage(error) }, 'API worker shutdown failed');
    process.exit(1);
  }
  process.exit(0);
}

async function main(): Promise<void> {
  const core = process.env[WORKER_CORE_URL];
  const clinical = process.env[WORKER_CLINICAL_URL];
  if (!core || !clinical) throw new Error('an API worker is started by npm start (src/server/cluster.ts), not by hand');
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const config = loadConfig();
  const poolSize = Number(process.env[WORKER_POOL_SIZE]) || undefined;
  open.databases = await openDatabases({ core, clinical }, undefined, poolSize);
  open.app = await startApp(config, open.databases.core, open.databases.clinical, { anomalySweep: process.env[WORKER_ANOMALY_SWEEP] === '1' });
}

main().catch((error: unknown) => {
  if (stopping) return;
  logger.error({ err: safeErrorMessage(error), worker: process.pid }, 'API worker failed to start');
  console.error(`Visus API worker cannot start: ${safeErrorMessage(error)}`);
  void (open.databases?.close() ?? Promise.resolve()).catch(() => undefined).finally(() => process.exit(1));
});
