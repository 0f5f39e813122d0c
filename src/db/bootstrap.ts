/**
 * Opens both databases. Two roles connect: the databases' owner runs the migrations, applies the
 * application role's grants (app-grants.ts) and seeds the demo chains; the restricted application role
 * is what the running server connects with. URLs come from DATABASE_URL / CLINICAL_DATABASE_URL (the
 * application role) and DATABASE_OWNER_URL / CLINICAL_DATABASE_OWNER_URL (the owner, optional) when set;
 * otherwise from an embedded PostgreSQL in the configured data folder (created on first use), whose
 * superuser is the owner and on which the application role is created.
 */
import { DataSource } from 'typeorm';
import { Config } from '../config/config';
import { StartupError } from '../errors/startup-error';
import { applyAppGrants } from './app-grants';
import { withEnvironmentTls } from './database-tls';
import { createDataSource, DatabaseName } from './data-sources';
import { EmbeddedDatabasesOptions, startEmbeddedDatabases } from './embedded-databases';
import { EmbeddedPostgresHandle } from './embedded-postgres';

export interface Databases {
  core: DataSource;
  clinical: DataSource;
  /** Present when the server started its own embedded PostgreSQL. */
  embedded?: EmbeddedPostgresHandle;
  close(): Promise<void>;
}

export interface DatabasePair {
  core: string;
  clinical: string;
}

export interface DatabaseUrls {
  /** The databases as the application role; absent for external databases configured with owner URLs only (scripts). */
  app?: DatabasePair;
  /** The same databases as their owner; absent for external databases configured without owner URLs. */
  owner?: DatabasePair;
  embedded?: EmbeddedPostgresHandle;
}

export { EMBEDDED_CLINICAL_DB, EMBEDDED_CORE_DB } from './embedded-databases';

function pairFrom(core: string | undefined, clinical: string | undefined, names: string): DatabasePair | undefined {
  if (core && clinical) return { core: withEnvironmentTls(core), clinical: withEnvironmentTls(clinical) };
  if (core || clinical) throw new StartupError(`set both ${names}, or neither (neither: the embedded PostgreSQL).`);
  return undefined;
}

/**
 * The databases' URLs from the configuration, starting the embedded PostgreSQL when none are set.
 * `exclusive` (npm start): refuse a data folder another PostgreSQL already serves rather than share it.
 */
export async function resolveDatabaseUrls(config: Config, options: EmbeddedDatabasesOptions = {}): Promise<DatabaseUrls> {
  const app = pairFrom(config.databaseUrl, config.clinicalDatabaseUrl, 'DATABASE_URL and CLINICAL_DATABASE_URL');
  const owner = pairFrom(config.databaseOwnerUrl, config.clinicalDatabaseOwnerUrl, 'DATABASE_OWNER_URL and CLINICAL_DATABASE_OWNER_URL');
  if (app || owner) return { app, owner };

  return startEmbeddedDatabases(config, options);
}

/** Both databases as their owner, migrated and with the application role's grants applied. */
export interface OwnerDatabases {
  core: DataSource;
  clinical: DataSource;
  close(): Promise<void>;
}

/**
 * Connects as the owner, runs pending migrations on both databases and applies the application role's
 * grants (every time: they follow the tables the migrations left). Seed through it, then close it.
 */
export async function migrateAsOwner(owner: DatabasePair, appRole: string): Promise<OwnerDatabases> {
  const core = createDataSource('core', owner.core);
  const clinical = createDataSource('clinical', owner.clinical);
  const close = async (): Promise<void> => {
    if (core.isInitialized) await core.destroy();
    if (clinical.isInitialized) await clinical.destroy();
  };
  try {
    await core.initialize();
    await clinical.initialize();
    await migrateAndGrant(core, 'core', appRole);
    await migrateAndGrant(clinical, 'clinical', appRole);
  } catch (error) {
    await close();
    throw error;
  }
  return { core, clinical, close };
}

/** Pending migrations, then the grants, on one database connected as its owner. Returns the migrations applied. */
export async function migrateAndGrant(owner: DataSource, database: DatabaseName, appRole: string): Promise<string[]> {
  const applied = await owner.runMigrations({ transaction: 'each' });
  await applyAppGrants(owner, database, appRole);
  return applied.map((m) => m.name);
}

/** Fails when a migration has not been applied to the database `dataSource` is connected to. */
async function assertMigrated(dataSource: DataSource, database: DatabaseName): Promise<void> {
  let applied: Set<string>;
  try {
    applied = new Set((await dataSource.query('SELECT name FROM typeorm_migrations') as { name: string }[]).map((r) => r.name));
  } catch (error) {
    throw new Error(`the ${database} database cannot be read as migrated (${error instanceof Error ? error.message : String(error)}): ` +
      `run npm run migration:run:${database} with the owner URLs set`, { cause: error });
  }
  const pending = dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  if (pending.length) {
    throw new Error(`the ${database} database has ${pending.length} pending migration(s) (${pending.join(', ')}): ` +
      `run npm run migration:run:${database} with the owner URLs set`);
  }
}

/** The application role's URLs, which serving requests needs. */
export function appUrls(urls: DatabaseUrls): DatabasePair {
  if (!urls.app) throw new Error('The server connects as the application role: set DATABASE_URL and CLINICAL_DATABASE_URL.');
  return urls.app;
}

/**
 * The application role's connections to both databases, for serving requests. Both must be fully migrated.
 * Closing them also stops the embedded PostgreSQL, if given. `poolSize`: each pool's connections (src/db/pool-size.ts).
 */
export async function openDatabases(app: DatabasePair, embedded?: EmbeddedPostgresHandle, poolSize?: number): Promise<Databases> {
  const core = createDataSource('core', app.core, poolSize);
  const clinical = createDataSource('clinical', app.clinical, poolSize);
  const close = async (): Promise<void> => {
    if (core.isInitialized) await core.destroy();
    if (clinical.isInitialized) await clinical.destroy();
    if (embedded) await embedded.stop();
  };
  try {
    await core.initialize();
    await clinical.initialize();
    await assertMigrated(core, 'core');
    await assertMigrated(clinical, 'clinical');
  } catch (error) {
    await close();
    throw error;
  }
  return { core, clinical, embedded, close };
}
