/**
 * `npm run bench:authz`' second page (issue 14 item 7): a store-scoped, field-restricted user, the Leeds
 * receptionist, on the same three instances as the chain manager's page (bench/authz.ts). The chain manager may
 * read every field of every row, the cheapest case for the field guard and the row filters; the receptionist's
 * role (src/seed/demo-roles.ts, "Receptionist") reads a subset of Customer (names, contact, home store, status:
 * no date of birth, no sex, no verification or timestamps) and appointments, only in her store. Her page asks for
 * what she may read: 50 Leeds customers with those fields, the home store and the appointments; nothing clinical,
 * so no instance writes the access log. Also sent once (not timed): the same page with a field she may not read
 * (`dateOfBirth`), to report how the server answers it.
 */
import { DEMO_PASSWORD } from '../src/seed/demo-seed';
import { ArmOptions } from './arm-app';
import { assertSameData, checkArms } from './checks';
import { BenchContext } from './harness';
import { describeErrors, login, post } from './http-client';
import { timeArms } from './load-generator';
import { fmt, pct, printArmTable, printVerdict } from './report';
import { armStatsOf, overhead, ratio } from './statistics';

const RECEPTIONIST = 'leeds.reception@clearview.example';
const STORE = 'Leeds';
const PAGE_SIZE = 50;

/** bench:authz's instances (bench/authz.ts). */
type Arm = 'on' | 'nolog' | 'off';

/** What the Receptionist role may read of Customer (src/seed/demo-roles.ts), `homeStore` as its id and name. */
const RECEPTION_FIELDS = ['id', 'firstName', 'lastName', 'addressLine1', 'addressLine2', 'city', 'postcode', 'country', 'phone', 'email', 'homeStoreId', 'status'];
const APPOINTMENT_FIELDS = ['id', 'storeId', 'customerId', 'startsAt', 'endsAt', 'status', 'type', 'createdAt'];

const query = (extra: string): string => `query BenchReception($first: Int!, $storeId: ID!) {
  customers(first: $first, storeId: $storeId) { edges { node {
    ${RECEPTION_FIELDS.join(' ')}${extra} homeStore { id name }
    appointments { ${APPOINTMENT_FIELDS.join(' ')} }
  } } }
}`;
const QUERY = query('');
const DENIED_QUERY = query(' dateOfBirth');

interface PageData {
  customers: { edges: { node: { appointments: unknown[] | null } }[] };
}

async function storeId(url: string, token: string): Promise<string> {
  const result = await post(url, '{ stores { id name } }', {}, token);
  const store = (result.body.data as { stores?: { id: string; name: string | null }[] } | undefined)?.stores?.find((s) => s.name === STORE);
  if (result.status !== 200 || !store) throw new Error(`${RECEPTIONIST} does not see ${STORE}: ${describeErrors(result.status, result.body)}`);
  return store.id;
}

/** Checks, times and reports the receptionist's page on the benchmark's three instances. */
export async function benchReception(ctx: BenchContext<Arm>, labels: Record<Arm, string>, targetOverhead: number): Promise<void> {
  const token = await login(ctx.urls.on, RECEPTIONIST, DEMO_PASSWORD);
  const variables = { first: PAGE_SIZE, storeId: await storeId(ctx.urls.on, token) };

  // The page reads nothing clinical: no instance may write the access log, the one with it on included.
  const noLog = Object.fromEntries(ctx.arms.map((arm) => [arm, { ...ctx.options[arm], clinicalAccessLog: false }])) as Record<Arm, ArmOptions>;
  const first = (await checkArms({ ...ctx, options: noLog }, token, QUERY, variables, labels)).data as Record<Arm, PageData>;
  const edges = first.on.customers.edges;
  if (edges.length !== PAGE_SIZE) throw new Error(`receptionist: expected ${PAGE_SIZE} customers, got ${edges.length}`);
  assertSameData(ctx.arms, first, labels);
  const appointments = edges.reduce((n, e) => n + (e.node.appointments?.length ?? 0), 0);
  if (appointments === 0) throw new Error('receptionist: the page has no appointments');

  const denied = await post(ctx.urls.on, DENIED_QUERY, variables, token);
  const deniedData = denied.body.data as PageData | null | undefined;
  const deniedErrors = denied.body.errors ?? [];
  const codes = [...new Set(deniedErrors.map((e) => e.extensions?.code ?? '?'))].join(', ');

  console.log('');
  console.log(`--- store-scoped, field-restricted user: ${RECEPTIONIST} (Receptionist, ${STORE}) ---`);
  console.log(`query: customers(first: ${PAGE_SIZE}, storeId: ${STORE}) x ${RECEPTION_FIELDS.length} Customer fields she may read + homeStore { id name }` +
    ` + appointments { ${APPOINTMENT_FIELDS.length} fields }; ${appointments} appointments on the page`);
  console.log(`check: all ${ctx.arms.length} instances return the same data, no errors, no access-log rows`);
  console.log(`with a field she may not read (+ dateOfBirth), as built, not timed: HTTP ${denied.status}, ${deniedErrors.length} error(s) [${codes}],` +
    ` data ${deniedData?.customers ? `${deniedData.customers.edges.length} customers` : 'null'}`);

  const stats = armStatsOf(await timeArms(ctx, token, QUERY, variables));
  printArmTable(ctx.arms, labels, stats);
  const authorization = overhead(stats.nolog.rps, stats.off.rps);
  console.log('');
  console.log(`ratios  enforcement on, log off / off: throughput ${fmt(ratio(stats.nolog.rps, stats.off.rps), 3)}   p50 ${fmt(ratio(stats.nolog.p50, stats.off.p50), 3)}` +
    `   p99 ${fmt(ratio(stats.nolog.p99, stats.off.p99), 3)}`);
  console.log(`receptionist authorization overhead: ${pct(authorization)} of throughput (1 - rps[on, log off] / rps[off]);` +
    ` as built (log on, nothing clinical read): ${pct(overhead(stats.on.rps, stats.off.rps))}`);
  printVerdict(authorization <= targetOverhead, `target authorization overhead <= ${pct(targetOverhead)} for the receptionist, measured ${pct(authorization)}`);
}
