/**
 * The benchmark harness shared by `npm run bench:authz` (bench/authz.ts) and `npm run bench:audit`
 * (bench/audit.ts).
 *
 * `runBench` starts an embedded PostgreSQL in a temporary data folder, creates the two databases and the
 * application role, runs the core and clinical migrations, applies the role's grants and seeds the demo chains
 * (as `npm start` does), then starts one worker thread holding one API instance per arm, each with the
 * `startApp` options of its arm (harness-only switches such as `enforcement: false` or
 * `clinicalAccessLog: false`) and its own pair of DataSources (own connection pools, own statement counters),
 * connected as the application role. The main thread is the load generator, so client work does not share the servers'
 * event loop. `checkArms` sends a check request to every arm (no errors; only arms with the access log on may
 * write to it), `timeArms` warms every arm up and then times them in alternating rounds whose order rotates,
 * counting SQL statements and access-log rows per arm. Cleanup (servers, pools, PostgreSQL, the folder) runs
 * at the end, on an error or on Ctrl-C.
 *
 * This file is also the server worker's entry point: loaded in a worker thread started by `ServerWorker`, it
 * starts the instances described by its `workerData`.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import { freePort } from '../src/db/free-port';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { urlWithLogin, ensureAppLoginRole } from '../src/db/app-role';
import { migrateAsOwner } from '../src/db/bootstrap';
import { createDataSource, statementCount } from '../src/db/data-sources';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { seedDemo } from '../src/seed/demo-seed';
import { logger } from '../src/logging/logger';

/** Set on SIGINT/SIGTERM: the run is being torn down, its request failures are not errors to report. */
let interrupted = false;
const CORE_DB = 'bench_core';
const CLINICAL_DB = 'bench_clinical';

/** The harness-only `startApp` switches of one arm. */
export interface ArmOptions {
  enforcement: boolean;
  clinicalAccessLog: boolean;
}

export interface Counts {
  core: number;
  clinical: number;
}

/** Messages from the server worker to the load generator. */
type WorkerMessage =
  | { type: 'ready'; urls: Record<string, string> }
  | { type: 'counts'; counts: Record<string, Counts> }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

/** Messages from the load generator to the server worker. */
type MainMessage = { type: 'counts' } | { type: 'stop' };

interface ServerWorkerData {
  /** Marks a worker started by this harness. */
  benchServer: true;
  coreUrl: string;
  clinicalUrl: string;
  arms: { arm: string; options: ArmOptions }[];
}

if (!process.env.LOG_LEVEL) logger.level = 'warn';

// ---------------------------------------------------------------------------------------------
// Worker thread: one API instance per arm, each on its own pair of DataSources (own pools, own counts).
// ---------------------------------------------------------------------------------------------

async function serverWorker(port: NonNullable<typeof parentPort>, data: ServerWorkerData): Promise<void> {
  const config = { ...loadConfig(), port: 0, sessionIdleMinutes: 24 * 60 };
  const arms = data.arms.map((a) => a.arm);
  const sources = new Map(arms.map((arm) => [arm, {
    core: createDataSource('core', data.coreUrl),
    clinical: createDataSource('clinical', data.clinicalUrl),
  }]));
  const source = (arm: string): { core: DataSource; clinical: DataSource } => sources.get(arm)!;
  const apps = new Map<string, RunningApp>();

  async function stop(): Promise<void> {
    for (const arm of arms) await apps.get(arm)?.stop();
    for (const arm of arms) {
      for (const ds of [source(arm).core, source(arm).clinical]) if (ds.isInitialized) await ds.destroy();
    }
  }

  const send = (message: WorkerMessage): void => port.postMessage(message);
  try {
    for (const { arm, options } of data.arms) {
      await source(arm).core.initialize();
      await source(arm).clinical.initialize();
      apps.set(arm, await startApp(config, source(arm).core, source(arm).clinical, { port: 0, ...options }));
    }
  } catch (error) {
    await stop().catch(() => undefined);
    send({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) });
    port.close();
    return;
  }
  send({ type: 'ready', urls: Object.fromEntries(arms.map((arm) => [arm, apps.get(arm)!.url])) });

  port.on('message', (message: MainMessage) => {
    if (message.type === 'counts') {
      const counts = (arm: string): Counts => ({ core: statementCount(source(arm).core), clinical: statementCount(source(arm).clinical) });
      send({ type: 'counts', counts: Object.fromEntries(arms.map((arm) => [arm, counts(arm)])) });
    } else if (message.type === 'stop') {
      stop().then(
        () => { send({ type: 'stopped' }); port.close(); },
        (error: unknown) => { send({ type: 'failed', message: String(error) }); port.close(); },
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Main thread: settings, PostgreSQL, migrations, seed, the load generator.
// ---------------------------------------------------------------------------------------------

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export interface BenchSettings {
  /** Timed requests per instance. */
  requests: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Alternating rounds the timed requests are split into. */
  rounds: number;
  /** Warm-up requests per instance. */
  warmup: number;
}

/** BENCH_REQUESTS, BENCH_CONCURRENCY, BENCH_ROUNDS and BENCH_WARMUP, with the benchmark's defaults. */
export function readSettings(defaults: BenchSettings): BenchSettings {
  const requests = envInt('BENCH_REQUESTS', defaults.requests);
  const concurrency = envInt('BENCH_CONCURRENCY', defaults.concurrency);
  const rounds = Math.min(envInt('BENCH_ROUNDS', defaults.rounds), requests);
  const warmup = envInt('BENCH_WARMUP', defaults.warmup);
  return { requests, concurrency, rounds, warmup };
}

export function serverNodeEnv(): string {
  return process.env.NODE_ENV || 'production';
}


/** The server worker, driven by request/response messages. */
export class ServerWorker<A extends string> {
  private readonly worker: Worker;
  private waiting: { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  exited = false;

  constructor(data: Omit<ServerWorkerData, 'benchServer'>) {
    // The servers run as deployed: NODE_ENV=production (graphql-js then skips its development-only checks),
    // unless the caller set NODE_ENV. The worker loads its own modules, so this applies to everything it runs.
    // Its entry point is this file (see the bottom).
    const workerData: ServerWorkerData = { benchServer: true, ...data };
    this.worker = new Worker(__filename, { workerData, env: { ...process.env, NODE_ENV: serverNodeEnv() } });
    this.worker.on('message', (message: WorkerMessage) => {
      const waiting = this.waiting;
      this.waiting = null;
      if (message.type === 'failed') {
        this.failure = new Error(`server worker: ${message.message}`);
        waiting?.reject(this.failure);
      } else {
        waiting?.resolve(message);
      }
    });
    this.worker.on('error', (error) => {
      this.failure = error;
      this.waiting?.reject(error);
      this.waiting = null;
    });
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (code !== 0 && !this.failure) this.failure = new Error(`server worker exited with code ${code}`);
      this.waiting?.reject(this.failure ?? new Error('server worker exited'));
      this.waiting = null;
    });
  }

  private next(message?: MainMessage): Promise<WorkerMessage> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.exited) return Promise.reject(new Error('server worker has exited'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      if (message) this.worker.postMessage(message);
    });
  }

  async ready(): Promise<Record<A, string>> {
    const message = await this.next();
    if (message.type !== 'ready') throw new Error(`unexpected worker message ${message.type}`);
    return message.urls as Record<A, string>;
  }

  async counts(): Promise<Record<A, Counts>> {
    const message = await this.next({ type: 'counts' });
    if (message.type !== 'counts') throw new Error(`unexpected worker message ${message.type}`);
    return message.counts as Record<A, Counts>;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    try {
      await this.next({ type: 'stop' });
    } catch {
      await this.worker.terminate();
    }
    // The worker exits once its servers and pools are closed; do not wait forever for a straggling handle.
    const timer = setTimeout(() => void this.worker.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function post(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

export function describeErrors(status: number, body: GraphQLBody): string {
  const errors = (body.errors ?? []).slice(0, 3).map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`);
  return `HTTP ${status}${errors.length ? `; ${errors.join(' | ')}` : ''}`;
}

/** Signs `email` in with `password`; returns the session token. */
export async function login(url: string, email: string, password: string): Promise<string> {
  const result = await post(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
  const token = (result.body.data as { login?: { token?: string } } | undefined)?.login?.token;
  if (!token) throw new Error(`login failed: ${describeErrors(result.status, result.body)}`);
  return token;
}

/** The structure of a value: object keys and array lengths, no scalar values. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]));
  }
  return value === null ? 'null' : typeof value;
}

/** Requests `count` times at `concurrency` (`payload`: the JSON body); returns each request's latency (ms) and the wall time. */
async function run(url: string, token: string, payload: string, count: number, concurrency: number): Promise<{ latencies: number[]; wallMs: number }> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  async function lane(): Promise<void> {
    while (issued < count) {
      issued += 1;
      const t0 = performance.now();
      const response = await fetch(url, { method: 'POST', headers, body: payload });
      const body = (await response.json()) as GraphQLBody;
      latencies.push(performance.now() - t0);
      if (response.status !== 200 || body.errors?.length || !body.data) {
        throw new Error(`request failed on ${url}: ${describeErrors(response.status, body)}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { latencies, wallMs: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Rows in the clinical access log (all chains). */
export async function countAccessLog(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM clinical_access_log_entry');
    return Number(result.rows[0].n);
  } finally {
    await client.end();
  }
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
export const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

/** The per-arm table both benchmarks print: throughput, latency, SQL statements and access-log rows per request. */
export function printArmTable<A extends string>(arms: readonly A[], labels: Record<A, string>, stats: Record<A, ArmStats>): void {
  const labelWidth = Math.max(...arms.map((arm) => labels[arm].length));
  console.log('');
  console.log(`${''.padEnd(labelWidth)}    req/s    p50 ms   p99 ms  mean ms   SQL/req (core + clinical)   access-log rows/req`);
  for (const arm of arms) {
    const s = stats[arm];
    console.log(
      `${labels[arm].padEnd(labelWidth)}  ${fmt(s.rps).padStart(7)}  ${fmt(s.p50, 2).padStart(8)} ${fmt(s.p99, 2).padStart(8)} ${fmt(s.mean, 2).padStart(8)}   ` +
      `${fmt(s.core + s.clinical, 2).padStart(6)} (${fmt(s.core, 2)} + ${fmt(s.clinical, 2)})`.padEnd(28) +
      `${fmt(s.logRows, 2).padStart(10)}`,
    );
  }
}

/** What a benchmark's body gets: the running instances and the databases behind them. */
export interface BenchContext<A extends string> {
  arms: readonly A[];
  options: Record<A, ArmOptions>;
  settings: BenchSettings;
  urls: Record<A, string>;
  coreUrl: string;
  clinicalUrl: string;
  server: ServerWorker<A>;
}

/**
 * Sets up PostgreSQL (migrated and seeded) and one API instance per arm, runs `body`, and cleans up whatever
 * happens (also on Ctrl-C, which exits with 130). Prints the machine, PostgreSQL and seed lines first.
 */
export async function runBench<A extends string>(
  arms: readonly A[],
  options: Record<A, ArmOptions>,
  settings: BenchSettings,
  body: (ctx: BenchContext<A>) => Promise<void>,
): Promise<void> {
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-bench-'));
  // When run as root, PostgreSQL runs as a `postgres` user that must reach the data folder.
  fs.chmodSync(tempRoot, 0o755);
  // Whatever ends the process (embedded-postgres's own exit hook stops PostgreSQL and exits on Ctrl-C), the folder goes.
  const removeTemp = (): void => fs.rmSync(tempRoot, { recursive: true, force: true });
  process.once('exit', removeTemp);
  let embedded: EmbeddedPostgresHandle | null = null;
  let server: ServerWorker<A> | null = null;
  // One cleanup, whoever asks first (the end of the run, an error, or Ctrl-C); later callers wait for it.
  let cleaning: Promise<void> | null = null;
  const cleanup = (): Promise<void> => (cleaning ??= stopAll());
  const stopAll = async (): Promise<void> => {
    const s = server;
    server = null;
    if (s) await s.stop().catch((error: unknown) => console.error('stopping the servers failed:', error));
    const pg = embedded;
    embedded = null;
    if (pg) await pg.stop().catch((error: unknown) => console.error('stopping PostgreSQL failed:', error));
    removeTemp();
  };
  const onSignal = (): void => {
    if (interrupted) return;
    interrupted = true;
    console.error('\ninterrupted: stopping servers and PostgreSQL');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const load = os.loadavg().map((n) => n.toFixed(2)).join(' ');
    console.log(`machine: ${os.cpus().length} CPUs, load average ${load} (other work on the machine skews all instances' figures)`);
    const pgPort = await freePort();
    console.log(`PostgreSQL: embedded, port ${pgPort}, data in ${tempRoot}`);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tempRoot, 'pg'), port: pgPort, persistent: false });
    await embedded.ensureDatabase(CORE_DB);
    await embedded.ensureDatabase(CLINICAL_DB);
    const coreUrl = embedded.urlFor(CORE_DB);
    const clinicalUrl = embedded.urlFor(CLINICAL_DB);

    const config = loadConfig();
    const login = { role: config.appDbRole, password: config.appDbPassword };
    await ensureAppLoginRole(embedded.urlFor('postgres'), login);
    const owner = await migrateAsOwner({ core: coreUrl, clinical: clinicalUrl }, config.appDbRole);
    try {
      const seeded = await seedDemo(owner.core, owner.clinical);
      console.log(`seeded: ${seeded.chainsCreated.join(', ')} (${seeded.customers} customers)`);
    } finally {
      await owner.close();
    }

    // The API instances connect as the restricted application role, as `npm start` does.
    const worker = new ServerWorker<A>({
      coreUrl: urlWithLogin(coreUrl, login),
      clinicalUrl: urlWithLogin(clinicalUrl, login),
      arms: arms.map((arm) => ({ arm, options: options[arm] })),
    });
    server = worker;
    const urls = await worker.ready();
    await body({ arms, options, settings, urls, coreUrl, clinicalUrl, server: worker });
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/**
 * Sends the query once to every arm, in order, before anything is timed: each must answer with status 200,
 * data and no errors, and only arms with the access log on may add rows to it (at least one). Returns each
 * arm's data and the access-log rows its check request added.
 */
export async function checkArms<A extends string>(
  ctx: BenchContext<A>,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  labels: Record<A, string>,
): Promise<{ data: Record<A, unknown>; logRows: Record<A, number> }> {
  const data: Partial<Record<A, unknown>> = {};
  const logRows: Partial<Record<A, number>> = {};
  for (const arm of ctx.arms) {
    const logBefore = await countAccessLog(ctx.clinicalUrl);
    const result = await post(ctx.urls[arm], query, variables, token);
    const logWritten = (await countAccessLog(ctx.clinicalUrl)) - logBefore;
    if (result.status !== 200 || result.body.errors?.length || !result.body.data) {
      throw new Error(`${labels[arm].trim()}: check request failed: ${describeErrors(result.status, result.body)}`);
    }
    if (ctx.options[arm].clinicalAccessLog ? logWritten === 0 : logWritten !== 0) {
      throw new Error(`${labels[arm].trim()}: the check request wrote ${logWritten} access-log rows`);
    }
    data[arm] = result.body.data;
    logRows[arm] = logWritten;
  }
  return { data: data as Record<A, unknown>, logRows: logRows as Record<A, number> };
}

export interface ArmStats {
  /** Timed requests. */
  n: number;
  /** Requests per second: `n` over the wall time of the arm's rounds. */
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** SQL statements per request on the core and the clinical DataSources. */
  core: number;
  clinical: number;
  /** Rows added to the clinical access log per request. */
  logRows: number;
}

/**
 * Warms every arm up (alternating), then times `settings.requests` requests per arm in `settings.rounds`
 * alternating rounds whose order rotates (a, b, c; b, c, a; c, a, b; ...), so machine noise hits all arms
 * alike and no arm always runs right after the same one (e.g. the access log's writes, or a GC the previous
 * arm left behind). Prints the `run:` line. Any failed request throws.
 */
export async function timeArms<A extends string>(
  ctx: BenchContext<A>,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<A, ArmStats>> {
  const { arms, settings: { requests, concurrency, rounds, warmup }, urls, server, clinicalUrl } = ctx;
  const payload = JSON.stringify({ query, variables });
  const rotation = (r: number): A[] => arms.map((_, i) => arms[(r + i) % arms.length]);

  // Warm-up (JIT, pools, ability cache), alternating.
  const warmRounds = Math.max(1, Math.min(4, warmup));
  for (let r = 0; r < warmRounds; r += 1) {
    for (const arm of rotation(r)) await run(urls[arm], token, payload, Math.ceil(warmup / warmRounds), concurrency);
  }

  // Timed, alternating rounds in rotating order.
  const perArm = <T>(make: () => T): Record<A, T> => Object.fromEntries(arms.map((arm) => [arm, make()])) as Record<A, T>;
  const latencies = perArm<number[]>(() => []);
  const wallMs = perArm(() => 0);
  const statements = perArm<Counts>(() => ({ core: 0, clinical: 0 }));
  const logRows = perArm(() => 0);
  console.log(`run: ${requests} requests per instance at concurrency ${concurrency}, ${rounds} alternating rounds (rotating order),` +
    ` after ${warmRounds * Math.ceil(warmup / warmRounds)} warm-up requests each`);
  for (let r = 0; r < rounds; r += 1) {
    const count = Math.floor(requests / rounds) + (r < requests % rounds ? 1 : 0);
    for (const arm of rotation(r)) {
      const countsBefore = (await server.counts())[arm];
      const logBefore = await countAccessLog(clinicalUrl);
      const result = await run(urls[arm], token, payload, count, concurrency);
      const countsAfter = (await server.counts())[arm];
      const logAfter = await countAccessLog(clinicalUrl);
      latencies[arm].push(...result.latencies);
      wallMs[arm] += result.wallMs;
      statements[arm].core += countsAfter.core - countsBefore.core;
      statements[arm].clinical += countsAfter.clinical - countsBefore.clinical;
      logRows[arm] += logAfter - logBefore;
    }
  }

  return Object.fromEntries(arms.map((arm) => {
    const sorted = [...latencies[arm]].sort((a, b) => a - b);
    const n = sorted.length;
    const stats: ArmStats = {
      n,
      rps: n / (wallMs[arm] / 1000),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      mean: sorted.reduce((a, b) => a + b, 0) / n,
      core: statements[arm].core / n,
      clinical: statements[arm].clinical / n,
      logRows: logRows[arm] / n,
    };
    return [arm, stats];
  })) as Record<A, ArmStats>;
}

/** Runs a benchmark's `main` in the main thread: exit 0 when it ends, 1 (with `name failed:`) on an error. */
export function benchMain(name: string, main: () => Promise<void>): void {
  main().then(
    () => {
      if (!interrupted) process.exit(0);
    },
    (error: unknown) => {
      if (interrupted) return; // the signal handler exits with 130 once everything is stopped
      console.error(`${name} failed:`, error instanceof Error ? error.stack ?? error.message : error);
      process.exit(1);
    },
  );
}

// The server worker's entry point (see ServerWorker).
if (!isMainThread && (workerData as Partial<ServerWorkerData> | null)?.benchServer === true) {
  const port = parentPort;
  if (!port) throw new Error('bench worker started without a parent port');
  void serverWorker(port, workerData as ServerWorkerData);
}
