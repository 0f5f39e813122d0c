/**
 * Hardening of the API surface: NUL characters and GraphQL's own coercion errors answer
 * BAD_USER_INPUT naming the field; query limits refuse alias fan-out and oversized documents before
 * anything runs; lists are never ordered by a field the caller may not read.
 */
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { QUERY_LIMITS } from '../../src/server/query-limits';
import { EMAIL } from '../support/actors';

const MANAGER = EMAIL.leedsManager;

describe('API hardening', () => {
  let app: TestApp;
  let token: string;
  let leedsId: string;
  let customerId: string;

  beforeAll(async () => {
    app = await startTestApp();
    token = await app.login(MANAGER);
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    [{ id: customerId }] = await app.core.query('SELECT id FROM customer WHERE home_store_id = $1 ORDER BY id LIMIT 1', [leedsId]);
  });
  afterAll(() => app.stop());

  it('refuses a NUL character in a variable with BAD_USER_INPUT naming its path, and writes nothing', async () => {
    const [before] = await app.core.query('SELECT city, updated_at FROM customer WHERE id = $1', [customerId]);
    const result = await app.request('mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { city } }',
      { id: customerId, input: { city: 'Le\u0000eds' } }, token);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].extensions?.field).toBe('input.city');
    expect(await app.core.query('SELECT city, updated_at FROM customer WHERE id = $1', [customerId])).toEqual([before]);
  });

  it('refuses a NUL character in an inline argument', async () => {
    const result = await app.request(`{ customers(first: 1, search: "a\\u0000b") { totalCount } }`, {}, token);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].extensions?.field).toBe('search');
  });

  it('names the field when GraphQL itself rejects a value (bad date, bad enum)', async () => {
    const badDate = await app.request('mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { homeStoreId: leedsId, firstName: 'A', lastName: 'B', dateOfBirth: '2020-13-45' } }, token);
    expect(errorCodes(badDate)).toEqual(['BAD_USER_INPUT']);
    expect(badDate.errors?.[0].extensions?.field).toBe('input.dateOfBirth');
    const badEnum = await app.request('mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { homeStoreId: leedsId, firstName: 'A', lastName: 'B', dateOfBirth: '1990-01-01', sex: 'X' } }, token);
    expect(errorCodes(badEnum)).toEqual(['BAD_USER_INPUT']);
    expect(badEnum.errors?.[0].extensions?.field).toBe('input.sex');
  });

  it(`refuses more than ${QUERY_LIMITS.maxAliases} aliases before running anything`, async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_v, i) => `a${i}: customers(first: 100) { totalCount }`).join(' ');
    const result = await app.request(`{ ${aliases} }`, {}, token);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0].message).toMatch(/alias/i);
    const allowed = Array.from({ length: QUERY_LIMITS.maxAliases }, (_v, i) => `a${i}: me { id }`).join(' ');
    expect((await app.request(`{ ${allowed} }`, {}, token)).errors).toBeUndefined();
  });

  it('refuses an oversized document', async () => {
    const result = await app.request(`{ me { ${'id '.repeat(QUERY_LIMITS.maxTokens)} } }`, {}, token);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.length).toBeGreaterThan(0);
  });

  it('orders a nested list by id, not by a date the caller may not read', async () => {
    // A role that may see examinations (id and status) but not when they happened.
    const [{ chain_id: chainId }] = await app.core.query('SELECT chain_id FROM store WHERE id = $1', [leedsId]);
    const [{ id: roleId }] = await app.core.query(
      `INSERT INTO role (chain_id, name, description) VALUES ($1, 'Exam status only', '') RETURNING id`, [chainId]);
    await app.core.query(
      `INSERT INTO role_permission (role_id, action, subject, fields) VALUES ($1, 'read', 'Customer', NULL), ($1, 'read', 'Examination', '{id,status}')`, [roleId]);
    const [{ id: userId }] = await app.core.query(
      `INSERT INTO staff_user (chain_id, name, email, profession, password_hash)
       SELECT chain_id, 'Status Reader', 'status.reader@clearview.example', 'MANAGER', password_hash FROM staff_user WHERE email = $1 RETURNING id`, [MANAGER]);
    await app.core.query(`INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type, store_id) VALUES ($1, $2, $3, 'STORE', $4)`, [chainId, userId, roleId, leedsId]);
    // Two examinations whose date order is the reverse of their id order.
    await app.clinical.query(
      `INSERT INTO examination (id, chain_id, store_id, customer_id, practitioner_id, examined_at, status) VALUES
       ('00000000-0000-4000-8000-000000000001', $1, $2, $3, $4, now() - interval '10 days', 'SIGNED'),
       ('ffffffff-ffff-4fff-bfff-ffffffffffff', $1, $2, $3, $4, now() - interval '1 day', 'SIGNED')`,
      [chainId, leedsId, customerId, userId],
    );
    const query = 'query($id: ID!) { customer(id: $id) { examinations { id } } }';
    const restricted = await app.request<{ customer: { examinations: { id: string }[] } }>(query, { id: customerId }, await app.login('status.reader@clearview.example'));
    expect(restricted.errors).toBeUndefined();
    const ids = restricted.data!.customer.examinations.map((e) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(ids).toEqual([...ids].sort());
    const full = await app.request<{ customer: { examinations: { id: string; examinedAt: string }[] } }>(
      'query($id: ID!) { customer(id: $id) { examinations { id examinedAt } } }', { id: customerId }, await app.login(EMAIL.leedsOptometrist));
    const dates = full.data!.customer.examinations.map((e) => e.examinedAt);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('an empty field list in a role grants no field', async () => {
    const [{ chain_id: chainId }] = await app.core.query('SELECT chain_id FROM store WHERE id = $1', [leedsId]);
    await app.core.query(
      `INSERT INTO role_permission (role_id, action, subject, fields) SELECT id, 'read', 'Customer', '{}' FROM role WHERE chain_id = $1 AND name = 'Receptionist'`, [chainId]);
    const result = await app.request<{ customer: { firstName: string; dateOfBirth: string | null } }>(
      'query($id: ID!) { customer(id: $id) { firstName dateOfBirth } }', { id: customerId }, await app.login(EMAIL.leedsReception));
    expect(result.data?.customer.firstName).toBeTruthy();
    expect(result.data?.customer.dateOfBirth).toBeNull();
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  });
});

describe('page cursors', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('disclose nothing: no customer id can be read out of a cursor, and altered cursors are refused', async () => {
    const token = await app.login(EMAIL.chainManager);
    const page = await app.request<{ customers: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { endCursor: string } } }>(
      '{ customers(first: 3) { edges { cursor node { id } } pageInfo { endCursor } } }', {}, token);
    for (const edge of page.data!.customers.edges) {
      const decoded = Buffer.from(edge.cursor, 'base64url').toString('latin1');
      expect(decoded).not.toContain(edge.node.id);
      expect(edge.cursor).not.toContain(edge.node.id);
    }
    const next = await app.request<{ customers: { edges: { node: { id: string } }[] } }>(
      'query($after: String) { customers(first: 3, after: $after) { edges { node { id } } } }', { after: page.data!.customers.pageInfo.endCursor }, token);
    expect(next.errors).toBeUndefined();
    expect(next.data!.customers.edges[0].node.id > page.data!.customers.edges[2].node.id).toBe(true);
    const forged = Buffer.from(`c:${page.data!.customers.edges[0].node.id}`).toString('base64url');
    const refused = await app.request('query($after: String) { customers(first: 3, after: $after) { totalCount } }', { after: forged }, token);
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0].extensions?.field).toBe('after');
  });
});
