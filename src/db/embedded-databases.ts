/**
 * The embedded PostgreSQL as `npm start` and the scripts use it when no database URLs are set: the server in
 * the configured data folder (started, or the one already running there), checked to be Visus's, with the
 * core and clinical databases and the application's login role. Imports only light modules, so that
 * src/main.ts can launch it before loading the rest of the server, and `initdb` runs meanwhile.
 */
import path from 'node:path';
import { Config } from '../config/config';
import { logger } from '../logging/logger';
import { ensureAppLoginRole, urlWithLogin } from './app-role';
import { assertVisusCluster } from './embedded-cluster-check';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';

export const EMBEDDED_CORE_DB = 'visus_core';
export const EMBEDDED_CLINICAL_DB = 'visus_clinical';

/** `pg-tls/` beside the embedded PostgreSQL's data folder (`.data/pg-tls` by default). */
export function embeddedTlsDir(embeddedDataDir: string): string {
  return path.join(path.dirname(embeddedDataDir), 'pg-tls');
}

export interface EmbeddedDatabases {
  /** As the application role. */
  app: { core: string; clinical: string };
  /** As the owner (the embedded server's superuser). */
  owner: { core: string; clinical: string };
  embedded: EmbeddedPostgresHandle;
}

export interface EmbeddedDatabasesOptions {
  /** Refuse a data folder another PostgreSQL already serves (npm start) rather than share it (scripts). */
  exclusive?: boolean;
  /** Called on each line initdb or PostgreSQL prints (the first one says it has been launched). */
  onOutput?: () => void;
}

export async function startEmbeddedDatabases(config: Config, options: EmbeddedDatabasesOptions = {}): Promise<EmbeddedDatabases> {
  logger.info({ dataDir: config.embeddedDataDir, port: config.embeddedPort }, 'starting embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres({
    dataDir: config.embeddedDataDir,
    port: config.embeddedPort,
    persistent: true,
    exclusive: options.exclusive,
    onLog: options.onOutput,
    // TLS only, its CA and certificate in <data>/pg-tls (src/db/pg-tls.ts).
    tlsDir: embeddedTlsDir(config.embeddedDataDir),
  });
  const login = { role: config.appDbRole, password: config.appDbPassword };
  try {
    await assertVisusCluster(config.embeddedDataDir, embedded.urlFor('postgres'), [EMBEDDED_CORE_DB, EMBEDDED_CLINICAL_DB]);
    await embedded.ensureDatabase(EMBEDDED_CORE_DB);
    await embedded.ensureDatabase(EMBEDDED_CLINICAL_DB);
    await ensureAppLoginRole(embedded.urlFor('postgres'), login);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  const owner = { core: embedded.urlFor(EMBEDDED_CORE_DB), clinical: embedded.urlFor(EMBEDDED_CLINICAL_DB) };
  return { app: { core: urlWithLogin(owner.core, login), clinical: urlWithLogin(owner.clinical, login) }, owner, embedded };
}
