/**
 * GET /exports/marketing-list through the real server: CSV and NDJSON parsed and compared with the list
 * re-derived from the domain text (list-oracle.ts) and with the GraphQL manifest; the columns per role (a field
 * not readable at a row's store is empty, or left out of its NDJSON object); 401, 403, 400 (naming the
 * parameter), 404 and 405; every export logged; streamed rows counting toward the BULK_EXPORTS alert.
 */
import { randomUUID } from 'node:crypto';
import { Actors, CM } from '../support/manager-actors';
import { EMAIL } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { expectedList, parseCsv } from './list-oracle';

interface Answer { status: number; text: string; headers: Headers }

describe('GET /exports/marketing-list', () => {
  let app: TestApp;
  let actors: Actors;
  let base: string;
  let chainId: string;
  let stores: Record<string, string>;
  let allStores: string[];

  async function get(search: string, token?: string | null): Promise<Answer> {
    const response = await fetch(`${base}/exports/marketing-list${search}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  async function as(email: string, search: string): Promise<Answer> {
    return get(search, await actors.token(email));
  }

  beforeAll(async () => {
    app = await startTestApp({ anomalyCheckIntervalSeconds: 0 });
    actors = new Actors(app);
    base = app.url.replace(/\/graphql$/, '');
    const demo = await actors.demo();
    chainId = demo.chainId;
    stores = demo.stores;
    allStores = Object.values(stores);
    // A customer whose name needs CSV quoting and JSON escaping.
    const id = randomUUID();
    await app.ownerCore.query(
      `INSERT INTO customer (id, chain_id, home_store_id, first_name, last_name, date_of_birth, email, address_line1, address_line2, postcode)
       VALUES ($1, $2, $3, 'Zoë "Zed"', 'O''Neil, Jr', '1970-05-06', 'zoe@example.test', E'Flat 2\\nMill Lane', E'Rear\\t\\\\ 北', 'LS2 2BB')`,
      [id, chainId, stores.Leeds],
    );
    await app.ownerCore.query(
      `INSERT INTO consent (chain_id, customer_id, channel, granted, changed_at, actor, source, wording_version) VALUES ($1, $2, 'EMAIL', TRUE, now(), 'STAFF', 'IN_STORE', '2024-01')`,
      [chainId, id],
    );
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('streams CSV: the readable columns, the list in id order, the manifest in X-Visus-Manifest', async () => {
    const expected = await expectedList(app.ownerCore, app.config.suppressionKey, chainId, 'EMAIL', allStores);
    const answer = await as(CM, '?channel=EMAIL&format=csv');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const manifest = JSON.parse(answer.headers.get('x-visus-manifest')!);
    expect(manifest).toMatchObject({ channel: 'EMAIL', considered: expected.considered, included: expected.included.length, excluded: expected.excluded, contentHash: expected.contentHash });
    const [header, ...rows] = parseCsv(answer.text);
    expect(header).toEqual(['id', 'firstName', 'lastName', 'dateOfBirth', 'sex', 'addressLine1', 'addressLine2', 'city', 'postcode', 'country', 'phone',
      'email', 'homeStoreId', 'status', 'dataVerifiedAt', 'createdAt', 'updatedAt']);
    expect(rows.map((row) => row[0])).toEqual(expected.included);
    const zoe = rows.find((row) => row[1] === 'Zoë "Zed"')!;
    expect(zoe.slice(2, 7)).toEqual(['O\'Neil, Jr', '1970-05-06', 'UNKNOWN', 'Flat 2\nMill Lane', 'Rear\t\\ 北']);
    expect(zoe[15]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    // The same manifest as the GraphQL query's.
    const graphql = await actors.ok<{ marketingList: { manifest: Record<string, unknown> } }>(CM,
      '{ marketingList(channel: EMAIL, first: 1) { manifest { channel rules considered included excluded { rule count } contentHash } } }');
    expect({ ...manifest, takenAt: undefined }).toEqual({ ...graphql.marketingList.manifest, takenAt: undefined });
  });

  it('streams NDJSON: one object per customer with the fields readable there, the manifest last', async () => {
    const expected = await expectedList(app.ownerCore, app.config.suppressionKey, chainId, 'EMAIL', allStores);
    const answer = await as(EMAIL.bi, '?channel=EMAIL&format=ndjson');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = answer.text.split('\n');
    expect(lines.pop()).toBe('');
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const { manifest } = objects.pop() as { manifest: Record<string, unknown> };
    expect(manifest).toMatchObject({ included: expected.included.length, contentHash: expected.contentHash, excluded: expected.excluded });
    expect(objects.map((o) => o.id)).toEqual(expected.included);
    // The BI service account's 12 fields, no more (no date of birth, sex or timestamps).
    expect(Object.keys(objects[0]).sort()).toEqual(['addressLine1', 'addressLine2', 'city', 'country', 'email', 'firstName', 'homeStoreId', 'id', 'lastName', 'phone', 'postcode', 'status']);
    expect(objects.find((o) => o.firstName === 'Zoë "Zed"')).toMatchObject({ lastName: 'O\'Neil, Jr', addressLine1: 'Flat 2\nMill Lane', addressLine2: 'Rear\t\\ 北', city: null });
    const header = JSON.parse(answer.headers.get('x-visus-manifest')!);
    expect(header).toEqual(manifest);
  });

  it('leaves a field empty (CSV) or out (NDJSON) where the caller may not read it at that row’s store', async () => {
    const email = 'export.no-email@clearview.example';
    const userId = await actors.makeStaff(email, 'Eli Export');
    await actors.giveRole(userId, 'Export without email', [{ action: 'export', subject: 'MarketingList' }, { action: 'read', subject: 'Customer', fields: ['id', 'lastName', 'homeStoreId'] }]);
    await actors.giveRole(userId, 'York email', [{ action: 'read', subject: 'Customer', fields: ['email'] }], { scopeType: 'STORE', storeId: stores.York });
    const csv = parseCsv((await as(email, '?channel=EMAIL&format=csv')).text);
    expect(csv[0]).toEqual(['id', 'lastName', 'email', 'homeStoreId']);
    const rows = csv.slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const [, , mail, store] of rows) expect(mail === '').toBe(store !== stores.York);
    expect(rows.some(([, , , store]) => store === stores.York)).toBe(true);
    const ndjson = (await as(email, '?channel=EMAIL&format=ndjson')).text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    ndjson.pop();
    for (const o of ndjson) expect('email' in o).toBe(o.homeStoreId === stores.York);
  });

  it('narrows by storeId (repeatable) and answers 404 for a store outside the list scope', async () => {
    const expected = await expectedList(app.ownerCore, app.config.suppressionKey, chainId, 'SMS', [stores.Leeds, stores.York]);
    const answer = await as(EMAIL.northManager, `?channel=SMS&format=ndjson&storeId=${stores.Leeds}&storeId=${stores.York}`);
    expect(answer.status).toBe(200);
    const objects = answer.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    objects.pop();
    expect(objects.map((o) => o.id)).toEqual(expected.included);
    const outside = await as(EMAIL.northManager, `?channel=SMS&format=csv&storeId=${stores.Bath}`);
    expect(outside.status).toBe(404);
    expect(JSON.parse(outside.text).errors[0].extensions).toEqual({ code: 'NOT_FOUND', parameter: 'storeId' });
    expect((await as(EMAIL.northManager, `?channel=SMS&format=csv&storeId=${randomUUID()}`)).status).toBe(404);
  });

  it('refuses: 401 without or with a bad token, 403 without export MarketingList, 400 naming the parameter, 405 other methods', async () => {
    expect((await get('?channel=EMAIL&format=csv')).status).toBe(401);
    const bad = await get('?channel=EMAIL&format=csv', 'not-a-session');
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const who of [EMAIL.leedsManager, EMAIL.leedsReception]) {
      const forbidden = await as(who, '?channel=EMAIL&format=csv');
      expect(forbidden.status).toBe(403);
      expect(JSON.parse(forbidden.text).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const cases: [string, string][] = [
      ['?format=csv', 'channel'], ['?channel=FAX&format=csv', 'channel'], ['?channel=EMAIL&channel=SMS&format=csv', 'channel'],
      ['?channel=EMAIL', 'format'], ['?channel=EMAIL&format=xml', 'format'], ['?channel=EMAIL&format=csv&storeId=leeds', 'storeId'],
      ['?channel=EMAIL&format=csv&storeid=x', 'storeid'],
    ];
    for (const [search, parameter] of cases) {
      const answer = await as(CM, search);
      expect({ search, status: answer.status }).toEqual({ search, status: 400 });
      expect(JSON.parse(answer.text).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', parameter });
    }
    const post = await fetch(`${base}/exports/marketing-list?channel=EMAIL&format=csv`, { method: 'POST', headers: { authorization: `Bearer ${await actors.token(CM)}` } });
    expect(post.status).toBe(405);
  });

  it('logs every export (who, when, filter, format, rows, manifest hash, completed) and counts streamed rows toward BULK_EXPORTS', async () => {
    const email = 'bi.second@clearview.example';
    const biId = await actors.makeStaff(email, 'Second BI');
    await actors.giveRole(biId, 'Second BI', [{ action: 'export', subject: 'MarketingList' }, { action: 'read', subject: 'Customer', fields: ['id', 'email'] }]);
    await app.ownerCore.query(`INSERT INTO audit_settings (chain_id, anomaly_export_customers) VALUES ($1, 5)
      ON CONFLICT (chain_id) DO UPDATE SET anomaly_export_customers = 5`, [chainId]);
    const answer = await as(email, `?channel=EMAIL&format=csv&storeId=${stores.Bristol}`);
    expect(answer.status).toBe(200);
    const manifest = JSON.parse(answer.headers.get('x-visus-manifest')!);
    expect(manifest.included).toBeGreaterThan(5);
    await waitFor(async () => (await app.ownerCore.query(`SELECT 1 FROM marketing_list_export WHERE user_id = $1 AND route = 'STREAM'`, [biId])).length > 0);
    const [row] = await app.ownerCore.query(
      `SELECT route, channel::text, store_ids::text[] AS store_ids, format, row_count, manifest_hash, completed, session_id::text, client_address
         FROM marketing_list_export WHERE user_id = $1 AND route = 'STREAM' ORDER BY occurred_at DESC LIMIT 1`, [biId]);
    expect(row).toEqual({
      route: 'STREAM', channel: 'EMAIL', store_ids: [stores.Bristol], format: 'csv', row_count: manifest.included,
      manifest_hash: manifest.contentHash, completed: true, session_id: expect.any(String), client_address: expect.any(String),
    });
    await waitFor(async () => {
      await app.app.anomalies.drain();
      return (await app.ownerCore.query(`SELECT 1 FROM security_event WHERE user_id = $1 AND kind = 'BULK_EXPORTS'`, [biId])).length > 0;
    });
    const [event] = await app.ownerCore.query(`SELECT observed_count, threshold FROM security_event WHERE user_id = $1 AND kind = 'BULK_EXPORTS'`, [biId]);
    expect(event).toEqual({ observed_count: manifest.included, threshold: 5 });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
