/**
 * The N+1 guard for names next to ids: a short and a long page of role changes, access log entries, data
 * change entries and security events, and a role with three and with eight assignments, each selecting every
 * name field (and the ids beside them), run exactly as many SQL statements: the names and the checks of their
 * sources come from DataLoaders (one statement per source subject and request), never one per row. The long
 * pages hold several distinct users, stores and roles, so a per-row lookup would show.
 */
import { statementCount } from '../../src/db/data-sources';
import { Actors, CM, Demo, DPO, LOCUM, OPTOMETRIST, RECEPTION } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';

const LISTS = {
  roleChanges: 'query($n: Int) { roleChanges(first: $n) { actorId actorName actorEmail roleId roleName } }',
  clinicalAccessLog: 'query($n: Int) { clinicalAccessLog(first: $n) { edges { node { userId userName userEmail storeId storeName } } } }',
  dataChangeLog: 'query($n: Int) { dataChangeLog(first: $n) { edges { node { userId userName userEmail storeId storeName } } } }',
  securityEvents: 'query($n: Int) { securityEvents(first: $n) { edges { node { userId userName userEmail } } } }',
};
const ASSIGNMENTS = `query($id: ID!) { role(id: $id) { assignments { userId userName userEmail roleName storeId storeName regionId regionName } } }`;

type Row = Record<string, string | null>;
function rowsOf(data: Record<string, unknown>): Row[] {
  const value = Object.values(data)[0] as Row[] | { edges: { node: Row }[] } | { assignments: Row[] };
  if (Array.isArray(value)) return value;
  return 'edges' in value ? value.edges.map((e) => e.node) : value.assignments;
}

describe('N+1 guard for names next to ids', () => {
  let app: TestApp;
  let actors: Actors;
  let demo: Demo;
  let fewHolders: string;
  let eightHolders: string;
  const SECOND_MANAGER = 'second.manager@clearview.example';

  beforeAll(async () => {
    app = await startTestApp({ anomalyCheckIntervalSeconds: 86_400 });
    actors = new Actors(app);
    demo = await actors.demo();
    const [{ id: chainManagerRole }]: { id: string }[] = await app.ownerCore.query(`SELECT id FROM role WHERE chain_id = $1 AND name = 'Chain manager'`, [demo.chainId]);
    const second = await actors.makeStaff(SECOND_MANAGER, 'Sam Second');
    await actors.ok(CM, 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }', { input: { userId: second, roleId: chainManagerRole, scopeType: 'CHAIN' } });

    // Role changes by two people, about many roles.
    const create = (email: string, name: string) => actors.ok<{ createRole: { id: string } }>(email, 'mutation($name: String!) { createRole(input: { name: $name, description: "", permissions: [{ action: "read", subject: "Store" }] }) { id } }', { name });
    fewHolders = (await create(CM, 'Three holders')).createRole.id;
    eightHolders = (await create(SECOND_MANAGER, 'Eight holders')).createRole.id;
    for (let i = 0; i < 8; i++) await create(i % 2 ? CM : SECOND_MANAGER, `Spare ${i}`);
    // Assignments at every kind of scope, of many users.
    const assign = (userId: string, roleId: string, scope: Record<string, string>) =>
      actors.ok(CM, 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }', { input: { userId, roleId, ...scope } });
    await assign(demo.users[RECEPTION], fewHolders, { scopeType: 'STORE', storeId: demo.stores.Leeds });
    await assign(demo.users[LOCUM], fewHolders, { scopeType: 'REGION', regionId: demo.regions.North });
    await assign(demo.users[DPO], fewHolders, { scopeType: 'CHAIN' });
    const scopes: Record<string, string>[] = [
      { scopeType: 'STORE', storeId: demo.stores.Leeds }, { scopeType: 'STORE', storeId: demo.stores.York }, { scopeType: 'STORE', storeId: demo.stores.Harrogate },
      { scopeType: 'STORE', storeId: demo.stores.Bristol }, { scopeType: 'STORE', storeId: demo.stores.Bath }, { scopeType: 'REGION', regionId: demo.regions.North },
      { scopeType: 'REGION', regionId: demo.regions.South }, { scopeType: 'CHAIN' },
    ];
    const holders = Object.values(demo.users).slice(0, 8);
    for (let i = 0; i < 8; i++) await assign(holders[i], eightHolders, scopes[i]);

    // Clinical reads by three people at several stores; personal data changes by three people at two stores.
    // (The locum's reads of Bath customers, where she is a receptionist, are refused and logged as such.)
    for (const [email, n] of [[OPTOMETRIST, 5], [LOCUM, 5], [DPO, 20]] as [string, number][]) {
      expect((await actors.as(email, 'query($n: Int!) { customers(first: $n) { edges { node { examinations { id } } } } }', { n })).data).toBeTruthy();
    }
    const customerAt = async (store: string, n: number): Promise<string[]> => ((await app.ownerCore.query(
      `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT $2`, [demo.stores[store], n])) as { id: string }[]).map((r) => r.id);
    const phone = (email: string, id: string, n: number) => actors.ok(email, 'mutation($id: ID!, $p: String!) { updateCustomer(id: $id, input: { phone: $p }) { id } }', { id, p: `07700 900${100 + n}` });
    let n = 0;
    for (const id of await customerAt('Leeds', 4)) await phone(n % 2 ? RECEPTION : OPTOMETRIST, id, n++);
    for (const id of await customerAt('Bath', 4)) await phone(LOCUM, id, n++);
    // Security events about two people: each weakens an audit setting.
    for (const [email, value] of [[CM, 60], [SECOND_MANAGER, 70], [CM, 80]] as [string, number][]) {
      await actors.ok(email, 'mutation($n: Int!) { updateAuditSettings(input: { anomalyDistinctCustomers: $n }) { anomalyDistinctCustomers } }', { n: value });
    }
  });
  afterAll(() => app?.stop());

  async function measure(query: string, variables: Record<string, unknown>): Promise<{ statements: number; rows: Row[] }> {
    const token = await actors.token(CM);
    const before = statementCount(app.core) + statementCount(app.clinical);
    const result = await app.request<Record<string, unknown>>(query, variables, token);
    const statements = statementCount(app.core) + statementCount(app.clinical) - before;
    expect(result.errors).toBeUndefined();
    return { statements, rows: rowsOf(result.data!) };
  }

  const distinct = (rows: Row[], key: string): number => new Set(rows.map((r) => r[key]).filter((v) => v !== null)).size;

  it.each(Object.keys(LISTS) as (keyof typeof LISTS)[])('%s: a long page runs as many statements as a short one', async (list) => {
    const query = LISTS[list];
    await measure(query, { n: 1 }); // warm-up: the caller's ability is built and cached
    const short = await measure(query, { n: 1 });
    const long = await measure(query, { n: 40 });
    expect(long.rows.length).toBeGreaterThanOrEqual(3);
    expect(distinct(long.rows, list === 'roleChanges' ? 'actorId' : 'userId')).toBeGreaterThanOrEqual(2);
    if (list === 'roleChanges') expect(distinct(long.rows, 'roleId')).toBeGreaterThanOrEqual(5);
    if (list === 'clinicalAccessLog' || list === 'dataChangeLog') expect(distinct(long.rows, 'storeId')).toBeGreaterThanOrEqual(2);
    // Every name resolved (the chain manager reads them all).
    for (const row of long.rows) for (const [key, value] of Object.entries(row)) if (key.endsWith('Name') || key.endsWith('Email')) expect(value === null ? `${key} null` : key).toBe(key);
    expect(long.statements).toBe(short.statements);
    console.log(`names N+1 guard: ${list}: ${long.rows.length} rows ran ${long.statements} SQL statements (1 row: ${short.statements})`);
  });

  it('role assignments: eight holders at every kind of scope run as many statements as three', async () => {
    await measure(ASSIGNMENTS, { id: fewHolders });
    const three = await measure(ASSIGNMENTS, { id: fewHolders });
    const eight = await measure(ASSIGNMENTS, { id: eightHolders });
    expect(three.rows).toHaveLength(3);
    expect(eight.rows).toHaveLength(8);
    expect(distinct(eight.rows, 'userId')).toBe(8);
    expect(distinct(eight.rows, 'storeName')).toBe(5);
    expect(distinct(eight.rows, 'regionName')).toBe(2);
    expect(eight.statements).toBe(three.statements);
    console.log(`names N+1 guard: assignments: 8 rows ran ${eight.statements} SQL statements (3 rows: ${three.statements})`);
  });
});
