/**
 * Cross-store and cross-chain isolation through the real GraphQL API: lists, counts, paging,
 * search and the store filter only ever cover the caller's scope; single lookups, nested relations
 * and mutations treat rows outside it (or in another chain) as NOT_FOUND, and write nothing.
 */
import { randomUUID } from 'node:crypto';
import { errorCodes, GraphQLErrorShape, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';

const CLEARVIEW = 'Clearview Opticians';
const LAKESIDE = 'Lakeside Eyecare';

const U = {
  chain: EMAIL.chainManager,
  north: EMAIL.northManager,
  leedsManager: EMAIL.leedsManager,
  leedsOptometrist: EMAIL.leedsOptometrist,
  leedsAssistant: EMAIL.leedsAssistant,
  leedsReception: EMAIL.leedsReception,
  locum: EMAIL.locum,
  lakeside: EMAIL.lakesideManager,
};

const LIST = `query List($first: Int, $after: String, $search: String, $storeId: ID) {
  customers(first: $first, after: $after, search: $search, storeId: $storeId) {
    totalCount
    edges { cursor node { id homeStoreId } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

interface ListData {
  customers: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; homeStoreId: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  };
}

interface Listed {
  totalCount: number;
  nodes: { id: string; homeStoreId: string }[];
  pages: number;
}

const sorted = (values: string[]): string[] => [...values].sort();

describe('cross-store and cross-chain isolation', () => {
  let app: TestApp;
  const stores: Record<string, string> = {};
  const chains: Record<string, string> = {};

  /** One sign-in per user: a new login would end that user's previous session. */
  const { tokenOf: as } = sessionsFor(() => app);

  async function ids(sql: string, params: unknown[] = []): Promise<string[]> {
    const rows: { id: string }[] = await app.core.query(sql, params);
    return rows.map((r) => r.id);
  }

  const customersAt = (...storeNames: string[]): Promise<string[]> =>
    ids('SELECT id FROM customer WHERE home_store_id = ANY($1) ORDER BY id', [storeNames.map((n) => stores[n])]);

  const customersOfChain = (chainName: string): Promise<string[]> =>
    ids('SELECT id FROM customer WHERE chain_id = $1 ORDER BY id', [chains[chainName]]);

  /** Pages through the whole list with first/after; asserts every page is error-free and consistent. */
  async function listAll(email: string, args: { search?: string; storeId?: string } = {}, first = 100): Promise<Listed> {
    const token = await as(email);
    const nodes: Listed['nodes'] = [];
    let after: string | null = null;
    let totalCount = -1;
    let pages = 0;
    for (;;) {
      const result: GraphQLResult<ListData> = await app.request<ListData>(LIST, { ...args, first, after }, token);
      expect(result.errors).toBeUndefined();
      const page = result.data!.customers;
      if (totalCount === -1) totalCount = page.totalCount;
      expect(page.totalCount).toBe(totalCount);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(page.edges.length).toBeLessThanOrEqual(first);
      nodes.push(...page.edges.map((e) => e.node));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      expect(page.edges.length).toBe(first);
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(50);
    }
    return { totalCount, nodes, pages };
  }

  function errorAt(result: GraphQLResult<unknown>, path: (string | number)[]): GraphQLErrorShape | undefined {
    return (result.errors ?? []).find((e) => JSON.stringify(e.path) === JSON.stringify(path));
  }

  async function customerRow(id: string): Promise<Record<string, unknown>> {
    const [row] = await app.core.query('SELECT * FROM customer WHERE id = $1', [id]);
    return row;
  }

  /** A customer of `storeName` with at least one examination recorded at their home store. */
  async function customerWithExamAt(storeName: string): Promise<string> {
    const candidates = await customersAt(storeName);
    const rows: { customer_id: string }[] = await app.clinical.query(
      'SELECT customer_id FROM examination WHERE customer_id = ANY($1) AND store_id = $2 ORDER BY customer_id LIMIT 1',
      [candidates, stores[storeName]],
    );
    expect(rows).toHaveLength(1);
    return rows[0].customer_id;
  }

  beforeAll(async () => {
    app = await startTestApp();
    for (const row of (await app.core.query('SELECT id, name FROM store')) as { id: string; name: string }[]) stores[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, name FROM chain')) as { id: string; name: string }[]) chains[row.name] = row.id;
    const [{ id: leeds }] = await app.core.query("SELECT id FROM store WHERE name = 'Leeds'");
    expect(stores.Leeds).toBe(leeds);
    expect(Object.keys(stores).sort()).toEqual(['Bath', 'Bristol', 'Harrogate', 'Keswick', 'Leeds', 'York']);
  });
  afterAll(() => app.stop());

  describe('lists', () => {
    it.each([U.leedsReception, U.leedsOptometrist, U.leedsManager, U.leedsAssistant])('%s sees only Leeds customers, and counts only them', async (email) => {
      const expected = await customersAt('Leeds');
      expect(expected.length).toBeGreaterThan(0);
      const listed = await listAll(email);
      expect(listed.totalCount).toBe(expected.length);
      for (const node of listed.nodes) expect(node.homeStoreId).toBe(stores.Leeds);
      expect(sorted(listed.nodes.map((n) => n.id))).toEqual(sorted(expected));
    });

    it('the regional manager sees exactly Leeds, York and Harrogate', async () => {
      const expected = await customersAt('Leeds', 'York', 'Harrogate');
      const [{ count }] = await app.core.query(
        "SELECT count(*)::int AS count FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name IN ('Leeds', 'York', 'Harrogate')",
      );
      expect(expected).toHaveLength(count);
      const listed = await listAll(U.north);
      expect(listed.totalCount).toBe(count);
      const north = new Set([stores.Leeds, stores.York, stores.Harrogate]);
      for (const node of listed.nodes) expect(north.has(node.homeStoreId)).toBe(true);
      expect(new Set(listed.nodes.map((n) => n.homeStoreId))).toEqual(north);
      expect(sorted(listed.nodes.map((n) => n.id))).toEqual(sorted(expected));
    });

    it('the chain manager sees every Clearview customer and none of Lakeside', async () => {
      const clearview = await customersOfChain(CLEARVIEW);
      const lakeside = new Set(await customersOfChain(LAKESIDE));
      expect(lakeside.size).toBeGreaterThan(0);
      const listed = await listAll(U.chain);
      expect(listed.totalCount).toBe(clearview.length);
      expect(sorted(listed.nodes.map((n) => n.id))).toEqual(sorted(clearview));
      for (const node of listed.nodes) {
        expect(lakeside.has(node.id)).toBe(false);
        expect(node.homeStoreId).not.toBe(stores.Keswick);
      }
    });

    it('the Lakeside manager sees only Lakeside customers', async () => {
      const lakeside = await customersOfChain(LAKESIDE);
      const listed = await listAll(U.lakeside);
      expect(listed.totalCount).toBe(lakeside.length);
      for (const node of listed.nodes) expect(node.homeStoreId).toBe(stores.Keswick);
      expect(sorted(listed.nodes.map((n) => n.id))).toEqual(sorted(lakeside));
    });

    it('paging with first/after walks the whole scope exactly once', async () => {
      for (const [email, first, expected] of [
        [U.chain, 37, await customersOfChain(CLEARVIEW)],
        [U.leedsReception, 25, await customersAt('Leeds')],
      ] as const) {
        const listed = await listAll(email, {}, first);
        const seen = listed.nodes.map((n) => n.id);
        expect(new Set(seen).size).toBe(seen.length); // no duplicates across pages
        expect(sorted(seen)).toEqual(sorted(expected));
        expect(listed.pages).toBe(Math.ceil(expected.length / first));
        expect(listed.totalCount).toBe(expected.length);
      }
    });
  });

  describe('a user with different roles in different stores (the locum)', () => {
    it('sees York and Bath customers only', async () => {
      const expected = await customersAt('York', 'Bath');
      const listed = await listAll(U.locum);
      expect(listed.totalCount).toBe(expected.length);
      expect(new Set(listed.nodes.map((n) => n.homeStoreId))).toEqual(new Set([stores.York, stores.Bath]));
      expect(sorted(listed.nodes.map((n) => n.id))).toEqual(sorted(expected));
    });

    it('reads date of birth and examinations at York but is refused date of birth at Bath, in one response', async () => {
      const york = await customerWithExamAt('York');
      const bath = await customerWithExamAt('Bath');
      const result = await app.request<{
        york: { id: string; firstName: string; dateOfBirth: string | null; examinations: { id: string; storeId: string }[] | null };
        bath: { id: string; firstName: string; phone: string; dateOfBirth: string | null };
      }>(
        `query($y: ID!, $b: ID!) {
          york: customer(id: $y) { id firstName dateOfBirth examinations { id storeId } }
          bath: customer(id: $b) { id firstName phone dateOfBirth }
        }`,
        { y: york, b: bath },
        await as(U.locum),
      );
      const [yorkRow, bathRow] = [await customerRow(york), await customerRow(bath)];
      // York (Optometrist): identity, date of birth and the examinations recorded at York.
      expect(result.data?.york.firstName).toBe(yorkRow.first_name);
      expect(result.data?.york.dateOfBirth).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
      const yorkExams: { id: string }[] = await app.clinical.query('SELECT id FROM examination WHERE customer_id = $1', [york]);
      expect(yorkExams.length).toBeGreaterThan(0);
      expect(sorted(result.data!.york.examinations!.map((e) => e.id))).toEqual(sorted(yorkExams.map((r) => r.id)));
      for (const exam of result.data!.york.examinations!) expect(exam.storeId).toBe(stores.York);
      expect(errorAt(result, ['york', 'dateOfBirth'])).toBeUndefined();
      expect(errorAt(result, ['york', 'examinations'])).toBeUndefined();
      // Bath (Receptionist): names and contact details resolve, the date of birth is refused.
      expect(result.data?.bath.id).toBe(bath);
      expect(result.data?.bath.firstName).toBe(bathRow.first_name);
      expect(result.data?.bath.phone).toBe(bathRow.phone);
      expect(result.data?.bath.dateOfBirth).toBeNull();
      const dobError = errorAt(result, ['bath', 'dateOfBirth']);
      expect(dobError?.extensions?.code).toBe('FORBIDDEN');
      expect(dobError?.message).toContain('dateOfBirth');
      const [{ dob }] = await app.core.query("SELECT to_char(date_of_birth, 'YYYY-MM-DD') AS dob FROM customer WHERE id = $1", [bath]);
      expect(JSON.stringify(result)).not.toContain(dob);
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    });

    it('is refused the examinations of a Bath customer (receptionist there), and sees none of them', async () => {
      const bath = await customerWithExamAt('Bath');
      const bathExams: { id: string }[] = await app.clinical.query('SELECT id FROM examination WHERE customer_id = $1', [bath]);
      expect(bathExams.length).toBeGreaterThan(0);
      const result = await app.request<{ bath: { id: string; lastName: string; examinations: { id: string }[] | null } }>(
        'query($b: ID!) { bath: customer(id: $b) { id lastName examinations { id } } }',
        { b: bath },
        await as(U.locum),
      );
      expect(result.data?.bath.id).toBe(bath);
      expect(result.data?.bath.lastName).toBe((await customerRow(bath)).last_name);
      // Never any Bath examination, whatever the shape of the refusal.
      const returned = (result.data?.bath.examinations ?? []).map((e) => e.id);
      for (const exam of bathExams) expect(returned).not.toContain(exam.id);
      // The examinations field is refused outright, like dateOfBirth, rather than answered with [].
      expect(result.data?.bath.examinations).toBeNull();
      expect(errorAt(result, ['bath', 'examinations'])?.extensions?.code).toBe('FORBIDDEN');
    });

    it('in a mixed page, every Bath customer has a FORBIDDEN dateOfBirth and every York one a date', async () => {
      const result = await app.request<{ customers: { edges: { node: { id: string; homeStoreId: string; lastName: string; dateOfBirth: string | null } }[] } }>(
        'query($first: Int) { customers(first: $first) { edges { node { id homeStoreId lastName dateOfBirth } } } }',
        { first: 100 },
        await as(U.locum),
      );
      const edges = result.data!.customers.edges;
      expect(edges.length).toBe(100);
      let bathCount = 0;
      edges.forEach(({ node }, i) => {
        expect(node.lastName).toEqual(expect.any(String));
        const error = errorAt(result, ['customers', 'edges', i, 'node', 'dateOfBirth']);
        if (node.homeStoreId === stores.Bath) {
          bathCount += 1;
          expect(node.dateOfBirth).toBeNull();
          expect(error?.extensions?.code).toBe('FORBIDDEN');
        } else {
          expect(node.homeStoreId).toBe(stores.York);
          expect(node.dateOfBirth).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
          expect(error).toBeUndefined();
        }
      });
      expect(bathCount).toBeGreaterThan(0);
      expect(bathCount).toBeLessThan(edges.length);
      expect(result.errors).toHaveLength(bathCount);
    });
  });

  describe('the storeId argument', () => {
    it('returns nothing and counts nothing for a store outside the caller’s scope', async () => {
      const yorkCount = (await customersAt('York')).length;
      expect(yorkCount).toBeGreaterThan(0);
      for (const [email, store] of [
        [U.leedsManager, stores.York],
        [U.leedsReception, stores.Bath],
        [U.north, stores.Bristol],
        [U.chain, stores.Keswick],
        [U.lakeside, stores.Leeds],
        [U.leedsOptometrist, randomUUID()],
      ] as const) {
        const result = await app.request<ListData>(LIST, { storeId: store, first: 100 }, await as(email));
        expect(result.errors).toBeUndefined();
        expect(result.data!.customers.totalCount).toBe(0);
        expect(result.data!.customers.edges).toEqual([]);
        expect(result.data!.customers.pageInfo.hasNextPage).toBe(false);
      }
    });

    it('limits an in-scope list to that store', async () => {
      const york = await customersAt('York');
      const listed = await listAll(U.north, { storeId: stores.York });
      expect(listed.totalCount).toBe(york.length);
      expect(sorted(listed.nodes.map((n) => n.id))).toEqual(sorted(york));
      // The locum: York through one role, Bath through another.
      const bath = await customersAt('Bath');
      const locumBath = await listAll(U.locum, { storeId: stores.Bath });
      expect(locumBath.totalCount).toBe(bath.length);
      for (const node of locumBath.nodes) expect(node.homeStoreId).toBe(stores.Bath);
    });

    it('refuses a malformed store id as bad input', async () => {
      const result = await app.request(LIST, { storeId: 'not-a-store' }, await as(U.leedsManager));
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0].extensions?.field).toBe('storeId');
      expect(result.data ?? null).toBeNull();
    });
  });

  describe('search', () => {
    it('finds nothing at another store, though the name exists there', async () => {
      // A last name held by a York customer that matches no Leeds customer on any searched column.
      const [candidate] = await app.core.query(
        `SELECT y.last_name AS term FROM customer y
          WHERE y.home_store_id = $1
            AND NOT EXISTS (SELECT 1 FROM customer l WHERE l.home_store_id = $2
              AND (l.first_name ILIKE '%' || y.last_name || '%' OR l.last_name ILIKE '%' || y.last_name || '%'
                OR l.email ILIKE '%' || y.last_name || '%' OR l.phone ILIKE '%' || y.last_name || '%'))
          ORDER BY y.last_name LIMIT 1`,
        [stores.York, stores.Leeds],
      );
      expect(candidate).toBeDefined();
      const term: string = candidate.term;
      const [{ count: yorkMatches }] = await app.core.query(
        `SELECT count(*)::int AS count FROM customer WHERE home_store_id = $1
           AND (first_name ILIKE $2 OR last_name ILIKE $2 OR email ILIKE $2 OR phone ILIKE $2)`,
        [stores.York, `%${term}%`],
      );
      expect(yorkMatches).toBeGreaterThan(0);
      for (const email of [U.leedsReception, U.leedsManager, U.leedsOptometrist, U.leedsAssistant]) {
        const result = await app.request<ListData>(LIST, { search: term }, await as(email));
        expect(result.errors).toBeUndefined();
        expect(result.data!.customers.totalCount).toBe(0);
        expect(result.data!.customers.edges).toEqual([]);
      }
      // Control: someone who sees York finds them.
      const north = await listAll(U.north, { search: term });
      expect(north.nodes.filter((n) => n.homeStoreId === stores.York)).toHaveLength(yorkMatches);
      // Another chain never finds them.
      const lakeside = await app.request<ListData>(LIST, { search: term }, await as(U.lakeside));
      for (const edge of lakeside.data!.customers.edges) expect(edge.node.homeStoreId).toBe(stores.Keswick);
    });

    it('results are always within scope and counted in scope', async () => {
      for (const [email, storeNames] of [
        [U.leedsReception, ['Leeds']],
        [U.locum, ['York', 'Bath']],
        [U.north, ['Leeds', 'York', 'Harrogate']],
      ] as const) {
        for (const term of ['a', 'example.com', '07700']) {
          const [{ count }] = await app.core.query(
            `SELECT count(*)::int AS count FROM customer WHERE home_store_id = ANY($1)
               AND (first_name ILIKE $2 OR last_name ILIKE $2 OR email ILIKE $2 OR phone ILIKE $2)`,
            [storeNames.map((n) => stores[n]), `%${term}%`],
          );
          const listed = await listAll(email, { search: term });
          expect(listed.totalCount).toBe(count);
          expect(listed.nodes).toHaveLength(count);
          const allowed = new Set(storeNames.map((n) => stores[n]));
          for (const node of listed.nodes) expect(allowed.has(node.homeStoreId)).toBe(true);
        }
      }
    });

    it('matches only on the fields the caller may read', async () => {
      // A restricted role, as a chain manager could define it: names only, no contact details.
      const [{ id: roleId }] = await app.core.query(
        `INSERT INTO role (chain_id, name, description) VALUES ($1, 'Names only', 'Test: first and last names') RETURNING id`,
        [chains[CLEARVIEW]],
      );
      await app.core.query(
        `INSERT INTO role_permission (role_id, action, subject, fields) VALUES ($1, 'read', 'Customer', $2)`,
        [roleId, ['id', 'firstName', 'lastName', 'homeStoreId']],
      );
      const email = 'names.only@clearview.example';
      const [{ id: userId }] = await app.core.query(
        `INSERT INTO staff_user (chain_id, name, email, profession, password_hash)
           SELECT chain_id, 'Names Only', $1, 'RECEPTIONIST', password_hash FROM staff_user WHERE email = $2 RETURNING id`,
        [email, U.leedsReception],
      );
      await app.core.query(
        `INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type, store_id) VALUES ($1, $2, $3, 'STORE', $4)`,
        [chains[CLEARVIEW], userId, roleId, stores.Leeds],
      );

      const [leedsCustomer] = await app.core.query(
        'SELECT id, first_name, email, phone FROM customer WHERE home_store_id = $1 ORDER BY id LIMIT 1',
        [stores.Leeds],
      );
      // Unique to this customer's email (the serial number before the domain) / phone number.
      const emailTerm = (leedsCustomer.email as string).slice((leedsCustomer.email as string).lastIndexOf('.', (leedsCustomer.email as string).indexOf('@')));
      const phoneTerm = leedsCustomer.phone as string;
      for (const term of [emailTerm, phoneTerm]) {
        const reception = await app.request<ListData>(LIST, { search: term }, await as(U.leedsReception));
        expect(reception.data!.customers.edges.map((e) => e.node.id)).toContain(leedsCustomer.id);
        const restricted = await app.request<ListData>(LIST, { search: term }, await as(email));
        expect(restricted.errors).toBeUndefined();
        expect(restricted.data!.customers.totalCount).toBe(0);
        expect(restricted.data!.customers.edges).toEqual([]);
      }
      // By a field they may read, they do find Leeds customers (and only Leeds ones).
      const [{ count }] = await app.core.query(
        `SELECT count(*)::int AS count FROM customer WHERE home_store_id = $1 AND (first_name ILIKE $2 OR last_name ILIKE $2)`,
        [stores.Leeds, `%${leedsCustomer.first_name}%`],
      );
      const byName = await listAll(email, { search: leedsCustomer.first_name });
      expect(byName.totalCount).toBe(count);
      expect(byName.nodes.map((n) => n.id)).toContain(leedsCustomer.id);
      for (const node of byName.nodes) expect(node.homeStoreId).toBe(stores.Leeds);
    });
  });

  describe('direct ids', () => {
    const ONE = 'query($id: ID!) { customer(id: $id) { id firstName lastName } }';

    it('a customer of another store is NOT_FOUND', async () => {
      const [york] = await customersAt('York');
      for (const email of [U.leedsReception, U.leedsManager, U.leedsOptometrist, U.leedsAssistant]) {
        const result = await app.request<{ customer: unknown }>(ONE, { id: york }, await as(email));
        expect(errorCodes(result)).toEqual(['NOT_FOUND']);
        expect(result.data?.customer ?? null).toBeNull();
        expect(JSON.stringify(result)).not.toContain((await customerRow(york)).last_name as string);
      }
      // Control: the regional manager reads the same customer.
      const north = await app.request<{ customer: { id: string } }>(ONE, { id: york }, await as(U.north));
      expect(north.errors).toBeUndefined();
      expect(north.data?.customer.id).toBe(york);
    });

    it('a customer of another chain is NOT_FOUND, both ways', async () => {
      const [lakeside] = await customersOfChain(LAKESIDE);
      const [clearview] = await customersOfChain(CLEARVIEW);
      for (const [email, id] of [[U.chain, lakeside], [U.lakeside, clearview]] as const) {
        const result = await app.request<{ customer: unknown }>(ONE, { id }, await as(email));
        expect(errorCodes(result)).toEqual(['NOT_FOUND']);
        expect(result.data?.customer ?? null).toBeNull();
      }
    });

    it('an unknown id is NOT_FOUND, just like a hidden one; a malformed one is BAD_USER_INPUT (which discloses nothing)', async () => {
      const [york] = await customersAt('York');
      const hidden = await app.request(ONE, { id: york }, await as(U.leedsManager));
      for (const id of [randomUUID(), randomUUID().toUpperCase()]) {
        const result = await app.request<{ customer: unknown }>(ONE, { id }, await as(U.leedsManager));
        expect(errorCodes(result)).toEqual(['NOT_FOUND']);
        expect(result.data?.customer ?? null).toBeNull();
        expect(result.errors?.[0].message).toBe(hidden.errors?.[0].message);
      }
      for (const id of ['not-a-uuid', "'; DROP TABLE customer; --", '', `${york} `]) {
        const result = await app.request<{ customer: unknown }>(ONE, { id }, await as(U.leedsManager));
        expect([errorCodes(result), result.errors?.[0].extensions?.field]).toEqual([['BAD_USER_INPUT'], 'id']);
        expect(result.data?.customer ?? null).toBeNull();
      }
    });
  });

  describe('nested relations', () => {
    const NESTED = `query($id: ID!) { customer(id: $id) {
      id
      examinations { id storeId }
      appointments { id storeId }
    } }`;
    interface Nested { customer: { id: string; examinations: { id: string; storeId: string }[]; appointments: { id: string; storeId: string }[] } }

    it('the chain manager sees only their own chain’s rows under a customer', async () => {
      const customer = await customerWithExamAt('Leeds');
      // Rows carrying another chain's id under this customer (e.g. a bad import) must never surface.
      const [{ id: foreignExam }] = await app.clinical.query(
        `INSERT INTO examination (chain_id, store_id, customer_id, practitioner_id, examined_at, status)
         VALUES ($1, $2, $3, $4, now(), 'SIGNED') RETURNING id`,
        [chains[LAKESIDE], stores.Keswick, customer, randomUUID()],
      );
      const [{ id: foreignAppointment }] = await app.core.query(
        `INSERT INTO appointment (chain_id, store_id, customer_id, type, starts_at, ends_at)
         VALUES ($1, $2, $3, 'SIGHT_TEST', now() + interval '2 days', now() + interval '2 days 30 minutes') RETURNING id`,
        [chains[LAKESIDE], stores.Keswick, customer],
      );
      const expectedExams: { id: string }[] = await app.clinical.query('SELECT id FROM examination WHERE customer_id = $1 AND chain_id = $2', [customer, chains[CLEARVIEW]]);
      const expectedAppointments = await ids('SELECT id FROM appointment WHERE customer_id = $1 AND chain_id = $2', [customer, chains[CLEARVIEW]]);
      expect(expectedExams.length).toBeGreaterThan(0);
      expect(expectedAppointments.length).toBeGreaterThan(0);

      const result = await app.request<Nested>(NESTED, { id: customer }, await as(U.chain));
      expect(result.errors).toBeUndefined();
      const { examinations, appointments } = result.data!.customer;
      expect(sorted(examinations.map((e) => e.id))).toEqual(sorted(expectedExams.map((e) => e.id)));
      expect(sorted(appointments.map((a) => a.id))).toEqual(sorted(expectedAppointments));
      expect(examinations.map((e) => e.id)).not.toContain(foreignExam);
      expect(appointments.map((a) => a.id)).not.toContain(foreignAppointment);
      for (const row of [...examinations, ...appointments]) expect(row.storeId).not.toBe(stores.Keswick);
    });

    it('a store optometrist does not see an examination of their customer recorded at another store; the chain manager does', async () => {
      const customer = await customerWithExamAt('Leeds');
      const [{ id: yorkExam }] = await app.clinical.query(
        `INSERT INTO examination (chain_id, store_id, customer_id, practitioner_id, examined_at, status)
         VALUES ($1, $2, $3, $4, now(), 'SIGNED') RETURNING id`,
        [chains[CLEARVIEW], stores.York, customer, randomUUID()],
      );
      const [{ id: yorkAppointment }] = await app.core.query(
        `INSERT INTO appointment (chain_id, store_id, customer_id, type, starts_at, ends_at)
         VALUES ($1, $2, $3, 'SIGHT_TEST', now() + interval '3 days', now() + interval '3 days 30 minutes') RETURNING id`,
        [chains[CLEARVIEW], stores.York, customer],
      );
      const leedsExams: { id: string }[] = await app.clinical.query('SELECT id FROM examination WHERE customer_id = $1 AND store_id = $2', [customer, stores.Leeds]);
      expect(leedsExams.length).toBeGreaterThan(0);

      const local = await app.request<Nested>(NESTED, { id: customer }, await as(U.leedsOptometrist));
      expect(local.errors).toBeUndefined();
      expect(sorted(local.data!.customer.examinations.map((e) => e.id))).toEqual(sorted(leedsExams.map((e) => e.id)));
      expect(local.data!.customer.examinations.map((e) => e.id)).not.toContain(yorkExam);
      expect(local.data!.customer.appointments.map((a) => a.id)).not.toContain(yorkAppointment);
      for (const row of [...local.data!.customer.examinations, ...local.data!.customer.appointments]) expect(row.storeId).toBe(stores.Leeds);

      // The York examination cannot be reached by its id either (updating it is NOT_FOUND).
      const direct = await app.request(
        'mutation($id: ID!) { updateExamination(id: $id, input: { history: "x" }) { id } }',
        { id: yorkExam },
        await as(U.leedsOptometrist),
      );
      expect(errorCodes(direct)).toEqual(['NOT_FOUND']);

      const chain = await app.request<Nested>(NESTED, { id: customer }, await as(U.chain));
      expect(chain.errors).toBeUndefined();
      expect(chain.data!.customer.examinations.map((e) => e.id)).toContain(yorkExam);
      expect(chain.data!.customer.appointments.map((a) => a.id)).toContain(yorkAppointment);
      for (const exam of leedsExams) expect(chain.data!.customer.examinations.map((e) => e.id)).toContain(exam.id);
    });
  });

  describe('mutations', () => {
    const UPDATE = 'mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id phone } }';
    const BOOK = 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id storeId } }';
    const CREATE_EXAM = 'mutation($input: CreateExaminationInput!) { createExamination(input: $input) { id } }';
    const CANCEL = 'mutation($id: ID!, $reason: String) { cancelAppointment(id: $id, reason: $reason) { id status } }';
    const CONSENT = 'mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { id granted } }';

    const count = async (db: 'core' | 'clinical', sql: string, params: unknown[]): Promise<number> => {
      const [{ n }] = await app[db].query(sql, params);
      return Number(n);
    };
    const slot = (days: number): { startsAt: string; endsAt: string } => {
      const start = new Date(Date.now() + days * 86400_000);
      start.setUTCHours(10, 0, 0, 0);
      return { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 30 * 60_000).toISOString() };
    };

    it('updateCustomer on another store’s or another chain’s customer is NOT_FOUND and changes nothing', async () => {
      const [york] = await customersAt('York');
      const [clearview] = await customersAt('Bristol');
      for (const [email, id] of [[U.leedsManager, york], [U.leedsReception, york], [U.lakeside, clearview]] as const) {
        const before = await customerRow(id);
        const result = await app.request<{ updateCustomer: unknown }>(UPDATE, { id, input: { phone: '07700 900999', city: 'Nowhere' } }, await as(email));
        expect(errorCodes(result)).toEqual(['NOT_FOUND']);
        expect(result.data?.updateCustomer ?? null).toBeNull();
        expect(await customerRow(id)).toEqual(before);
      }
      // Control: in scope, the same update works.
      const [leeds] = await customersAt('Leeds');
      const ok = await app.request<{ updateCustomer: { id: string; phone: string } }>(UPDATE, { id: leeds, input: { phone: '07700 900998' } }, await as(U.leedsManager));
      expect(ok.errors).toBeUndefined();
      expect((await customerRow(leeds)).phone).toBe('07700 900998');
    });

    it('updateCustomer cannot move an own customer to a store outside the caller’s scope', async () => {
      const [leeds] = await customersAt('Leeds');
      const before = await customerRow(leeds);
      const result = await app.request(UPDATE, { id: leeds, input: { homeStoreId: stores.York } }, await as(U.leedsManager));
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      const lakesideStore = await app.request(UPDATE, { id: leeds, input: { homeStoreId: stores.Keswick } }, await as(U.leedsManager));
      expect(errorCodes(lakesideStore)).toEqual(['BAD_USER_INPUT']);
      expect(await customerRow(leeds)).toEqual(before);
    });

    it('bookAppointment at another store is FORBIDDEN, for another store’s customer NOT_FOUND, and nothing is booked', async () => {
      const [leeds] = await customersAt('Leeds');
      const [york] = await customersAt('York');
      const [lakeside] = await customersOfChain(LAKESIDE);
      const total = () => count('core', 'SELECT count(*) AS n FROM appointment', []);
      const leedsAtYork = () => count('core', 'SELECT count(*) AS n FROM appointment WHERE customer_id = $1 AND store_id = $2', [leeds, stores.York]);
      const [before, leedsAtYorkBefore] = [await total(), await leedsAtYork()];

      const atYork = await app.request<{ bookAppointment: unknown }>(BOOK, { input: { customerId: leeds, storeId: stores.York, type: 'SIGHT_TEST', ...slot(5) } }, await as(U.leedsManager));
      expect(errorCodes(atYork)).toEqual(['FORBIDDEN']);
      expect(atYork.data?.bookAppointment ?? null).toBeNull();

      const yorkCustomer = await app.request(BOOK, { input: { customerId: york, storeId: stores.Leeds, type: 'SIGHT_TEST', ...slot(5) } }, await as(U.leedsManager));
      expect(errorCodes(yorkCustomer)).toEqual(['NOT_FOUND']);

      const otherChain = await app.request(BOOK, { input: { customerId: lakeside, storeId: stores.Keswick, type: 'SIGHT_TEST', ...slot(5) } }, await as(U.chain));
      expect(errorCodes(otherChain)).toEqual(['NOT_FOUND']);

      const otherChainStore = await app.request(BOOK, { input: { customerId: leeds, storeId: stores.Keswick, type: 'SIGHT_TEST', ...slot(5) } }, await as(U.chain));
      expect(errorCodes(otherChainStore)).toEqual(['BAD_USER_INPUT']);

      expect(await total()).toBe(before);
      expect(await leedsAtYork()).toBe(leedsAtYorkBefore);

      // Control: at their own store it books.
      const ok = await app.request<{ bookAppointment: { id: string; storeId: string } }>(BOOK, { input: { customerId: leeds, storeId: stores.Leeds, type: 'SIGHT_TEST', ...slot(6) } }, await as(U.leedsManager));
      expect(ok.errors).toBeUndefined();
      expect(ok.data?.bookAppointment.storeId).toBe(stores.Leeds);
      expect(await total()).toBe(before + 1);
    });

    it('createExamination for another store’s customer is NOT_FOUND, at another store FORBIDDEN, and nothing is written', async () => {
      const [york] = await customersAt('York');
      const [leeds] = await customersAt('Leeds');
      const total = () => count('clinical', 'SELECT count(*) AS n FROM examination', []);
      const refractions = () => count('clinical', 'SELECT count(*) AS n FROM refraction', []);
      const [before, refractionsBefore] = [await total(), await refractions()];
      const findings = { reasonForVisit: 'Routine sight test', refractions: [{ eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.25 }] };

      for (const storeId of [stores.Leeds, stores.York]) {
        const result = await app.request<{ createExamination: unknown }>(CREATE_EXAM, { input: { customerId: york, storeId, ...findings } }, await as(U.leedsOptometrist));
        expect(errorCodes(result)).toEqual(['NOT_FOUND']);
        expect(result.data?.createExamination ?? null).toBeNull();
      }
      const atYork = await app.request(CREATE_EXAM, { input: { customerId: leeds, storeId: stores.York, ...findings } }, await as(U.leedsOptometrist));
      expect(errorCodes(atYork)).toEqual(['FORBIDDEN']);
      const lakesideCustomer = (await customersOfChain(LAKESIDE))[0];
      const otherChain = await app.request(CREATE_EXAM, { input: { customerId: lakesideCustomer, storeId: stores.Leeds, ...findings } }, await as(U.leedsOptometrist));
      expect(errorCodes(otherChain)).toEqual(['NOT_FOUND']);

      expect(await total()).toBe(before);
      expect(await refractions()).toBe(refractionsBefore);
      expect(await count('clinical', 'SELECT count(*) AS n FROM examination WHERE customer_id = ANY($1) AND status = $2', [[york, leeds, lakesideCustomer], 'DRAFT'])).toBe(0);
    });

    it('cancelAppointment on another store’s or chain’s appointment is NOT_FOUND and leaves it booked', async () => {
      const [yorkAppointment] = await ids("SELECT id FROM appointment WHERE store_id = $1 AND status = 'BOOKED' ORDER BY id LIMIT 1", [stores.York]);
      const [lakesideAppointment] = await ids("SELECT id FROM appointment WHERE store_id = $1 AND status = 'BOOKED' ORDER BY id LIMIT 1", [stores.Keswick]);
      const [bathAppointment] = await ids("SELECT id FROM appointment WHERE store_id = $1 AND status = 'BOOKED' ORDER BY id LIMIT 1", [stores.Bath]);
      expect(yorkAppointment && lakesideAppointment && bathAppointment).toBeTruthy();
      for (const [email, id] of [
        [U.leedsManager, yorkAppointment],
        [U.leedsReception, bathAppointment],
        [U.locum, lakesideAppointment],
        [U.chain, lakesideAppointment],
      ] as const) {
        const result = await app.request<{ cancelAppointment: unknown }>(CANCEL, { id, reason: 'test' }, await as(email));
        expect(errorCodes(result)).toEqual(['NOT_FOUND']);
        expect(result.data?.cancelAppointment ?? null).toBeNull();
      }
      const rows: { status: string; cancellation_reason: string | null }[] = await app.core.query(
        'SELECT status, cancellation_reason FROM appointment WHERE id = ANY($1)',
        [[yorkAppointment, lakesideAppointment, bathAppointment]],
      );
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row).toEqual({ status: 'BOOKED', cancellation_reason: null });
    });

    it('recordConsentChange for a customer of another chain or store is NOT_FOUND and records no event', async () => {
      const [clearview] = await customersAt('Leeds');
      const [york] = await customersAt('York');
      const [lakeside] = await customersOfChain(LAKESIDE);
      const events = () => count('core', 'SELECT count(*) AS n FROM consent_event', []);
      const consents = () => app.core.query('SELECT * FROM consent ORDER BY id');
      const [eventsBefore, consentsBefore] = [await events(), await consents()];
      const change = { channel: 'SMS', granted: true, source: 'IN_STORE', wordingVersion: '2026-01' };
      for (const [email, customerId] of [
        [U.lakeside, clearview],
        [U.chain, lakeside],
        [U.leedsManager, lakeside],
        [U.leedsManager, york],
      ] as const) {
        const result = await app.request<{ recordConsentChange: unknown }>(CONSENT, { input: { customerId, ...change } }, await as(email));
        expect(errorCodes(result)).toEqual(['NOT_FOUND']);
        expect(result.data?.recordConsentChange ?? null).toBeNull();
      }
      expect(await events()).toBe(eventsBefore);
      expect(await consents()).toEqual(consentsBefore);
      expect(await count('core', 'SELECT count(*) AS n FROM consent_event WHERE customer_id = ANY($1) AND wording_version = $2', [[clearview, york, lakeside], '2026-01'])).toBe(0);
    });
  });
});
