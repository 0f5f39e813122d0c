/**
 * The audit benchmark (`npm run bench:audit`): what the clinical access log costs a clinical page read.
 *
 * Issue 4, item 9: one INSERT per request, not per field; compare a clinical page read with the access log
 * as built against the access log switched off in the harness only. Target: at most 1.2x (issue 4), now 1.10x
 * (issue 14, item 3).
 *
 * On the shared harness (bench/harness.ts and the files it puts together: embedded PostgreSQL in a temporary
 * folder, migrated and seeded, the API instances in a worker thread, the main thread as load generator), two
 * API instances, both with enforcement on:
 *   - on:   as built (`startApp`): every clinical read is buffered and written with the response by the
 *           group-commit writer, in one call of `clinical_access_log_append_batch` per batch of concurrent
 *           requests (src/hash-chain/access-log-writer.ts; the function dates, hashes and links the entries into
 *           the chain under a per-chain lock and inserts them in one INSERT: migrations/clinical/*AccessLogGroupCommit.ts,
 *           *AccessLogLeanAppend.ts), fail closed;
 *   - off:  the same with `{ clinicalAccessLog: false }` (bench/arm-app.ts: `assembleApp` with the enforced
 *           parts and the log not written): the log is not written.
 * The query is a clinical page as the Leeds optometrist: 50 Leeds customers with their examinations
 * (refractions, visual acuities, intraocular pressures) and spectacle prescriptions. Before timing, both
 * instances must return the same data with no errors, the page must hold clinical records of every kind, and
 * the check request must add rows to the access log for `on` and none for `off`; the timed rounds must do
 * the same. It prints requests/s, p50/p99/mean latency, SQL statements and access-log rows per request, the
 * latency ratios (mean and p50, on/off) and the throughput ratio, and PASS/FAIL of the mean latency ratio
 * against 1.10x. It reports and does not gate: exit 0 whatever the ratio, non-zero on errors.
 *
 * Environment: BENCH_REQUESTS (timed requests per instance, default 1000), BENCH_CONCURRENCY
 * (requests in flight, default 4), BENCH_ROUNDS (alternating rounds per instance, default 10),
 * BENCH_WARMUP (warm-up requests per instance, default 100), LOG_LEVEL (server log, default warn),
 * NODE_ENV (of the servers, default production).
 */
import { DEMO_PASSWORD } from '../src/seed/demo-seed';
import { ArmOptions } from './arm-app';
import { assertSameData, checkArms } from './checks';
import { BenchContext, benchMain, runBench } from './harness';
import { describeErrors, login, post } from './http-client';
import { timeArms } from './load-generator';
import { fmt, printArmTable, printVerdict } from './report';
import { readSettings, serverNodeEnv } from './settings';
import { armStatsOf, ratio } from './statistics';

/** The target: mean latency with the access log on at most 1.10x that with it off (issue 14, item 3). */
const TARGET_RATIO = 1.1;
const OPTOMETRIST = 'leeds.optometrist@clearview.example';
const STORE = 'Leeds';
const PAGE_SIZE = 50;

const EXAMINATION_FIELDS = ['id', 'examinedAt', 'status', 'history'];
const REFRACTION_FIELDS = ['eye', 'sphere', 'cylinder', 'axis'];
const ACUITY_FIELDS = ['eye', 'value'];
const PRESSURE_FIELDS = ['eye', 'mmHg'];
const PRESCRIPTION_FIELDS = ['id', 'issuedOn', 'rightSphere', 'leftSphere'];

const QUERY = `query BenchClinicalPage($first: Int!, $storeId: ID!) {
  customers(first: $first, storeId: $storeId) {
    edges {
      node {
        id firstName lastName
        examinations {
          ${EXAMINATION_FIELDS.join(' ')}
          refractions { ${REFRACTION_FIELDS.join(' ')} }
          visualAcuities { ${ACUITY_FIELDS.join(' ')} }
          intraocularPressures { ${PRESSURE_FIELDS.join(' ')} }
        }
        spectaclePrescriptions { ${PRESCRIPTION_FIELDS.join(' ')} }
      }
    }
  }
}`;

/** Two instances, both enforced: `on` writes the clinical access log as built, `off` does not (harness only). */
type Arm = 'on' | 'off';
const ARMS: Arm[] = ['on', 'off'];
const LABEL: Record<Arm, string> = {
  on: 'enforcement on, access log on ',
  off: 'enforcement on, access log off',
};
const APP_OPTIONS: Record<Arm, ArmOptions> = {
  on: { enforcement: true, clinicalAccessLog: true },
  off: { enforcement: true, clinicalAccessLog: false },
};

interface ExaminationData {
  refractions: unknown[] | null;
  visualAcuities: unknown[] | null;
  intraocularPressures: unknown[] | null;
}

interface PageData {
  customers: { edges: { node: { examinations: ExaminationData[] | null; spectaclePrescriptions: unknown[] | null } }[] };
}

/** Scalar values (null included) in a response. */
function leaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + leaves(v), 0);
  if (value !== null && typeof value === 'object') return Object.values(value as Record<string, unknown>).reduce((n: number, v) => n + leaves(v), 0);
  return 1;
}

/** The id of the store `STORE`, as the optometrist sees it. */
async function storeId(ctx: BenchContext<Arm>, token: string): Promise<string> {
  const result = await post(ctx.urls.on, '{ stores { id name } }', {}, token);
  const stores = (result.body.data as { stores?: { id: string; name: string | null }[] } | undefined)?.stores;
  if (result.status !== 200 || result.body.errors?.length || !stores) throw new Error(`stores failed: ${describeErrors(result.status, result.body)}`);
  const store = stores.find((s) => s.name === STORE);
  if (!store) throw new Error(`${OPTOMETRIST} does not see a store named ${STORE}`);
  return store.id;
}

async function main(): Promise<void> {
  // More requests and rounds than bench:authz by default: the ratio is read against a threshold, so steadier.
  const settings = readSettings({ requests: 1000, concurrency: 4, rounds: 10, warmup: 100 });
  await runBench(ARMS, APP_OPTIONS, settings, async (ctx) => {
    // One session for both instances (they share the session table; a second login would end the first).
    const token = await login(ctx.urls.on, OPTOMETRIST, DEMO_PASSWORD);
    const variables = { first: PAGE_SIZE, storeId: await storeId(ctx, token) };

    // Both instances must answer with the same data and no errors before anything is timed, the page must
    // hold clinical records of every kind asked for, and only the instance with the access log on may write it.
    const check = await checkArms(ctx, token, QUERY, variables, LABEL);
    const first = check.data as Record<Arm, PageData>;
    assertSameData(ARMS, first, LABEL);
    const edges = first.on.customers.edges;
    if (edges.length !== PAGE_SIZE) throw new Error(`expected ${PAGE_SIZE} customers, got ${edges.length}`);
    const examinations = edges.flatMap((e) => e.node.examinations ?? []);
    const found = {
      examinations: examinations.length,
      refractions: examinations.reduce((n, x) => n + (x.refractions?.length ?? 0), 0),
      'visual acuities': examinations.reduce((n, x) => n + (x.visualAcuities?.length ?? 0), 0),
      'intraocular pressures': examinations.reduce((n, x) => n + (x.intraocularPressures?.length ?? 0), 0),
      prescriptions: edges.reduce((n, e) => n + (e.node.spectaclePrescriptions?.length ?? 0), 0),
    };
    const none = Object.entries(found).filter(([, n]) => n === 0).map(([kind]) => kind);
    if (none.length) throw new Error(`the page has no ${none.join(', ')}: the clinical reads are not all exercised`);

    console.log(`query: customers(first: ${PAGE_SIZE}, storeId: ${STORE}) { id firstName lastName examinations { ${EXAMINATION_FIELDS.length} fields` +
      ` + refractions, visual acuities, intraocular pressures } spectaclePrescriptions { ${PRESCRIPTION_FIELDS.length} fields } }`);
    console.log(`       ${Object.entries(found).map(([kind, n]) => `${n} ${kind}`).join(', ')} on the page,` +
      ` ${leaves(first.on)} field values per response; as ${OPTOMETRIST}`);
    console.log(`check: both instances return the same data, no errors; the check request wrote ${check.logRows.on} access-log rows` +
      ` with the log on and ${check.logRows.off} with it off (servers in a worker thread, NODE_ENV=${serverNodeEnv()})`);

    const stats = armStatsOf(await timeArms(ctx, token, QUERY, variables));
    if (stats.on.logRows === 0) throw new Error(`${LABEL.on.trim()}: the timed requests wrote no access-log rows`);
    if (stats.off.logRows !== 0) throw new Error(`${LABEL.off.trim()}: the timed requests wrote ${fmt(stats.off.logRows, 2)} access-log rows per request`);

    printArmTable(ARMS, LABEL, stats);
    const { on, off } = stats;
    const meanRatio = ratio(on.mean, off.mean);
    const p50 = ratio(on.p50, off.p50);
    const offOn = ratio(off.rps, on.rps);
    console.log('');
    console.log(`ratios  access log on / off: latency mean ${fmt(meanRatio, 3)}   p50 ${fmt(p50, 3)}   p99 ${fmt(ratio(on.p99, off.p99), 3)}` +
      `   throughput ${fmt(ratio(on.rps, off.rps), 3)} (off / on ${fmt(offOn, 3)})`);
    console.log(`SQL statements per request: log on ${fmt(on.core + on.clinical, 2)}, log off ${fmt(off.core + off.clinical, 2)}` +
      ` (the access log adds ${fmt(on.logRows, 2)} rows/request in ${fmt(on.clinical - off.clinical, 2)} extra clinical statement(s))`);
    console.log('');
    printVerdict(meanRatio <= TARGET_RATIO, `target mean latency with the access log on / off <= ${fmt(TARGET_RATIO, 2)}x,` +
      ` measured ${fmt(meanRatio, 3)}x (mean[on] / mean[off]; p50 ${fmt(p50, 3)}x, throughput off / on ${fmt(offOn, 3)}x)`);
  });
}

benchMain('bench:audit', main);
