/**
 * Proof of the marketing list (issue 11, item 11): a property-based suite (fast-check) that generates
 * chains (enabled channels, regions and stores), role matrices (custom roles with export MarketingList and
 * Customer read fields at chain, region or store scope, made through createRole / assignRole), customers
 * (status; email, phone and address present, absent, blank, or the same person written differently),
 * consent events per channel at explicit moments, restrictions, objections and suppressions left by
 * erased or other customers, and checks, against the independent oracle in oracle.ts (written from the
 * contract's rules, not from the server's SQL):
 * - `marketingList` through every page: ids in order (via each node's fields and the content hash),
 *   totalCount, page sizes and pageInfo, the manifest (channel, takenAt, considered, included, every rule's
 *   exclusion count, contentHash), each node's fields (value when readable, null + FORBIDDEN at its path when
 *   not), FORBIDDEN without export MarketingList, NOT_FOUND for storeIds outside the caller's list scope;
 * - `Customer.consentsAsOf(at)` at generated moments (before, between and exactly at events);
 * - the streamed export, GET /exports/marketing-list, in CSV and NDJSON under each generated service account's
 *   API token (createApiToken): status (403 / 404 as the list's FORBIDDEN / NOT_FOUND), the CSV header, every
 *   row in id order with each field where readable at that row, the manifest in X-Visus-Manifest and in
 *   NDJSON's last line, and the export log row (marketing_list_export) each export leaves; and the same
 *   list through `marketingList` under the same token.
 * Each run writes a fresh chain (world.ts), so runs never see each other's rows or the demo seed's.
 *
 * Replay a failure: fast-check prints the case with its seed and path;
 *   FC_SEED=<seed> FC_PATH=<path> npx jest test/marketing-oracle/marketing-list-property.test.ts
 * FC_RUNS=<n> sets the number of runs of each property.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { buildSchema, getNamedType, GraphQLObjectType, isLeafType } from 'graphql';
import { GraphQLErrorShape, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { checkManifest, checkNode, checkRefused, checkStates, errorsByPath, ListPage, StateAnswer } from './checks';
import { Case, caseArb, CUSTOMER_FIELDS_FOR_ROLES, ListQuerySpec } from './model';
import { askedStores, consentsAsOf, expectList, firstFailedRule, MWorld, Permissions } from './oracle';
import { checkExport, expectedColumns, ExportAnswer } from './export-checks';
import { detectFeatures, Features, writeCase } from './world';

// A fixed default seed: the coverage assertions below (nodes seen, FORBIDDEN fields, a customer suppressed by another
// person's contact details) must hold on every CI run; FC_SEED explores others.
const ENV_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261202;
const ENV_PATH = process.env.FC_PATH || undefined;
const runs = (n: number) => (process.env.FC_RUNS ? Number(process.env.FC_RUNS) : n);
/**
 * Every run writes a world, so shrinking a failure is slow: after this long fast-check stops and reports the
 * smallest counterexample found so far (as a failure).
 */
const LIMITS = { interruptAfterTimeLimit: 150_000, markInterruptAsFailure: true };
const MINUTE = 60_000;

const schema = buildSchema(readFileSync(path.join(__dirname, '../../src/schema/schema.graphql'), 'utf8'));
const hasField = (type: string, field: string) => Boolean((schema.getType(type) as GraphQLObjectType | undefined)?.getFields()[field]);
const HAS_LIST = hasField('Query', 'marketingList');
const HAS_AS_OF = hasField('Customer', 'consentsAsOf');
const HAS_TOKENS = hasField('Mutation', 'createApiToken');
/** The export's candidate columns: the Customer catalog's fields but the homeStore relation, in catalog order. */
const EXPORT_FIELDS = CUSTOMER_FIELDS_FOR_ROLES.filter((f) => f !== 'homeStore');
/** The Customer fields a node is read with: the catalog's scalar fields (homeStore is an object). */
const NODE_FIELDS = Object.values((schema.getType('Customer') as GraphQLObjectType).getFields())
  .filter((f) => CUSTOMER_FIELDS_FOR_ROLES.includes(f.name) && f.args.length === 0 && isLeafType(getNamedType(f.type)))
  .map((f) => f.name);

const LIST_QUERY = `query OracleList($channel: ConsentChannel!, $storeIds: [ID!], $first: Int, $after: String) {
  marketingList(channel: $channel, storeIds: $storeIds, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { ${NODE_FIELDS.join(' ')} } }
    manifest { channel takenAt rules considered included excluded { rule count } contentHash }
  }
}`;

interface Tally {
  runs: number;
  lists: number;
  refused: Record<string, number>;
  pages: number;
  nodes: number;
  fieldChecks: number;
  forbiddenFields: number;
  excluded: Record<string, number>;
  included: number;
  asOfChecks: number;
  exports: number;
  exportRows: number;
  /** Considered customers excluded as OBJECTED with no objection of their own: by another's suppression (same normalised contact). */
  suppressedByOthers: number;
}

describe('marketing list property: generated chains, roles and customers against the oracle', () => {
  let app: TestApp;
  let features: Features;
  const tally: Tally = { runs: 0, lists: 0, refused: { FORBIDDEN: 0, NOT_FOUND: 0 }, pages: 0, nodes: 0, fieldChecks: 0, forbiddenFields: 0, excluded: {}, included: 0, asOfChecks: 0, exports: 0, exportRows: 0, suppressedByOthers: 0 };

  beforeAll(async () => {
    app = await startTestApp();
    features = await detectFeatures(app.ownerCore);
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** Every page of one list, as the oracle expects it. */
  async function checkList(c: Case, world: MWorld, u: number, token: string, q: ListQuerySpec): Promise<string[]> {
    const where = `users[${u}] marketingList(${q.channel}, storeIds ${JSON.stringify(q.storeIds)}, first ${q.first})`;
    const perms = new Permissions(c.users[u], c.roles, world);
    const expected = expectList(c, world, perms, q);
    const storeIds = askedStores(world, perms, q)?.map((s) => world.stores[s].id) ?? null;
    const variables = { channel: q.channel, storeIds, first: q.first };
    tally.lists += 1;
    const started = Date.now();
    const first = await app.request<ListPage>(LIST_QUERY, variables, token);
    if (expected.outcome !== 'OK') {
      tally.refused[expected.outcome] += 1;
      return checkRefused(where, first, expected.outcome);
    }
    const out: string[] = [];
    const pages: GraphQLResult<ListPage>[] = [first];
    const size = q.first ?? 50;
    const maxPages = Math.ceil(expected.included.length / size) + 1;
    while (pages.at(-1)?.data?.marketingList?.pageInfo.hasNextPage && pages.length <= maxPages) {
      const after = pages.at(-1)?.data?.marketingList?.pageInfo.endCursor;
      pages.push(await app.request<ListPage>(LIST_QUERY, { ...variables, after }, token));
    }
    const window: [number, number] = [started, Date.now()];
    const errors = new Map<string, GraphQLErrorShape>();
    const nodes: Record<string, unknown>[] = [];
    for (const [p, page] of pages.entries()) {
      tally.pages += 1;
      const list = page.data?.marketingList;
      errorsByPath(page, nodes.length, errors, out, `${where} page ${p}`);
      if (!list) {
        out.push(`${where} page ${p}: no list (${JSON.stringify(page.errors)})`);
        return out;
      }
      if (list.totalCount !== expected.included.length) out.push(`${where} page ${p}: totalCount expected ${expected.included.length}, got ${list.totalCount}`);
      const wantSize = Math.min(size, expected.included.length - nodes.length);
      if (list.edges.length !== wantSize) out.push(`${where} page ${p}: expected ${wantSize} edges, got ${list.edges.length}`);
      const last = nodes.length + list.edges.length >= expected.included.length;
      if (list.pageInfo.hasNextPage === last) out.push(`${where} page ${p}: hasNextPage ${list.pageInfo.hasNextPage} after ${nodes.length + list.edges.length} of ${expected.included.length}`);
      out.push(...checkManifest(`${where} page ${p}`, list.manifest, expected, q.channel, window));
      nodes.push(...list.edges.map((e) => e.node));
    }
    if (nodes.length !== expected.included.length) {
      out.push(`${where}: expected ${expected.included.length} customers (${expected.included.map((m) => m.id).join(', ')}), got ${nodes.length}`);
      return out;
    }
    expected.included.forEach((m, k) => {
      tally.nodes += 1;
      tally.fieldChecks += NODE_FIELDS.length;
      tally.forbiddenFields += NODE_FIELDS.filter((f) => !perms.mayReadField(f, m.store)).length;
      out.push(...checkNode(where, nodes[k], m, NODE_FIELDS, perms, errors, `marketingList.edges.${k}.node`));
    });
    for (const [at, e] of errors) out.push(`${where}: unexpected error ${e.extensions?.code} at ${at}: ${e.message}`);
    tally.included += expected.included.length;
    const stores = new Set(expected.scope);
    tally.suppressedByOthers += world.customers.filter((m) => stores.has(m.store) && m.objections === 0 && firstFailedRule(c, world, m, q.channel) === 'OBJECTED').length;
    for (const [rule, n] of Object.entries(expected.excluded)) tally.excluded[rule] = (tally.excluded[rule] ?? 0) + n;
    return out;
  }

  const fail = (found: string[]) => {
    if (found.length > 0) throw new Error(`${found.length} disagreement(s) with the oracle:\n  ${found.slice(0, 20).join('\n  ')}${found.length > 20 ? '\n  …' : ''}`);
  };

  (HAS_LIST ? it : it.skip)(
    'marketingList (every page, the manifest, each node field) is what the oracle derives from the rules',
    async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const { world, users } = await writeCase(app, c, features, { serviceUsers: false });
          const found: string[] = [];
          for (const [u, user] of users.entries()) {
            for (const q of c.users[u].queries) found.push(...(await checkList(c, world, u, user.token, q)));
          }
          tally.runs += 1;
          fail(found);
        }),
        { numRuns: runs(15), seed: ENV_SEED, path: ENV_PATH, ...LIMITS },
      );
      console.log(
        `marketing list property: ${tally.runs} runs, ${tally.lists} lists (refused: ${JSON.stringify(tally.refused)}), ${tally.pages} pages, ` +
          `${tally.nodes} nodes, ${tally.fieldChecks} field checks (${tally.forbiddenFields} FORBIDDEN), included ${tally.included}, ` +
          `excluded by rule ${JSON.stringify(tally.excluded)} (OBJECTED by another's suppression: ${tally.suppressedByOthers}); features ${JSON.stringify(features)}; in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      if (!process.env.FC_RUNS && !ENV_PATH) {
        expect(tally.nodes).toBeGreaterThan(0);
        expect(tally.forbiddenFields).toBeGreaterThan(0);
        expect(tally.suppressedByOthers).toBeGreaterThan(0);
      }
    },
    5 * 60_000,
  );

  (HAS_AS_OF ? it : it.skip)(
    'Customer.consentsAsOf(at) answers each channel from the latest event at or before the moment',
    async () => {
      const started = Date.now();
      let boundaries = 0;
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const { world, manager, base } = await writeCase(app, c, features, { serviceUsers: false });
          const found: string[] = [];
          for (const m of world.customers) {
            // The case's moments, plus each channel's first event exactly and a millisecond before it.
            const moments = c.asOf.map((minutes) => new Date(base.getTime() + minutes * MINUTE));
            for (const e of m.events.slice(0, 2)) {
              moments.push(e.changedAt, new Date(e.changedAt.getTime() - 1));
              boundaries += 2;
            }
            const aliases = moments.map((_at, k) => `a${k}: consentsAsOf(at: $at${k}) { channel granted basis since wordingVersion eventId }`).join(' ');
            const query = `query OracleAsOf($id: ID!, ${moments.map((_at, k) => `$at${k}: DateTimeISO!`).join(', ')}) { customer(id: $id) { ${aliases} } }`;
            const variables = Object.fromEntries([['id', m.id], ...moments.map((at, k) => [`at${k}`, at.toISOString()])]);
            const result = await app.request<{ customer: Record<string, StateAnswer[]> | null }>(query, variables, manager);
            if (result.errors?.length) found.push(`customer ${m.id}: errors ${JSON.stringify(result.errors)}`);
            moments.forEach((at, k) => {
              tally.asOfChecks += 1;
              found.push(...checkStates(`customer ${m.id} consentsAsOf(${at.toISOString()})`, consentsAsOf(m, at), result.data?.customer?.[`a${k}`]));
            });
          }
          fail(found);
        }),
        { numRuns: runs(8), seed: ENV_SEED, path: ENV_PATH, ...LIMITS },
      );
      console.log(`consentsAsOf property: ${tally.asOfChecks} (customer, moment) checks, ${boundaries} at or just before an event; in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (!process.env.FC_RUNS && !ENV_PATH) expect(boundaries).toBeGreaterThan(0);
    },
    5 * 60_000,
  );

  (HAS_LIST && HAS_TOKENS ? it : it.skip)(
    'the streamed export (CSV and NDJSON) under a service account token is the same list, fields and manifest',
    async () => {
      const started = Date.now();
      const exportUrl = app.url.replace(/\/graphql$/, '/exports/marketing-list');
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const { world, users } = await writeCase(app, c, features, { serviceUsers: true });
          const found: string[] = [];
          for (const [u, user] of users.entries()) {
            const perms = new Permissions(c.users[u], c.roles, world);
            const columns = expectedColumns(perms, world, EXPORT_FIELDS);
            const logged: { format: string; rows: number; hash: string }[] = [];
            for (const q of c.users[u].queries) {
              const expected = expectList(c, world, perms, q);
              const stores = askedStores(world, perms, q)?.map((s) => world.stores[s].id) ?? [];
              for (const format of ['csv', 'ndjson'] as const) {
                const params = new URLSearchParams({ channel: q.channel, format });
                for (const id of stores) params.append('storeId', id);
                const where = `users[${u}] export ${params.toString()}`;
                const from = Date.now();
                const response = await fetch(`${exportUrl}?${params.toString()}`, { headers: { authorization: `Bearer ${user.token}` } });
                const answer: ExportAnswer = { status: response.status, headers: response.headers, body: await response.text() };
                tally.exports += 1;
                found.push(...checkExport(where, format, answer, expected, perms, columns, q.channel, [from, Date.now()]));
                if (expected.outcome === 'OK') {
                  tally.exportRows += expected.included.length;
                  logged.push({ format, rows: expected.included.length, hash: expected.contentHash });
                }
              }
              // The same list through GraphQL under the same API token.
              found.push(...(await checkList(c, world, u, user.token, q)));
            }
            // Every export is logged (route STREAM, the rows sent, the manifest's hash), once it has ended.
            let rows: { format: string; rows: number; hash: string; completed: boolean }[] = [];
            for (let attempt = 0; attempt < 20; attempt++) {
              rows = await app.ownerCore.query(
                `SELECT format, row_count AS rows, manifest_hash AS hash, completed FROM marketing_list_export
                  WHERE user_id = $1 AND route = 'STREAM' ORDER BY occurred_at, id`,
                [user.id],
              );
              if (rows.length >= logged.length) break;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
            const key = (r: { format: string; rows: number; hash: string }) => `${r.format}/${r.rows}/${r.hash}`;
            if (rows.some((r) => !r.completed) || rows.map(key).sort().join(' ') !== logged.map(key).sort().join(' ')) {
              found.push(`users[${u}]: export log expected ${JSON.stringify(logged)}, got ${JSON.stringify(rows)}`);
            }
          }
          fail(found);
        }),
        { numRuns: runs(10), seed: ENV_SEED, path: ENV_PATH, ...LIMITS },
      );
      console.log(`export property: ${tally.exports} exports, ${tally.exportRows} rows expected; in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (!process.env.FC_RUNS && !ENV_PATH) expect(tally.exportRows).toBeGreaterThan(0);
    },
    5 * 60_000,
  );
});
