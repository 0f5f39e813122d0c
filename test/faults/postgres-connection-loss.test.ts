/**
 * Faults under load (issue 14): the API's connections to PostgreSQL lost while light concurrent load runs
 * (reads, consent changes, bookings, examination edits: bench/load-workload.ts, 6 clients). The API reaches
 * PostgreSQL through a TCP proxy (test/support/tcp-proxy.ts) that is cut twice, as a network failure or a
 * restart cuts it, and then its backends are terminated (`pg_terminate_backend`, as the owner) twice, which
 * kills transactions mid-write. Every failed request must answer SERVICE_UNAVAILABLE with HTTP 503 and
 * Retry-After (no 500, no other code, no stack), each within a bound (no hang); the server must serve again by
 * itself; and, read as the owner, every acknowledged write has its change-log entry and no change exists
 * without one (bench/load-checks.ts, bench/fault-checks.ts: SQL over the domain's tables, not the server's code).
 * First, deterministically, the unit of work itself (src/db/request-transaction.ts) with its connections cut.
 */
import { Client } from 'pg';
import { checkEveryChangeLogged } from '../../bench/fault-checks';
import { checkNothingLost } from '../../bench/load-checks';
import { Acknowledged, prepareWorkload, runWorkload, WorkloadFixture, WorkloadResult } from '../../bench/load-workload';
import { ConnectionLostError, beginRequestTransaction } from '../../src/db/request-transaction';
import { isDatabaseUnavailable } from '../../src/server/database-unavailable';
import { startTestApp, TestApp } from '../support/test-app';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';

const CLIENTS = 6;
/** No answer may take longer (the workload's own abort is 15 s). */
const ANSWER_BOUND_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let app: TestApp;
let proxy: TcpProxy;
let fixture: WorkloadFixture;

beforeAll(async () => {
  const pg = new URL(process.env.VISUS_TEST_PG_URL ?? '');
  proxy = await startTcpProxy(pg.hostname, Number(pg.port));
  app = await startTestApp({}, { appUrl: (url) => proxy.url(url) });
  fixture = await prepareWorkload(app.url, { core: app.coreUrl, clinical: app.clinicalUrl });
});

afterAll(async () => {
  await app?.stop();
  await proxy?.close();
});

/** Terminates every backend of the application role in the suite's databases, as the owner; how many. */
async function terminateAppBackends(): Promise<number> {
  const db = new Client({ connectionString: app.coreUrl });
  await db.connect();
  try {
    const names = [new URL(app.coreUrl).pathname.slice(1), new URL(app.clinicalUrl).pathname.slice(1)];
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE usename = $1 AND datname = ANY($2)', [app.config.appDbRole, names]);
    return rows[0].n;
  } finally {
    await db.end();
  }
}

/** One cheap read until it answers without error; the milliseconds that took, or null. */
async function untilServing(limitMs: number): Promise<number | null> {
  const began = Date.now();
  while (Date.now() - began < limitMs) {
    const result = await app.request('{ customers(first: 1) { totalCount } }', {}, fixture.tokens.manager).catch(() => null);
    if (result?.status === 200 && !result.errors) return Date.now() - began;
    await sleep(100);
  }
  return null;
}

function errorCodes(result: WorkloadResult): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const s of result.stats.values()) for (const [code, n] of s.errors) codes[code] = (codes[code] ?? 0) + n;
  return codes;
}

function slowest(result: WorkloadResult): number {
  return Math.max(0, ...[...result.stats.values()].flatMap((s) => s.latencies));
}

test('a request transaction whose connections are cut: what it does next is ConnectionLostError, unavailable; a unit of work used after its end is a bug', async () => {
  const unit = await beginRequestTransaction(app.core, app.clinical);
  await unit.core.query('SELECT 1');
  proxy.cut();
  await sleep(300); // the pg clients see their sockets close, and TypeORM releases both runners
  proxy.restore();
  const stepped = await unit.step(() => unit.core.query('SELECT 1')).then(() => null, (error: unknown) => error);
  expect(stepped).toBeInstanceOf(ConnectionLostError);
  expect(isDatabaseUnavailable(stepped)).toBe(true);
  const committed = await unit.commit().then(() => null, (error: unknown) => error);
  expect(committed).toBeInstanceOf(ConnectionLostError);
  expect(isDatabaseUnavailable(committed)).toBe(true);

  const ended = await beginRequestTransaction(app.core, app.clinical);
  await ended.commit();
  const misuse = await ended.core.query('SELECT 1').then(() => null, (error: unknown) => error);
  expect(misuse).toBeInstanceOf(Error);
  expect(isDatabaseUnavailable(misuse)).toBe(false); // no connection failed: an internal error, not a 503
});

test('connections lost under load: every failure is SERVICE_UNAVAILABLE 503, the server recovers by itself, nothing unlogged', async () => {
  const since = new Date();
  const acknowledged: Acknowledged[] = [];
  let stop = false;
  const terminated: number[] = [];
  const [faulty] = await Promise.all([
    runWorkload(fixture, CLIENTS, () => stop),
    (async () => {
      for (const downMs of [1000, 400]) {
        await sleep(1000);
        proxy.cut();
        await sleep(downMs);
        proxy.restore();
      }
      for (let i = 0; i < 2; i += 1) {
        await sleep(700);
        terminated.push(await terminateAppBackends());
      }
      await sleep(700);
      stop = true;
    })(),
  ]);
  acknowledged.push(...faulty.acknowledged);

  // Every failed request: SERVICE_UNAVAILABLE, HTTP 503 with Retry-After, no stack, answered within the bound.
  const codes = errorCodes(faulty);
  expect(codes.SERVICE_UNAVAILABLE ?? 0).toBeGreaterThan(0); // the faults were real
  expect(codes).toEqual({ SERVICE_UNAVAILABLE: codes.SERVICE_UNAVAILABLE });
  expect(Object.fromEntries(faulty.statuses.get('SERVICE_UNAVAILABLE') ?? [])).toEqual({ '503+retry': codes.SERVICE_UNAVAILABLE });
  expect(faulty.leaks).toEqual([]);
  expect(faulty.timeouts).toBe(0);
  expect(slowest(faulty)).toBeLessThan(ANSWER_BOUND_MS);
  expect(terminated.some((n) => n > 0)).toBe(true);

  // It serves again by itself (the API was not restarted), and then without a single error.
  expect(await untilServing(10_000)).not.toBeNull();
  const began = Date.now();
  const after = await runWorkload(fixture, CLIENTS, () => Date.now() - began > 1500);
  acknowledged.push(...after.acknowledged);
  expect(errorCodes(after)).toEqual({});
  expect(after.acknowledged.length).toBeGreaterThan(0);

  // Read as the owner: each acknowledged write has its change-log entry, and no change is without one.
  const owner = { core: app.coreUrl, clinical: app.clinicalUrl };
  const lines = [...await checkNothingLost(owner, acknowledged, since), ...await checkEveryChangeLogged(owner, since)];
  expect(lines.filter((l) => !l.ok).map((l) => l.line)).toEqual([]);
  expect(acknowledged.some((a) => a.op === 'consentChange' || a.op === 'bookAppointment' || a.op === 'examinationEdit')).toBe(true);
});
