/**
 * The customer page's read path (issue 14): a page of 50 customers with their scalar fields and their appointments
 * runs at most 3 SQL statements (session check, page, appointments) when it selects no totalCount; totalCount costs
 * its COUNT only when selected; cursors are issued only when read and still page correctly; and what the page
 * returns (values, the DateTimeISO and LocalDate formats, the rows a store-scoped user sees) is what the database
 * holds, read here by plain SQL as the database owner. The appointments a page selects are loaded with the page and
 * resolved without a promise per row; the answer (data, errors, their order and locations) is byte for byte the one
 * the field-by-field path gives (a directive on the field keeps that path), for every demo actor.
 */
import { statementCount } from '../../src/db/data-sources';
import { graphql } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { Actor, EMAIL } from '../support/actors';

const SCALARS = [
  'id', 'homeStoreId', 'firstName', 'lastName', 'dateOfBirth', 'sex', 'addressLine1', 'addressLine2', 'city',
  'postcode', 'country', 'phone', 'email', 'status', 'dataVerifiedAt', 'createdAt', 'updatedAt',
];
const PAGE = `query Page($first: Int!, $after: String) {
  customers(first: $first, after: $after) { edges { node { ${SCALARS.join(' ')} appointments { id storeId customerId startsAt endsAt status type createdAt } } } }
}`;
const COUNTED = `query Counted($first: Int!) { customers(first: $first) { totalCount edges { node { id } } } }`;
const CURSORS = `query Cursors($first: Int!, $after: String) {
  customers(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
}`;

type Node = Record<string, unknown> & { appointments: Record<string, unknown>[] };
interface PageData { customers: { edges: { node: Node }[] } }

/** A timestamp as the API's DateTimeISO gives it: UTC, milliseconds, Z. */
const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

describe('customer page read path', () => {
  let app: TestApp;
  let token: string;
  let chainId: string;
  beforeAll(async () => {
    app = await startTestApp({ anomalyCheckIntervalSeconds: 86_400 });
    token = await app.login(EMAIL.chainManager);
    const [chain] = await app.ownerCore.query(`SELECT id FROM chain WHERE name = 'Clearview Opticians'`);
    chainId = chain.id;
  });
  afterAll(() => app.stop());

  async function measured<T>(query: string, variables: Record<string, unknown>, as = token): Promise<{ statements: number; data: T }> {
    const before = statementCount(app.core) + statementCount(app.clinical);
    const result = await graphql<T>(app.url, query, variables, as);
    const statements = statementCount(app.core) + statementCount(app.clinical) - before;
    expect(result.errors).toBeUndefined();
    return { statements, data: result.data as T };
  }

  it('runs at most 3 statements for 50 customers with their appointments, and returns what the database holds', async () => {
    await measured(PAGE, { first: 1 }); // warm-up: the first request builds the caller's ability
    const { statements, data } = await measured<PageData>(PAGE, { first: 50 });
    expect(statements).toBeLessThanOrEqual(3);

    const customers: Record<string, unknown>[] = await app.ownerCore.query(
      `SELECT id, home_store_id, first_name, last_name, to_char(date_of_birth, 'YYYY-MM-DD') AS dob, sex, address_line1, address_line2,
              city, postcode, country, phone, email, status, data_verified_at, created_at, updated_at
         FROM customer WHERE chain_id = $1 AND status <> 'ERASED' ORDER BY id LIMIT 50`, [chainId]);
    const expected = customers.map((c) => ({
      id: c.id, homeStoreId: c.home_store_id, firstName: c.first_name, lastName: c.last_name, dateOfBirth: c.dob, sex: c.sex,
      addressLine1: c.address_line1, addressLine2: c.address_line2, city: c.city, postcode: c.postcode, country: c.country,
      phone: c.phone, email: c.email, status: c.status, dataVerifiedAt: iso(c.data_verified_at as Date | null),
      createdAt: iso(c.created_at as Date), updatedAt: iso(c.updated_at as Date),
    }));
    const nodes = data.customers.edges.map((e) => e.node);
    expect(nodes.map(({ appointments: _a, ...scalars }) => scalars)).toEqual(expected);

    const appointments: Record<string, unknown>[] = await app.ownerCore.query(
      `SELECT id, store_id, customer_id, starts_at, ends_at, status, type, created_at FROM appointment
        WHERE customer_id = ANY($1::uuid[]) ORDER BY starts_at DESC, id`, [expected.map((c) => c.id)]);
    expect(appointments.length).toBeGreaterThan(0);
    for (const node of nodes) {
      const own = appointments.filter((a) => a.customer_id === node.id).map((a) => ({
        id: a.id, storeId: a.store_id, customerId: a.customer_id, startsAt: iso(a.starts_at as Date), endsAt: iso(a.ends_at as Date),
        status: a.status, type: a.type, createdAt: iso(a.created_at as Date),
      }));
      expect(node.appointments).toEqual(own);
    }
  });

  it('counts only when totalCount is selected, and counts the visible rows', async () => {
    const without = await measured(PAGE.replace('appointments {', 'a: appointments {'), { first: 5 });
    const { statements, data } = await measured<{ customers: { totalCount: number } }>(COUNTED, { first: 5 });
    const [{ n }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM customer WHERE chain_id = $1 AND status <> 'ERASED'`, [chainId]);
    expect(data.customers.totalCount).toBe(n);
    // Session check, page and COUNT: one more than a page without appointments and without totalCount (session, page, appointments).
    expect(statements).toBe(without.statements);
  });

  it('issues cursors that page through every visible customer of a store-scoped user exactly once', async () => {
    const leeds = await app.login(EMAIL.leedsManager);
    const expected: string[] = (await app.ownerCore.query(
      `SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id
        WHERE c.chain_id = $1 AND s.name ILIKE '%Leeds%' AND c.status <> 'ERASED' ORDER BY c.id`, [chainId])).map((r: { id: string }) => r.id);
    expect(expected.length).toBeGreaterThan(7);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page += 1) {
      type Cursors = { customers: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } } };
      const result: { statements: number; data: Cursors } = await measured<Cursors>(CURSORS, { first: 7, after }, leeds);
      const { edges, pageInfo }: Cursors['customers'] = result.data.customers;
      expect(pageInfo.hasPreviousPage).toBe(after !== null);
      expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
      expect(pageInfo.endCursor).toBe(edges[edges.length - 1]?.cursor ?? null);
      seen.push(...edges.map((e) => e.node.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('answers a page whose appointments are loaded with it exactly as the field-by-field path does, for every actor', async () => {
    // Same text, same columns: `@skip(if: false)` keeps the field-by-field path (a directive is never prefetched).
    const fieldByField = PAGE.replace('appointments {', 'appointments @skip(if: false) {');
    const prefetched = PAGE.replace('appointments {', 'appointments                  {');
    const raw = async (query: string, as: string): Promise<{ statements: number; body: string }> => {
      const before = statementCount(app.core) + statementCount(app.clinical);
      const response = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` },
        body: JSON.stringify({ query, variables: { first: 50 } }),
      });
      const body = await response.text();
      return { statements: statementCount(app.core) + statementCount(app.clinical) - before, body };
    };
    const actors: Actor[] = ['chainManager', 'northManager', 'leedsManager', 'leedsOptometrist', 'locum', 'leedsAssistant', 'leedsReception', 'dpo', 'bi', 'lakesideManager'];
    let withErrors = 0;
    for (const actor of actors) {
      const as = await app.login(EMAIL[actor]);
      const expected = await raw(fieldByField, as);
      const actual = await raw(prefetched, as);
      expect({ actor, body: actual.body }).toEqual({ actor, body: expected.body });
      expect(actual.statements).toBeLessThanOrEqual(expected.statements);
      const parsed = JSON.parse(actual.body) as { data?: PageData | null; errors?: unknown[] };
      if (parsed.errors?.length) withErrors += 1;
      if (parsed.data?.customers.edges.some((e) => e.node.appointments?.length)) expect(actual.statements).toBeLessThanOrEqual(3);
    }
    // The comparison covered refusals too (field-restricted actors get FORBIDDEN errors on this page).
    expect(withErrors).toBeGreaterThan(0);
  });

  it('gives every timestamp as toISOString() gives it: milliseconds truncated, years outside 1-9999 included', async () => {
    const [a, b, c] = (await app.ownerCore.query(
      `SELECT id, data_verified_at FROM customer WHERE chain_id = $1 AND status <> 'ERASED' ORDER BY id LIMIT 3`, [chainId])) as { id: string; data_verified_at: Date | null }[];
    const values = ['2026-01-02 03:04:05.999999+00', '10000-01-01 00:00:00.5+00', '0044-03-15 12:00:00+00 BC'];
    try {
      for (const [i, row] of [a, b, c].entries()) await app.ownerCore.query('UPDATE customer SET data_verified_at = $2 WHERE id = $1', [row.id, values[i]]);
      const held: { id: string; data_verified_at: Date }[] = await app.ownerCore.query(
        'SELECT id, data_verified_at FROM customer WHERE id = ANY($1::uuid[]) ORDER BY id', [[a.id, b.id, c.id]]);
      const { data } = await measured<{ customers: { edges: { node: { id: string; dataVerifiedAt: string } }[] } }>(
        'query($first: Int!) { customers(first: $first) { edges { node { id dataVerifiedAt } } } }', { first: 3 },
        await app.login(EMAIL.chainManager)); // a fresh session: the test above signed every actor in again
      expect(data.customers.edges.map((e) => e.node)).toEqual(held.map((h) => ({ id: h.id, dataVerifiedAt: h.data_verified_at.toISOString() })));
      expect(data.customers.edges[0].node.dataVerifiedAt).toBe('2026-01-02T03:04:05.999Z');
    } finally {
      for (const row of [a, b, c]) await app.ownerCore.query('UPDATE customer SET data_verified_at = $2 WHERE id = $1', [row.id, row.data_verified_at]);
    }
  });
});
