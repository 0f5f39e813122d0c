/**
 * Opens both databases: from DATABASE_URL / CLINICAL_DATABASE_URL when set, otherwise on an
 * embedded PostgreSQL in the configured data folder (created on first use). Runs pending migrations.
 */
import { DataSource } from 'typeorm';
import { Config } from '../config/config';
import { logger } from '../server/logger';
import { createDataSource } from './data-sources';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';

export interface Databases {
  core: DataSource;
  clinical: DataSource;
  /** Present when the server started its own embedded PostgreSQL. */
  embedded?: EmbeddedPostgresHandle;
  close(): Promise<void>;
}

export const EMBEDDED_CORE_DB = 'visus_core';
export const EMBEDDED_CLINICAL_DB = 'visus_clinical';

export async function resolveDatabaseUrls(
  config: Config,
): Promise<{ coreUrl: string; clinicalUrl: string; embedded?: EmbeddedPostgresHandle }> {
  if (config.databaseUrl && config.clinicalDatabaseUrl) {
    return { coreUrl: config.databaseUrl, clinicalUrl: config.clinicalDatabaseUrl };
  }
  if (config.databaseUrl || config.clinicalDatabaseUrl) {
    throw new Error('Set both DATABASE_URL and CLINICAL_DATABASE_URL, or neither (embedded PostgreSQL).');
  }
  logger.info({ dataDir: config.embeddedDataDir, port: config.embeddedPort }, 'starting embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres({
    dataDir: config.embeddedDataDir,
    port: config.embeddedPort,
    persistent: true,
  });
  await embedded.ensureDatabase(EMBEDDED_CORE_DB);
  await embedded.ensureDatabase(EMBEDDED_CLINICAL_DB);
  return { coreUrl: embedded.urlFor(EMBEDDED_CORE_DB), clinicalUrl: embedded.urlFor(EMBEDDED_CLINICAL_DB), embedded };
}

export async function openDatabases(coreUrl: string, clinicalUrl: string, embedded?: EmbeddedPostgresHandle): Promise<Databases> {
  const core = createDataSource('core', coreUrl);
  const clinical = createDataSource('clinical', clinicalUrl);
  await core.initialize();
  await clinical.initialize();
  await core.runMigrations({ transaction: 'each' });
  await clinical.runMigrations({ transaction: 'each' });
  return {
    core,
    clinical,
    embedded,
    async close() {
      await core.destroy();
      await clinical.destroy();
      if (embedded) await embedded.stop();
    },
  };
}
