/**
 * `npm run bench:start`: how long `npm start` takes to serve its first GraphQL request. Copies this
 * checkout (tracked and new files, as they are in the working tree; node_modules linked, no dist, no .data)
 * into a temporary folder, runs the real `npm start` there on free ports, polls POST /graphql until
 * `{ __typename }` answers, and prints the seconds split into the build and start-to-first-request (with the
 * server's own phases from its log). Then stops it as a terminal's Ctrl-C does (SIGINT to its process group),
 * checks it exits 0 without error or warning lines, and does the same once more in that copy: a later start,
 * with dist and the data folder in place. A benchmark: it prints figures, it asserts nothing.
 * BENCH_START_TIMEOUT_SECONDS (default 300) bounds each start.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/db/free-port';

const ROOT = path.resolve(__dirname, '..', '..');
const TIMEOUT_MS = Number(process.env.BENCH_START_TIMEOUT_SECONDS || 300) * 1000;
/** The `npm start` running now, stopped with the benchmark on Ctrl-C (it has its own process group). */
let current: ChildProcess | null = null;

interface RunResult {
  buildSeconds: number;
  firstRequestSeconds: number;
  /** The server's phases from its log, in seconds from the start script's launch. */
  phases: { label: string; seconds: number }[];
  exit: string;
  noisyLines: string[];
}

/** The checkout as it is (tracked and untracked-but-not-ignored files), without dist and .data. */
function copyCheckout(target: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    // Regular files only: not one deleted in the working tree, a submodule, or a node_modules symlink git does not ignore.
    if (!fs.existsSync(from) || !fs.lstatSync(from).isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(from, path.join(target, file));
  }
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(target, 'node_modules'));
}

async function firstRequestSucceeds(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    const body = (await response.json()) as { data?: { __typename?: string } };
    return response.ok && body.data?.__typename === 'Query';
  } catch {
    return false;
  }
}

/** How the process ended: `exit code N` or `signal S`. */
function waitForExit(child: ChildProcess): Promise<string> {
  const describe = (code: number | null, signal: NodeJS.Signals | null): string => (code !== null ? `exit code ${code}` : `signal ${signal}`);
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(describe(child.exitCode, child.signalCode));
    else child.once('exit', (code, signal) => resolve(describe(code, signal)));
  });
}

/** Seconds from `t0` to a pino line's `time`, for the lines with these messages. */
function phasesFrom(output: string, t0Epoch: number): { label: string; seconds: number }[] {
  const wanted: Record<string, string> = {
    'starting embedded PostgreSQL': 'PostgreSQL launched',
    'demo chain seeded': 'migrated and seeded',
    'Visus is serving': 'serving',
  };
  const phases: { label: string; seconds: number }[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; time?: number };
      if (entry.msg && entry.time && wanted[entry.msg]) phases.push({ label: wanted[entry.msg], seconds: (entry.time - t0Epoch) / 1000 });
    } catch {
      // not a log line
    }
  }
  return phases;
}

async function runOnce(dir: string): Promise<RunResult> {
  const port = await freePort();
  const pgPort = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  // A plain start: the default data folder (.data/postgres in the copy), the embedded PostgreSQL, info logs.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), VISUS_EMBEDDED_PG_PORT: String(pgPort) };
  for (const name of ['VISUS_DATA_DIR', 'DATABASE_URL', 'CLINICAL_DATABASE_URL', 'DATABASE_OWNER_URL', 'CLINICAL_DATABASE_OWNER_URL', 'NODE_ENV', 'LOG_LEVEL', 'VISUS_LOG_FILE']) delete env[name];
  // npm's own banners (`> node dist/src/main.js` marks the end of the build), even under `npm run -s bench:start`.
  for (const name of Object.keys(env)) if (name.toLowerCase() === 'npm_config_loglevel') delete env[name];
  let output = '';
  const t0 = performance.now();
  const t0Epoch = Date.now();
  let buildDone: number | null = null;
  // Its own process group, so that SIGINT reaches npm, node and PostgreSQL as a terminal's Ctrl-C does.
  const child = spawn('npm', ['start'], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  current = child;
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (buildDone === null && /> node dist\/src\/main\.js/.test(output)) buildDone = performance.now();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let firstRequest: number | null = null;
  try {
    while (firstRequest === null) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode} before serving:\n${output}`);
      if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`npm start did not serve within ${TIMEOUT_MS / 1000} s:\n${output}`);
      if (await firstRequestSucceeds(url)) firstRequest = performance.now();
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
  }
  const exit = await waitForExit(child);
  current = null;
  const build = (buildDone ?? t0) - t0;
  const startEpoch = t0Epoch + build;
  return {
    buildSeconds: build / 1000,
    firstRequestSeconds: (firstRequest - t0 - build) / 1000,
    phases: phasesFrom(output, startEpoch),
    exit,
    noisyLines: output.split('\n').filter((line) => /error|warn|fatal/i.test(line)),
  };
}

function report(label: string, result: RunResult): void {
  const total = result.buildSeconds + result.firstRequestSeconds;
  console.log(`${label}: build ${result.buildSeconds.toFixed(1)} s + start to first request ${result.firstRequestSeconds.toFixed(1)} s = ${total.toFixed(1)} s`);
  if (result.phases.length) console.log(`  after the build: ${result.phases.map((p) => `${p.label} at ${p.seconds.toFixed(1)} s`).join(', ')}`);
  const noise = result.noisyLines.length ? `${result.noisyLines.length} error/warning line(s):\n    ${result.noisyLines.join('\n    ')}` : 'no error or warning lines';
  console.log(`  stopped with SIGINT to npm, node and PostgreSQL: npm ended with ${result.exit}, ${noise}`);
}

async function main(): Promise<void> {
  const load = os.loadavg().map((n) => n.toFixed(2)).join(' ');
  console.log(`machine: ${os.cpus().length} CPUs, load average ${load} (other work on the machine slows every phase)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-bench-start-'));
  fs.chmodSync(dir, 0o755); // as root the embedded PostgreSQL runs as `postgres`, which must reach .data inside
  const removeCopy = (): void => fs.rmSync(dir, { recursive: true, force: true });
  process.once('SIGINT', () => {
    const child = current;
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    void (child ? waitForExit(child) : Promise.resolve()).finally(() => {
      removeCopy();
      process.exit(130);
    });
  });
  try {
    copyCheckout(dir);
    console.log(`copy of the checkout: ${dir} (no dist, no .data)`);
    report('fresh start (npm start: no dist, no .data)', await runOnce(dir));
    report('later start (npm start: dist and .data in place)', await runOnce(dir));
  } finally {
    removeCopy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
