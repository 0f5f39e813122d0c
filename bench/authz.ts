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
 * (bench/arm-app.ts: `on` is `startApp`, the others `assembleApp` with those parts taken away.)
 * The main thread is the load generator, so client work does not share the servers' event loop. One
 * query, a page of 50 customers with every scalar Customer field and their spectacle prescriptions,
 * is sent by the demo chain manager (who sees every row, so all instances return the same data) in
 * alternating rounds whose order rotates (on, nolog, off; nolog, off, on; off, on, nolog; ...) so
 * machine noise hits all alike. It prints requests/s, p50/p99 latency, SQL statements and access-log
 * rows per request, then the authorization overhead (1 - rps_nolog/rps_off) against the 15% target
 * and, for information, the full overhead including the audit trail (1 - rps_on/rps_off). It
 * reports and does not gate: exit 0 whatever the overhead, non-zero on errors. Then the same three instances
 * are measured again with a store-scoped, field-restricted user, the Leeds receptionist, on the page she may
 * read (bench/authz-reception.ts).
 *
 * Environment: BENCH_REQUESTS (timed requests per instance, default 400), BENCH_CONCURRENCY
 * (requests in flight, default 4), BENCH_ROUNDS (alternating rounds per instance, default 8),
 * BENCH_WARMUP (warm-up requests per instance, default 100), LOG_LEVEL (server log, default warn),
 * NODE_ENV (of the servers, default production).
 *
 * What it shares with bench:audit (databases, server worker, checks, load generator, statistics, report) is
 * in the other files of bench/, put together by bench/harness.ts; this file is what it measures.
 */
import { DEMO_PASSWORD } from '../src/seed/demo-seed';
import { ArmOptions } from './arm-app';
import { benchReception } from './authz-reception';
import { assertSameData, checkArms } from './checks';
import { benchMain, runBench } from './harness';
import { login } from './http-client';
import { timeArms } from './load-generator';
import { fmt, pct, printArmTable, printVerdict } from './report';
import { readSettings, serverNodeEnv } from './settings';
import { armStatsOf, overhead, ratio } from './statistics';

const TARGET_OVERHEAD = 0.15;
const CHAIN_MANAGER = 'chain.manager@clearview.example';

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
const APP_OPTIONS: Record<Arm, ArmOptions> = {
  on: { enforcement: true, clinicalAccessLog: true },
  nolog: { enforcement: true, clinicalAccessLog: false },
  off: { enforcement: false, clinicalAccessLog: false },
};

interface PageData {
  customers: { edges: { node: Record<string, unknown> & { spectaclePrescriptions: unknown[] | null } }[] };
}

async function main(): Promise<void> {
  const settings = readSettings({ requests: 400, concurrency: 4, rounds: 8, warmup: 100 });
  await runBench(ARMS, APP_OPTIONS, settings, async (ctx) => {
    const { urls } = ctx;
    // One session for all instances (they share the session table; a second login would end the first).
    const token = await login(urls.on, CHAIN_MANAGER, DEMO_PASSWORD);

    // Every instance must answer the same query with the same data and no errors before anything is timed,
    // and only the instance with the access log on may write to it.
    const first = (await checkArms(ctx, token, QUERY, { first: PAGE_SIZE }, LABEL)).data as Record<Arm, PageData>;
    const edges = first.on.customers.edges;
    if (edges.length !== PAGE_SIZE) throw new Error(`expected ${PAGE_SIZE} customers, got ${edges.length}`);
    assertSameData(ARMS, first, LABEL);
    const missing = CUSTOMER_SCALARS.filter((f) => !(f in edges[0].node));
    if (missing.length) throw new Error(`fields missing from the response: ${missing.join(', ')}`);
    const prescriptions = edges.reduce((n, e) => n + (e.node.spectaclePrescriptions?.length ?? 0), 0);
    if (prescriptions === 0) throw new Error('the page has no spectacle prescriptions: the nested list is not exercised');
    const fieldsPerResponse = PAGE_SIZE * (CUSTOMER_SCALARS.length + 1) + prescriptions * PRESCRIPTION_FIELDS.length;

    console.log(`query: customers(first: ${PAGE_SIZE}) x ${CUSTOMER_SCALARS.length} scalar Customer fields + spectaclePrescriptions { ${PRESCRIPTION_FIELDS.length} fields }`);
    console.log(`       ${prescriptions} prescriptions on the page, ${fieldsPerResponse} field values per response; as ${CHAIN_MANAGER}`);
    console.log(`check: all ${ARMS.length} instances return the same data, no errors; only the one with the access log on writes it` +
      ` (servers in a worker thread, NODE_ENV=${serverNodeEnv()})`);

    const stats = armStatsOf(await timeArms(ctx, token, QUERY, { first: PAGE_SIZE }));

    printArmTable(ARMS, LABEL, stats);
    const ratios = (a: Arm, b: Arm): string =>
      `throughput ${fmt(ratio(stats[a].rps, stats[b].rps), 3)}   p50 ${fmt(ratio(stats[a].p50, stats[b].p50), 3)}   p99 ${fmt(ratio(stats[a].p99, stats[b].p99), 3)}`;
    const authorization = overhead(stats.nolog.rps, stats.off.rps);
    const full = overhead(stats.on.rps, stats.off.rps);
    const audit = overhead(stats.on.rps, stats.nolog.rps);
    console.log('');
    console.log(`ratios  enforcement on, log off / off: ${ratios('nolog', 'off')}`);
    console.log(`        enforcement on, log on  / off: ${ratios('on', 'off')}`);
    console.log(`SQL statements per request: on+log ${fmt(stats.on.core + stats.on.clinical, 2)}, on ${fmt(stats.nolog.core + stats.nolog.clinical, 2)},` +
      ` off ${fmt(stats.off.core + stats.off.clinical, 2)} (the access log adds ${fmt(stats.on.logRows, 2)} rows/request in` +
      ` ${fmt(stats.on.clinical - stats.nolog.clinical, 2)} extra clinical statement(s))`);
    console.log('');
    console.log(`authorization overhead: ${pct(authorization)} of throughput (1 - rps[on, log off] / rps[off]):` +
      ' operation guard, field guard, SQL row filters, ability');
    printVerdict(authorization <= TARGET_OVERHEAD, `target authorization overhead <= ${pct(TARGET_OVERHEAD)}, measured ${pct(authorization)}`);
    console.log(`full overhead, including the clinical access log (audit trail; for information, not part of the target): ${pct(full)}` +
      ' (1 - rps[on, log on] / rps[off])');
    console.log(`  of which the access log: ${pct(audit)} of the enforced throughput (1 - rps[on, log on] / rps[on, log off])`);

    // Second page: a store-scoped, field-restricted user (bench/authz-reception.ts).
    await benchReception(ctx, LABEL, TARGET_OVERHEAD);
  });
}

benchMain('bench:authz', main);
