/**
 * Scale out on one machine: `npm start` runs one API process per core with Node's cluster. The primary
 * (src/main.ts) opens, migrates and seeds the databases once, then `startCluster` forks WEB_CONCURRENCY
 * workers (src/main-worker.ts; default: the number of CPUs; 1 = no cluster, the primary serves itself).
 * The workers share the HTTP port through the cluster module and connect as the application role to the
 * same databases; everything that must hold across requests lives there (sessions, throttling, authz
 * versions, the audit chains); the primary gives them one CURSOR_SECRET (unless set) so a page cursor from
 * one worker opens on another, each its share of the connection budget (src/db/pool-size.ts), and one of
 * them (the first, then its replacement) the anomaly detector's background sweep. A worker that dies is replaced after a backoff that doubles with every
 * death in quick succession (0.5 s up to 30 s) and is logged; a worker that dies before the first one
 * served fails the start (a configuration problem would otherwise loop forever).
 */
import cluster, { Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { DatabasePair } from '../db/bootstrap';
import { StartupError } from '../errors/startup-error';
import { logger } from '../logging/logger';

/** The environment variables a worker reads its application-role URLs from (the primary sets them). */
export const WORKER_CORE_URL = 'VISUS_WORKER_DATABASE_URL';
export const WORKER_CLINICAL_URL = 'VISUS_WORKER_CLINICAL_DATABASE_URL';
/** Each pool's size in a worker (src/db/pool-size.ts: the workers share the connection budget). */
export const WORKER_POOL_SIZE = 'VISUS_WORKER_POOL_SIZE';
/** `1` in the one worker that runs the anomaly detector's background sweep (src/audit/anomaly-detector.ts). */
export const WORKER_ANOMALY_SWEEP = 'VISUS_WORKER_ANOMALY_SWEEP';

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A worker that lived this long resets the backoff. */
const STABLE_MS = 30_000;

/** WEB_CONCURRENCY: a whole number from 1; unset or empty means one per CPU. */
export function webConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WEB_CONCURRENCY?.trim();
  if (!raw) return os.availableParallelism();
  if (!/^[1-9][0-9]{0,3}$/.test(raw)) throw new StartupError(`WEB_CONCURRENCY must be a whole number from 1 (got "${raw}").`);
  return Number(raw);
}

export interface RunningCluster {
  /** The workers' process ids now. */
  pids(): number[];
  /** Stops replacing workers, sends each SIGTERM and waits for all to exit. */
  stop(): Promise<void>;
}

/** Forks `count` workers serving on the application role's URLs; resolves once every one is listening. */
export function startCluster(count: number, urls: DatabasePair, poolSize: number): Promise<RunningCluster> {
  cluster.setupPrimary({ exec: path.join(__dirname, '..', 'main-worker.js') });
  const env = {
    [WORKER_CORE_URL]: urls.core, [WORKER_CLINICAL_URL]: urls.clinical, [WORKER_POOL_SIZE]: String(poolSize),
    // Page cursors are sealed with this key: one per server, not per worker, or a cursor from one worker fails on the next.
    CURSOR_SECRET: process.env.CURSOR_SECRET || randomBytes(32).toString('hex'),
  };
  let stopping = false;
  let served = false;
  let recentDeaths = 0;
  const bornAt = new Map<number, number>();
  /** The worker that sweeps (the first; after its death, its replacement). */
  let sweeper: number | null = null;
  const fork = (sweeps: boolean): Worker => {
    const worker = cluster.fork({ ...env, [WORKER_ANOMALY_SWEEP]: sweeps ? '1' : '0' });
    bornAt.set(worker.id, Date.now());
    if (sweeps) sweeper = worker.id;
    return worker;
  };

  return new Promise<RunningCluster>((resolve, reject) => {
    let listening = 0;
    const running: RunningCluster = {
      pids: () => Object.values(cluster.workers ?? {}).flatMap((w) => (w?.process.pid ? [w.process.pid] : [])),
      stop: async () => {
        stopping = true;
        const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
        await Promise.all(workers.map((w) => new Promise<void>((done) => {
          if (w.isDead()) return done();
          w.once('exit', () => done());
          w.process.kill('SIGTERM');
        })));
      },
    };
    cluster.on('listening', (worker) => {
      logger.info({ worker: worker.process.pid }, 'API worker listening');
      if (served) return;
      listening += 1;
      if (listening === count) {
        served = true;
        resolve(running);
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      const lived = Date.now() - (bornAt.get(worker.id) ?? Date.now());
      bornAt.delete(worker.id);
      const sweeps = sweeper === worker.id;
      if (stopping) return;
      if (!served) {
        stopping = true;
        void running.stop().then(() => reject(new StartupError(`an API worker exited during start (${signal ?? `exit code ${code}`}); see its error above.`)));
        return;
      }
      recentDeaths = lived >= STABLE_MS ? 1 : recentDeaths + 1;
      const delayMs = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (recentDeaths - 1));
      logger.error({ worker: worker.process.pid, code, signal, livedMs: lived, restartInMs: delayMs }, 'API worker died; replacing it');
      setTimeout(() => {
        if (stopping) return;
        const replacement = fork(sweeps);
        logger.info({ worker: replacement.process.pid, replaced: worker.process.pid }, 'API worker replaced');
      }, delayMs);
    });
    for (let i = 0; i < count; i += 1) fork(i === 0);
  });
}
