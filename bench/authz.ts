/**
 * The authorization benchmark (`npm run bench:authz`): what per-field enforcement costs in throughput.
 *
 * Starts an embedded PostgreSQL in a temporary data folder, migrates and seeds both databases, then
 * runs three API instances on those databases in a worker thread:
 *   - on:     as built (operation guards, per-field guards, cached CASL ability, SQL row filters,
 *             clinical access log);
 *   - nolog:  enforcement on, clinical access log off (`{ enforcement: true, clinicalAccessLog: false }`),
 *             so the cost of authorization can be told apart from the cost of the audit trail;
 *   - off:    enforcement switched off (`{ enforcement: false }`: no guards, an allow-all ability).
 * The main thread is the load generator, so client work does not share the servers' event loop. One
 * query, a page of 50 customers with every scalar Customer field and their spectacle prescriptions,
 * is sent by the demo chain manager (who sees every row, so all instances return the same data) in
 * alternating rounds whose order rotates (on, nolog, off; nolog, off, on; off, on, nolog; ...) so
 * machine noise hits all alike. It prints requests/s, p50/p99 latency, SQL statements and access-log
 * rows per request, then the authorization overhead (1 - rps_nolog/rps_off) against the 15% target
 * and, for information, the full overhead including the audit trail (1 - rps_on/rps_off). It
 * reports and does not gate: exit 0 whatever the overhead, non-zero on errors.
 *
 * Environment: BENCH_REQUESTS (timed requests per instance, default 400), BENCH_CONCURRENCY
 * (requests in flight, default 4), BENCH_ROUNDS (alternating rounds per instance, default 8),
 * BENCH_WARMUP (warm-up requests per instance, default 100), LOG_LEVEL (server log, default warn),
 * NODE_ENV (of the servers, default production).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { createDataSource, statementCount } from '../src/db/data-sources';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { DEMO_PASSWORD, seedDemo } from '../src/seed/demo-seed';
import { logger } from '../src/server/logger';

const TARGET_OVERHEAD = 0.15;
/** Set on SIGINT/SIGTERM: the run is being torn down, its request failures are not errors to report. */
let interrupted = false;
const CHAIN_MANAGER = 'chain.manager@clearview.example';
const CORE_DB = 'bench_core';
const CLINICAL_DB = 'bench_clinical';

/** Every scalar field of Customer (17: the type has no more), in schema order. */
const CUSTOMER_SCALARS = [
  'id', 'homeStoreId', 'firstName', 'lastName', 'dateOfBirth', 'sex', 'addressLine1', 'addressLine2', 'city',
  'postcode', 'country', 'phone', 'email', 'status', 'dataVerifiedAt', 'createdAt', 'updatedAt',
];
const PRESCRIPTION_FIELDS = ['id', 'issuedOn', 'rightSphere', 'rightCylinder', 'rightAxis', 'leftSphere', 'leftCylinder', 'leftAxis'];
const PAGE_SIZE = 50;

const QUERY = `query BenchCustomers($first: Int!) {
  customers(first: $first) {
    edges {
      node {
        ${CUSTOMER_SCALARS.join(' ')}
        spectaclePrescriptions { ${PRESCRIPTION_FIELDS.join(' ')} }
      }
    }
  }
}`;

/**
 * The three instances: `on` as built; `nolog` enforcement on with the clinical access log off (what the
 * 15% target is about); `off` enforcement off (the baseline, which never writes the access log).
 */
type Arm = 'on' | 'nolog' | 'off';
const ARMS: Arm[] = ['on', 'nolog', 'off'];
const LABEL: Record<Arm, string> = {
  on: 'enforcement on,  access log on ',
  nolog: 'enforcement on,  access log off',
  off: 'enforcement off                ',
};
const APP_OPTIONS: Record<Arm, { enforcement: boolean; clinicalAccessLog: boolean }> = {
  on: { enforcement: true, clinicalAccessLog: true },
  nolog: { enforcement: true, clinicalAccessLog: false },
  off: { enforcement: false, clinicalAccessLog: false },
};

interface Counts {
  core: number;
  clinical: number;
}

/** Messages from the server worker to the load generator. */
type WorkerMessage =
  | { type: 'ready'; urls: Record<Arm, string> }
  | { type: 'counts'; counts: Record<Arm, Counts> }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

/** Messages from the load generator to the server worker. */
type MainMessage = { type: 'counts' } | { type: 'stop' };

interface ServerWorkerData {
  coreUrl: string;
  clinicalUrl: string;
}

if (!process.env.LOG_LEVEL) logger.level = 'warn';

// ---------------------------------------------------------------------------------------------
// Worker thread: the three API instances, each on its own pair of DataSources (own pools, own counts).
// ---------------------------------------------------------------------------------------------

async function serverWorker(port: NonNullable<typeof parentPort>, data: ServerWorkerData): Promise<void> {
  const config = { ...loadConfig(), port: 0, sessionIdleMinutes: 24 * 60 };
  const sources = Object.fromEntries(ARMS.map((arm) => [arm, {
    core: createDataSource('core', data.coreUrl),
    clinical: createDataSource('clinical', data.clinicalUrl),
  }])) as Record<Arm, { core: DataSource; clinical: DataSource }>;
  const apps: Partial<Record<Arm, RunningApp>> = {};

  async function stop(): Promise<void> {
    for (const arm of ARMS) await apps[arm]?.stop();
    for (const arm of ARMS) {
      for (const ds of [sources[arm].core, sources[arm].clinical]) if (ds.isInitialized) await ds.destroy();
    }
  }

  const send = (message: WorkerMessage): void => port.postMessage(message);
  try {
    for (const arm of ARMS) {
      await sources[arm].core.initialize();
      await sources[arm].clinical.initialize();
      apps[arm] = await startApp(config, sources[arm].core, sources[arm].clinical, { port: 0, ...APP_OPTIONS[arm] });
    }
  } catch (error) {
    await stop().catch(() => undefined);
    send({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) });
    port.close();
    return;
  }
  send({ type: 'ready', urls: Object.fromEntries(ARMS.map((arm) => [arm, apps[arm]!.url])) as Record<Arm, string> });

  port.on('message', (message: MainMessage) => {
    if (message.type === 'counts') {
      const counts = (arm: Arm): Counts => ({ core: statementCount(sources[arm].core), clinical: statementCount(sources[arm].clinical) });
      send({ type: 'counts', counts: Object.fromEntries(ARMS.map((arm) => [arm, counts(arm)])) as Record<Arm, Counts> });
    } else if (message.type === 'stop') {
      stop().then(
        () => { send({ type: 'stopped' }); port.close(); },
        (error: unknown) => { send({ type: 'failed', message: String(error) }); port.close(); },
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Main thread: PostgreSQL, migrations, seed, the load generator and the report.
// ---------------------------------------------------------------------------------------------

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function serverNodeEnv(): string {
  return process.env.NODE_ENV || 'production';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The server worker, driven by request/response messages. */
class ServerWorker {
  private readonly worker: Worker;
  private waiting: { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  exited = false;

  constructor(data: ServerWorkerData) {
    // The servers run as deployed: NODE_ENV=production (graphql-js then skips its development-only checks),
    // unless the caller set NODE_ENV. The worker loads its own modules, so this applies to everything it runs.
    this.worker = new Worker(__filename, { workerData: data, env: { ...process.env, NODE_ENV: serverNodeEnv() } });
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

  async ready(): Promise<Record<Arm, string>> {
    const message = await this.next();
    if (message.type !== 'ready') throw new Error(`unexpected worker message ${message.type}`);
    return message.urls;
  }

  async counts(): Promise<Record<Arm, Counts>> {
    const message = await this.next({ type: 'counts' });
    if (message.type !== 'counts') throw new Error(`unexpected worker message ${message.type}`);
    return message.counts;
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

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

function describeErrors(status: number, body: GraphQLBody): string {
  const errors = (body.errors ?? []).slice(0, 3).map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`);
  return `HTTP ${status}${errors.length ? `; ${errors.join(' | ')}` : ''}`;
}

/** The structure of a value: object keys and array lengths, no scalar values. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]));
  }
  return value === null ? 'null' : typeof value;
}

interface PageData {
  customers: { edges: { node: Record<string, unknown> & { spectaclePrescriptions: unknown[] | null } }[] };
}

/** Requests `count` pages at `concurrency`; returns each request's latency (ms) and the wall time. */
async function run(url: string, token: string, count: number, concurrency: number): Promise<{ latencies: number[]; wallMs: number }> {
  const payload = JSON.stringify({ query: QUERY, variables: { first: PAGE_SIZE } });
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

async function countAccessLog(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM clinical_access_log_entry');
    return Number(result.rows[0].n);
  } finally {
    await client.end();
  }
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);
const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const requests = envInt('BENCH_REQUESTS', 400);
  const concurrency = envInt('BENCH_CONCURRENCY', 4);
  const rounds = Math.min(envInt('BENCH_ROUNDS', 8), requests);
  const warmup = envInt('BENCH_WARMUP', 100);

  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-bench-'));
  // When run as root, PostgreSQL runs as a `postgres` user that must reach the data folder.
  fs.chmodSync(tempRoot, 0o755);
  // Whatever ends the process (embedded-postgres's own exit hook stops PostgreSQL and exits on Ctrl-C), the folder goes.
  const removeTemp = (): void => fs.rmSync(tempRoot, { recursive: true, force: true });
  process.once('exit', removeTemp);
  let embedded: EmbeddedPostgresHandle | null = null;
  let server: ServerWorker | null = null;
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

    const core = createDataSource('core', coreUrl);
    const clinical = createDataSource('clinical', clinicalUrl);
    await core.initialize();
    await clinical.initialize();
    try {
      await core.runMigrations({ transaction: 'each' });
      await clinical.runMigrations({ transaction: 'each' });
      const seeded = await seedDemo(core, clinical);
      console.log(`seeded: ${seeded.chainsCreated.join(', ')} (${seeded.customers} customers)`);
    } finally {
      await core.destroy();
      await clinical.destroy();
    }

    server = new ServerWorker({ coreUrl, clinicalUrl });
    const urls = await server.ready();

    // One session for all instances (they share the session table; a second login would end the first).
    const login = await post(urls.on, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: CHAIN_MANAGER, p: DEMO_PASSWORD });
    const token = (login.body.data as { login?: { token?: string } } | undefined)?.login?.token;
    if (!token) throw new Error(`login failed: ${describeErrors(login.status, login.body)}`);

    // Every instance must answer the same query with the same data and no errors before anything is timed,
    // and only the instance with the access log on may write to it.
    const first: Partial<Record<Arm, PageData>> = {};
    for (const arm of ARMS) {
      const logBefore = await countAccessLog(clinicalUrl);
      const result = await post(urls[arm], QUERY, { first: PAGE_SIZE }, token);
      const logWritten = (await countAccessLog(clinicalUrl)) - logBefore;
      if (result.status !== 200 || result.body.errors?.length || !result.body.data) {
        throw new Error(`${LABEL[arm].trim()}: check request failed: ${describeErrors(result.status, result.body)}`);
      }
      if (APP_OPTIONS[arm].clinicalAccessLog ? logWritten === 0 : logWritten !== 0) {
        throw new Error(`${LABEL[arm].trim()}: the check request wrote ${logWritten} access-log rows`);
      }
      first[arm] = result.body.data as PageData;
    }
    const edges = first.on!.customers.edges;
    if (edges.length !== PAGE_SIZE) throw new Error(`expected ${PAGE_SIZE} customers, got ${edges.length}`);
    for (const arm of ARMS.filter((a) => a !== 'on')) {
      if (!isDeepStrictEqual(shape(first.on), shape(first[arm]))) throw new Error(`${LABEL[arm].trim()} returns differently shaped data from ${LABEL.on.trim()}`);
      if (!isDeepStrictEqual(first.on, first[arm])) throw new Error(`${LABEL[arm].trim()} returns different data from ${LABEL.on.trim()}`);
    }
    const missing = CUSTOMER_SCALARS.filter((f) => !(f in edges[0].node));
    if (missing.length) throw new Error(`fields missing from the response: ${missing.join(', ')}`);
    const prescriptions = edges.reduce((n, e) => n + (e.node.spectaclePrescriptions?.length ?? 0), 0);
    if (prescriptions === 0) throw new Error('the page has no spectacle prescriptions: the nested list is not exercised');
    const fieldsPerResponse = PAGE_SIZE * (CUSTOMER_SCALARS.length + 1) + prescriptions * PRESCRIPTION_FIELDS.length;

    console.log(`query: customers(first: ${PAGE_SIZE}) x ${CUSTOMER_SCALARS.length} scalar Customer fields + spectaclePrescriptions { ${PRESCRIPTION_FIELDS.length} fields }`);
    console.log(`       ${prescriptions} prescriptions on the page, ${fieldsPerResponse} field values per response; as ${CHAIN_MANAGER}`);
    console.log(`check: all ${ARMS.length} instances return the same data, no errors; only the one with the access log on writes it` +
      ` (servers in a worker thread, NODE_ENV=${serverNodeEnv()})`);

    // Round r runs the arms starting from the r-th (on, nolog, off; nolog, off, on; off, on, nolog; ...), so no
    // instance always follows the same one (e.g. the access log's writes, or a GC the previous arm left behind).
    const rotation = (r: number): Arm[] => ARMS.map((_, i) => ARMS[(r + i) % ARMS.length]);

    // Warm-up (JIT, pools, ability cache), alternating.
    const warmRounds = Math.max(1, Math.min(4, warmup));
    for (let r = 0; r < warmRounds; r += 1) {
      for (const arm of rotation(r)) await run(urls[arm], token, Math.ceil(warmup / warmRounds), concurrency);
    }

    // Timed, alternating rounds in rotating order.
    const perArm = <T>(make: () => T): Record<Arm, T> => Object.fromEntries(ARMS.map((arm) => [arm, make()])) as Record<Arm, T>;
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
        const result = await run(urls[arm], token, count, concurrency);
        const countsAfter = (await server.counts())[arm];
        const logAfter = await countAccessLog(clinicalUrl);
        latencies[arm].push(...result.latencies);
        wallMs[arm] += result.wallMs;
        statements[arm].core += countsAfter.core - countsBefore.core;
        statements[arm].clinical += countsAfter.clinical - countsBefore.clinical;
        logRows[arm] += logAfter - logBefore;
      }
    }

    const stats = Object.fromEntries(ARMS.map((arm) => {
      const sorted = [...latencies[arm]].sort((a, b) => a - b);
      const n = sorted.length;
      return [arm, {
        n,
        rps: n / (wallMs[arm] / 1000),
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        mean: sorted.reduce((a, b) => a + b, 0) / n,
        core: statements[arm].core / n,
        clinical: statements[arm].clinical / n,
        logRows: logRows[arm] / n,
      }];
    })) as Record<Arm, { n: number; rps: number; p50: number; p99: number; mean: number; core: number; clinical: number; logRows: number }>;

    const labelWidth = LABEL.on.length;
    console.log('');
    console.log(`${''.padEnd(labelWidth)}    req/s    p50 ms   p99 ms  mean ms   SQL/req (core + clinical)   access-log rows/req`);
    for (const arm of ARMS) {
      const s = stats[arm];
      console.log(
        `${LABEL[arm]}  ${fmt(s.rps).padStart(7)}  ${fmt(s.p50, 2).padStart(8)} ${fmt(s.p99, 2).padStart(8)} ${fmt(s.mean, 2).padStart(8)}   ` +
        `${fmt(s.core + s.clinical, 2).padStart(6)} (${fmt(s.core, 2)} + ${fmt(s.clinical, 2)})`.padEnd(28) +
        `${fmt(s.logRows, 2).padStart(10)}`,
      );
    }
    const ratios = (a: Arm, b: Arm): string =>
      `throughput ${fmt(stats[a].rps / stats[b].rps, 3)}   p50 ${fmt(stats[a].p50 / stats[b].p50, 3)}   p99 ${fmt(stats[a].p99 / stats[b].p99, 3)}`;
    const authorization = 1 - stats.nolog.rps / stats.off.rps;
    const full = 1 - stats.on.rps / stats.off.rps;
    const audit = 1 - stats.on.rps / stats.nolog.rps;
    console.log('');
    console.log(`ratios  enforcement on, log off / off: ${ratios('nolog', 'off')}`);
    console.log(`        enforcement on, log on  / off: ${ratios('on', 'off')}`);
    console.log(`SQL statements per request: on+log ${fmt(stats.on.core + stats.on.clinical, 2)}, on ${fmt(stats.nolog.core + stats.nolog.clinical, 2)},` +
      ` off ${fmt(stats.off.core + stats.off.clinical, 2)} (the access log adds ${fmt(stats.on.logRows, 2)} rows/request in` +
      ` ${fmt(stats.on.clinical - stats.nolog.clinical, 2)} extra clinical statement(s))`);
    console.log('');
    console.log(`authorization overhead: ${pct(authorization)} of throughput (1 - rps[on, log off] / rps[off]):` +
      ' operation guard, field guard, SQL row filters, ability');
    console.log(`${authorization <= TARGET_OVERHEAD ? 'PASS' : 'FAIL'}: target authorization overhead <= ${pct(TARGET_OVERHEAD)}, measured ${pct(authorization)}`);
    console.log(`full overhead, including the clinical access log (audit trail; for information, not part of the target): ${pct(full)}` +
      ' (1 - rps[on, log on] / rps[off])');
    console.log(`  of which the access log: ${pct(audit)} of the enforced throughput (1 - rps[on, log on] / rps[on, log off])`);
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

if (isMainThread) {
  main().then(
    () => {
      if (!interrupted) process.exit(0);
    },
    (error: unknown) => {
      if (interrupted) return; // the signal handler exits with 130 once everything is stopped
      console.error('bench:authz failed:', error instanceof Error ? error.stack ?? error.message : error);
      process.exit(1);
    },
  );
} else {
  const port = parentPort;
  if (!port) throw new Error('bench worker started without a parent port');
  void serverWorker(port, workerData as ServerWorkerData);
}
