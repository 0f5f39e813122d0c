/**
 * Throw-away databases, for the test run and the benchmarks: an embedded PostgreSQL on a free loopback port
 * in a folder of its own that goes when it stops (or the process exits); on it, a core and a clinical
 * database with the application role, migrated, granted and seeded by the owner as `npm start` does it;
 * and copies of such a pair (each test suite's fresh databases from the run's templates). Used by
 * test/setup/global-setup.ts, test/support/test-app.ts and bench/databases.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { AppLogin, ensureAppLoginRole, urlWithLogin } from './app-role';
import { DatabasePair, migrateAsOwner, OwnerDatabases } from './bootstrap';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';
import { freePort } from './free-port';

export interface ThrowawayPostgres {
  embedded: EmbeddedPostgresHandle;
  port: number;
  /** PostgreSQL's data folder. */
  dataDir: string;
  /** The superuser's URL of the server's `postgres` database. */
  adminUrl: string;
  /** Stops PostgreSQL and removes its folder. */
  stop(): Promise<void>;
}

export interface ThrowawayPostgresOptions {
  /** The data folder, emptied first. Default: a new folder in the system's temporary folder. */
  dataDir?: string;
}

/** Starts an embedded PostgreSQL on a free port in a folder that `stop()`, or the process's exit, removes. */
export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  let folder: string;
  let dataDir: string;
  if (options.dataDir) {
    folder = dataDir = options.dataDir;
    fs.rmSync(folder, { recursive: true, force: true });
  } else {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-pg-'));
    // When run as root, PostgreSQL runs as a `postgres` user that must reach the data folder inside.
    fs.chmodSync(folder, 0o755);
    dataDir = path.join(folder, 'pg');
  }
  const remove = (): void => fs.rmSync(folder, { recursive: true, force: true });
  // Whatever ends the process (embedded-postgres's own exit hook stops PostgreSQL on Ctrl-C), the folder goes.
  process.once('exit', remove);
  const removeNow = (): void => {
    process.removeListener('exit', remove);
    remove();
  };
  let embedded: EmbeddedPostgresHandle;
  const port = await freePort();
  try {
    embedded = await startEmbeddedPostgres({ dataDir, port, persistent: false });
  } catch (error) {
    removeNow();
    throw error;
  }
  return {
    embedded,
    port,
    dataDir,
    adminUrl: embedded.urlFor('postgres'),
    async stop() {
      try {
        await embedded.stop();
      } finally {
        removeNow();
      }
    },
  };
}

export interface SeededDatabases<S> {
  /** The two databases as their owner (the superuser). */
  owner: DatabasePair;
  /** The same databases as the application role: what an API connects with. */
  app: DatabasePair;
  /** What the seed returned. */
  seeded: S;
}

/**
 * Creates the databases `names` on `pg` and the application login role, runs the migrations and applies the
 * role's grants as the owner, then seeds through the owner's connections with `seed` (e.g. the demo seed).
 */
export async function createSeededDatabases<S>(
  pg: ThrowawayPostgres,
  names: DatabasePair,
  login: AppLogin,
  seed: (owner: OwnerDatabases) => Promise<S>,
): Promise<SeededDatabases<S>> {
  await pg.embedded.ensureDatabase(names.core);
  await pg.embedded.ensureDatabase(names.clinical);
  const owner = { core: pg.embedded.urlFor(names.core), clinical: pg.embedded.urlFor(names.clinical) };
  await ensureAppLoginRole(pg.adminUrl, login);
  const databases = await migrateAsOwner(owner, login.role);
  let seeded: S;
  try {
    seeded = await seed(databases);
  } finally {
    await databases.close();
  }
  return { owner, app: { core: urlWithLogin(owner.core, login), clinical: urlWithLogin(owner.clinical, login) }, seeded };
}

/** `adminUrl` (any database on the server) pointing at `database` instead. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function asAdmin(adminUrl: string, work: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
  return `"${name}"`;
}

/**
 * Copies the pair `templates` into new databases `names` (CREATE DATABASE ... TEMPLATE). Table privileges come
 * with the copy; database privileges do not: apply the application role's grants to the copies.
 */
export async function copyDatabases(adminUrl: string, templates: DatabasePair, names: DatabasePair): Promise<void> {
  await asAdmin(adminUrl, async (client) => {
    await client.query(`CREATE DATABASE ${identifier(names.core)} TEMPLATE ${identifier(templates.core)}`);
    await client.query(`CREATE DATABASE ${identifier(names.clinical)} TEMPLATE ${identifier(templates.clinical)}`);
  });
}

/** Drops the pair `names`, ending any session still connected to them. */
export async function dropDatabases(adminUrl: string, names: DatabasePair): Promise<void> {
  await asAdmin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${identifier(names.core)} WITH (FORCE)`);
    await client.query(`DROP DATABASE IF EXISTS ${identifier(names.clinical)} WITH (FORCE)`);
  });
}
