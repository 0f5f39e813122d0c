/**
 * Attack on the customer data export (issue 12), through the real server: odd requests from a signed-in DPO
 * (bad ids, odd encodings, repeated or empty parameters, a request of another type, closed or another customer's,
 * odd tokens and methods) never get a 5xx, and none of them is logged as an export.
 */
import { signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { exportBase, makeDataRequest, richLeedsCustomer } from '../customer-export/export-support';

describe('attack: odd export requests never get a 5xx', () => {
  let app: TestApp;
  let as: Record<'dpo', SignedInClient>;
  let customer: { id: string; chainId: string; homeStoreId: string };
  let dpoId: string;
  let erasure: string;
  let otherCustomers: string;
  let closed: string;

  beforeAll(async () => {
    app = await startTestApp();
    as = await signInAll(app, ['dpo']);
    customer = await richLeedsCustomer(app);
    [{ id: dpoId }] = await app.ownerCore.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`);
    erasure = await makeDataRequest(app, customer.chainId, customer.id, customer.homeStoreId, 'ERASURE', dpoId);
    const [{ id: other }] = await app.ownerCore.query('SELECT id FROM customer WHERE chain_id = $1 AND id <> $2 AND home_store_id = $3 LIMIT 1',
      [customer.chainId, customer.id, customer.homeStoreId]);
    otherCustomers = await makeDataRequest(app, customer.chainId, other, customer.homeStoreId, 'ACCESS', dpoId);
    closed = await makeDataRequest(app, customer.chainId, customer.id, customer.homeStoreId, 'ACCESS', dpoId);
    await app.ownerCore.query(`UPDATE data_request SET status = 'WITHDRAWN' WHERE id = $1`, [closed]);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('answers each with a 4xx', async () => {
    const id = customer.id;
    const paths = [
      `${id}?format=xml&dataRequestId=${erasure}`, `${id}?format=json&dataRequestId=${otherCustomers}`, `${id}?format=json&dataRequestId=${closed}`,
      `${id}?format=json&dataRequestId=00000000-0000-0000-0000-000000000000`, `${id}?format=json&dataRequestId=`, `${id}?format=json&dataRequestId=${id}`,
      `${id.toUpperCase()}?format=JSON`, `${id}?format=xml&format=xml`, `${id}?format=`, `${id}?`, `${id}/?format=xml`, `${id}%00?format=xml`,
      `%E0%A4%A?format=xml`, `${'9'.repeat(5000)}?format=xml`, `${id}?format=xml&${'a'.repeat(3000)}=1`, `${id}?format=x%00ml`,
      `${id}?format=xml&dataRequestId=${erasure}&dataRequestId=${erasure}`, `..%2F..%2Fgraphql?format=xml`, `${id}?format=json&__proto__=1`,
      `${id}?format=json&constructor=1`, `00000000-0000-0000-0000-000000000000?format=json`,
    ];
    const statuses: Record<string, number> = {};
    for (const path of paths) {
      const response = await fetch(`${exportBase(app)}/exports/customers/${path}`, { headers: { authorization: `Bearer ${as.dpo.token}` } });
      await response.text();
      statuses[path.slice(0, 80)] = response.status;
    }
    const tokens = ['', 'Bearer', 'Bearer ', `Bearer ${'x'.repeat(10000)}`, 'Basic Zm9vOmJhcg==', `bearer ${as.dpo.token}`, `Bearer ${as.dpo.token} extra`];
    for (const authorization of tokens) {
      const response = await fetch(`${exportBase(app)}/exports/customers/${id}?format=json`, { headers: { authorization } });
      await response.text();
      statuses[`auth:${authorization.slice(0, 30)}`] = response.status;
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']) {
      const response = await fetch(`${exportBase(app)}/exports/customers/${id}?format=json`, { method, headers: { authorization: `Bearer ${as.dpo.token}` } });
      await response.text();
      statuses[`method:${method}`] = response.status;
    }
    expect(Object.entries(statuses).filter(([, status]) => status >= 500)).toEqual([]);
    expect(statuses[`${id}?format=xml&dataRequestId=${erasure}`.slice(0, 80)]).toBe(400);
    expect(statuses[`${id}?format=json&dataRequestId=${otherCustomers}`.slice(0, 80)]).toBe(404);
    expect(statuses[`${id}?format=json&dataRequestId=${closed}`.slice(0, 80)]).toBe(400);
    const exported = await app.ownerCore.query('SELECT format, completed FROM customer_data_export WHERE user_id = $1', [dpoId]);
    // None of them exported (format is xml or json, lower case; every other one is refused before anything is read).
    expect(exported).toEqual([]);
  });
});
