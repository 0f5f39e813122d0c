/**
 * The peers benchmark (`npm run bench:peers`, issue 14 item 1): Visus against a compiled-SQL GraphQL server and
 * the floor, on the same throw-away seeded core database, the same page, interleaved in one run.
 *
 * Arms (one server process each, bench/peers-process.ts, so each one's CPU is its own process's):
 *   - raw floor: node:http + pg, 2 statements, JSON.stringify (bench/peers-raw.ts);
 *   - PostGraphile 5 with the amber preset, no authorization (bench/peers-postgraphile.ts);
 *   - Visus with enforcement off (bench/arm-app.ts), as the chain manager;
 *   - Visus as built (`startApp`), one process serving two arms: the chain manager and the Leeds store manager.
 * The page (bench/peers-page.ts): 50 Leeds customers (by id, no tombstones) with their 17 scalar fields and their
 * appointments. Before timing, every arm's answer is normalised (bench/peer-normalise.ts) and must equal the raw
 * floor's. Then, per concurrency (4 and 16), `rounds` interleaved rounds of `seconds` each with autocannon, in
 * rotating order (bench/peers-load.ts). Prints req/s, p50, p99, server CPU and SQL statements per request and the
 * ratios, with PASS/FAIL lines for the targets. Reports, does not gate: exit 0 unless something failed.
 *
 * Settings: bench/peers-settings.ts (`--duration`, `--rounds`, `--concurrency`, `--warmup` or BENCH_*).
 */
import { DEMO_PASSWORD } from '../src/seed/demo-seed';
import { ThrowawayPostgres } from '../src/db/throwaway-databases';
import { createBenchDatabases, startBenchPostgres } from './databases';
import { benchMain } from './harness';
import { describeErrors, login, post } from './http-client';
import { firstDifference, normalisePage, NormalisedCustomer, Row } from './peer-normalise';
import { ticksPerSecond } from './peers-cpu';
import { ArmRequest, timeRound } from './peers-load';
import { APPOINTMENT_FIELDS, CUSTOMER_FIELDS, PAGE_SIZE, pageRows, POSTGRAPHILE_QUERY, VISUS_QUERY } from './peers-page';
import { PeerKind, PeerProcess } from './peers-process';
import { readPeerSettings } from './peers-settings';
import { emptySample, PeerSample, peerStats, PeerStats } from './peers-stats';
import { fmt, printMachine, printVerdict } from './report';
import { serverNodeEnv } from './settings';
import { startFlags } from './start-flags';

const CHAIN_MANAGER = 'chain.manager@clearview.example';
const STORE_MANAGER = 'leeds.manager@clearview.example';
const STORE = 'Leeds';
const MAX_STATEMENTS = 3;
const GOAL = 1.0;
const MINIMUM = 0.7;

type Arm = 'raw' | 'postgraphile' | 'off' | 'chain' | 'store';
const ARMS: Arm[] = ['raw', 'postgraphile', 'off', 'chain', 'store'];
const LABEL: Record<Arm, string> = {
  raw: 'raw floor (node:http + pg, 2 statements)',
  postgraphile: 'PostGraphile 5.1.5 amber, no authorization',
  off: 'Visus, enforcement off (chain manager)',
  chain: 'Visus as built, chain manager',
  store: 'Visus as built, Leeds store manager',
};
const KIND: Record<Arm, PeerKind> = { raw: 'raw', postgraphile: 'postgraphile', off: 'visus-off', chain: 'visus-built', store: 'visus-built' };
const ROWS: Record<Arm, (body: unknown) => Row[]> = {
  raw: pageRows.raw, postgraphile: pageRows.postgraphile, off: pageRows.visus, chain: pageRows.visus, store: pageRows.visus,
};

async function leedsStoreId(url: string, token: string): Promise<string> {
  const result = await post(url, '{ stores { id name } }', {}, token);
  const stores = (result.body.data as { stores?: { id: string; name: string | null }[] } | undefined)?.stores;
  const store = stores?.find((s) => s.name === STORE);
  if (result.status !== 200 || !store) throw new Error(`no ${STORE} store: ${describeErrors(result.status, result.body)}`);
  return store.id;
}

/** Each arm's request for the page. */
function requests(urls: Record<PeerKind, string>, storeId: string, tokens: { chain: string; store: string }): Record<Arm, ArmRequest> {
  const json = { 'content-type': 'application/json' };
  const gql = (url: string, query: string, token?: string): ArmRequest => ({
    url, method: 'POST', headers: { ...json, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables: { first: PAGE_SIZE, storeId } }),
  });
  return {
    raw: { url: `${urls.raw}?storeId=${storeId}`, method: 'GET', headers: {} },
    postgraphile: gql(urls.postgraphile, POSTGRAPHILE_QUERY),
    off: gql(urls['visus-off'], VISUS_QUERY, tokens.chain),
    chain: gql(urls['visus-built'], VISUS_QUERY, tokens.chain),
    store: gql(urls['visus-built'], VISUS_QUERY, tokens.store),
  };
}

/**
 * Sends each arm's request (twice; the second is checked): 200, no errors, and the same normalised page as the raw floor's. Returns the SQL
 * statements each arm's server ran for that one request (the exact per-page count; the timed rounds' SQL/req also
 * holds the requests autocannon left in flight at each round's end).
 */
async function checkSameData(req: Record<Arm, ArmRequest>, server: (arm: Arm) => PeerProcess): Promise<Record<Arm, number>> {
  let expected: NormalisedCustomer[] | null = null;
  const sizes = {} as Record<Arm, number>;
  const statements = {} as Record<Arm, number>;
  for (const arm of ARMS) {
    const { url, method, headers, body } = req[arm];
    // Twice: the first request of a user fills the server's caches (the ability); the second is counted.
    await (await fetch(url, { method, headers, body })).text();
    const before = await server(arm).statements();
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    statements[arm] = (await server(arm).statements()) - before;
    const parsed = JSON.parse(text) as { errors?: { message: string }[]; data?: unknown };
    if (response.status !== 200 || parsed.errors?.length || !parsed.data) {
      throw new Error(`${LABEL[arm]}: check request failed: HTTP ${response.status} ${text.slice(0, 300)}`);
    }
    const page = normalisePage(ROWS[arm](parsed), CUSTOMER_FIELDS, 'appointments', APPOINTMENT_FIELDS);
    if (page.length !== PAGE_SIZE) throw new Error(`${LABEL[arm]}: ${page.length} customers instead of ${PAGE_SIZE}`);
    if (expected === null) expected = page;
    const difference = firstDifference(expected, page);
    if (difference) throw new Error(`${LABEL[arm]} returns different data from the raw floor: ${difference}`);
    sizes[arm] = Buffer.byteLength(text);
  }
  const appointments = expected!.reduce((n, c) => n + c.appointments.length, 0);
  if (appointments === 0) throw new Error('the page has no appointments: the nested list is not exercised');
  console.log(`check: all ${ARMS.length} arms return the same ${PAGE_SIZE} customers x ${CUSTOMER_FIELDS.length} fields and ${appointments} appointments` +
    ` x ${APPOINTMENT_FIELDS.length} fields; body ${ARMS.map((a) => `${a} ${fmt(sizes[a] / 1000)} KB`).join(', ')}`);
  console.log(`SQL statements for one page: ${ARMS.map((a) => `${a} ${statements[a]}`).join(', ')}`);
  return statements;
}

function printTable(concurrency: number, stats: Record<Arm, PeerStats>): void {
  const width = Math.max(...ARMS.map((a) => LABEL[a].length));
  console.log('');
  console.log(`concurrency ${concurrency}`);
  console.log(`${'arm'.padEnd(width)}     req/s   p50 ms   p99 ms   CPU ms/req   SQL/req   KB/resp  (requests)`);
  for (const arm of ARMS) {
    const s = stats[arm];
    console.log(`${LABEL[arm].padEnd(width)}  ${fmt(s.rps).padStart(8)} ${fmt(s.p50, 2).padStart(8)} ${fmt(s.p99, 2).padStart(8)}` +
      ` ${fmt(s.cpuMs, 2).padStart(12)} ${fmt(s.sql, 2).padStart(9)} ${fmt(s.kb, 1).padStart(9)}  (${s.n})`);
  }
  const r = (a: Arm, b: Arm): string => `${fmt(stats[a].rps / stats[b].rps, 2)}x`;
  const c = (a: Arm, b: Arm): string => `${fmt(stats[a].cpuMs / stats[b].cpuMs, 2)}x`;
  console.log(`ratios (throughput; CPU per request): as built chain manager / PostGraphile ${r('chain', 'postgraphile')}; ${c('chain', 'postgraphile')}` +
    `   store manager / PostGraphile ${r('store', 'postgraphile')}; ${c('store', 'postgraphile')}`);
  console.log(`                                      as built chain manager / raw ${r('chain', 'raw')}; ${c('chain', 'raw')}` +
    `   store manager / raw ${r('store', 'raw')}; ${c('store', 'raw')}   enforcement off / PostGraphile ${r('off', 'postgraphile')}` +
    `   PostGraphile / raw ${r('postgraphile', 'raw')}`);
}

function printVerdicts(all: Map<number, Record<Arm, PeerStats>>, pageStatements: Record<Arm, number>): void {
  console.log('');
  for (const [concurrency, stats] of all) {
    const chain = stats.chain.rps / stats.postgraphile.rps;
    const store = stats.store.rps / stats.postgraphile.rps;
    const measured = `measured ${fmt(chain, 2)}x (chain manager) / ${fmt(store, 2)}x (Leeds store manager)`;
    printVerdict(Math.min(chain, store) >= GOAL, `goal: Visus as built >= ${fmt(GOAL, 1)}x PostGraphile's throughput at concurrency ${concurrency}, ${measured}`);
    printVerdict(Math.min(chain, store) >= MINIMUM, `minimum: Visus as built >= ${fmt(MINIMUM, 1)}x PostGraphile's throughput at concurrency ${concurrency}, ${measured}`);
  }
  const sql = Math.max(pageStatements.chain, pageStatements.store);
  printVerdict(sql <= MAX_STATEMENTS, `Visus as built runs <= ${MAX_STATEMENTS} SQL statements for the page, measured ${pageStatements.chain}` +
    ` (chain manager) / ${pageStatements.store} (Leeds store manager): every statement of the server process for one page, session check included`);
}

async function main(): Promise<void> {
  const settings = readPeerSettings(process.argv.slice(2), process.env);
  let pg: ThrowawayPostgres | null = null;
  const servers = new Map<PeerKind, PeerProcess>();
  let cleaning: Promise<void> | null = null;
  const cleanup = (): Promise<void> => (cleaning ??= (async () => {
    await Promise.all([...servers.values()].map((s) => s.stop().catch((e: unknown) => console.error(`stopping ${s.kind} failed:`, e))));
    await pg?.stop().catch((e: unknown) => console.error('stopping PostgreSQL failed:', e));
  })());
  const onSignal = (): void => {
    console.error('\ninterrupted: stopping servers and PostgreSQL');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    printMachine();
    console.log(`Visus arms' Node flags: ${startFlags().join(' ') || '(none)'} (npm start's; BENCH_NODE_FLAGS replaces them)`);
    pg = await startBenchPostgres();
    const { app } = await createBenchDatabases(pg);
    // Every arm connects as the restricted application role, as `npm start` does.
    for (const kind of ['raw', 'postgraphile', 'visus-off', 'visus-built'] as PeerKind[]) servers.set(kind, new PeerProcess(kind, app.core, app.clinical));
    const urls = Object.fromEntries(await Promise.all([...servers].map(async ([kind, s]) => [kind, await s.ready()] as const))) as Record<PeerKind, string>;
    console.log(`servers: one process each (pids ${[...servers].map(([k, s]) => `${k} ${s.pid}`).join(', ')}), NODE_ENV=${serverNodeEnv()}`);

    const tokens = { chain: await login(urls['visus-built'], CHAIN_MANAGER, DEMO_PASSWORD), store: await login(urls['visus-built'], STORE_MANAGER, DEMO_PASSWORD) };
    const storeId = await leedsStoreId(urls['visus-built'], tokens.store);
    const req = requests(urls, storeId, tokens);
    console.log(`page: customers(first: ${PAGE_SIZE}, storeId: ${STORE}) x ${CUSTOMER_FIELDS.length} scalar fields + appointments { ${APPOINTMENT_FIELDS.length} fields };` +
      ` Visus as ${CHAIN_MANAGER} and ${STORE_MANAGER}`);
    const server = (arm: Arm): PeerProcess => servers.get(KIND[arm])!;
    const pageStatements = await checkSameData(req, server);

    const rotation = (r: number): Arm[] => ARMS.map((_, i) => ARMS[(r + i) % ARMS.length]);
    console.log(`run: autocannon, per concurrency ${settings.concurrencies.join(' and ')}: ${settings.rounds} interleaved rounds of ${settings.seconds} s` +
      ` per arm (rotating order), after ${settings.warmupSeconds} s of warm-up per arm; CPU from /proc/<pid>/stat (${ticksPerSecond()} ticks/s)`);
    for (const arm of ARMS) await timeRound(server(arm), req[arm], settings.concurrencies[0], settings.warmupSeconds, emptySample());

    const all = new Map<number, Record<Arm, PeerStats>>();
    for (const concurrency of settings.concurrencies) {
      const samples = Object.fromEntries(ARMS.map((a) => [a, emptySample()])) as Record<Arm, PeerSample>;
      for (let r = 0; r < settings.rounds; r += 1) {
        for (const arm of rotation(r)) await timeRound(server(arm), req[arm], concurrency, settings.seconds, samples[arm]);
      }
      const stats = Object.fromEntries(ARMS.map((a) => [a, peerStats(samples[a], ticksPerSecond())])) as Record<Arm, PeerStats>;
      printTable(concurrency, stats);
      all.set(concurrency, stats);
    }
    printVerdicts(all, pageStatements);
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

benchMain('bench:peers', main);
