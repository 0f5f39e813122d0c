/**
 * Rectification linked to a request (Art. 16): `updateCustomer(id, input, dataRequestId)` corrects the customer and
 * links each change-log entry it wrote to the open RECTIFICATION request of that customer (a LINKED_CHANGE event);
 * `DataRequest.linkedChanges` shows those entries with before/after, governed like `dataChangeLog`'s entries and
 * their `changes`. Refusals (another type, another customer, a closed request, no right on the request) change nothing.
 */
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const CREATE = 'mutation($input: CreateDataRequestInput!) { createDataRequest(input: $input) { id } }';
const VERIFY = 'mutation($id: ID!) { verifyDataRequestIdentity(id: $id, method: "Called back on the number on file") { id } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateCustomerInput!, $r: ID) { updateCustomer(id: $id, input: $input, dataRequestId: $r) { id city phone } }';
const COMPLETE = 'mutation($id: ID!) { completeDataRequest(id: $id, outcome: "Address and phone corrected") { status } }';
const READ = `query($id: ID!) { dataRequest(id: $id) {
  events { kind changeEntryId userId }
  linkedChanges { id log action subject recordType recordId customerId userId operationName changes { field before after } } } }`;

interface Linked { id: string; log: string; action: string; subject: string; recordType: string; recordId: string; customerId: string; userId: string; operationName: string | null; changes: { field: string; before: unknown; after: unknown }[] | null }
interface Read { dataRequest: { events: { kind: string; changeEntryId: string | null; userId: string }[]; linkedChanges: Linked[] } }

describe('rectification linked to a request', () => {
  let t: TestApp;
  let dpo: SignedInClient;
  let chainManager: SignedInClient;
  let reception: SignedInClient;
  let dpoId: string;
  let customers: { id: string; city: string | null; phone: string | null }[];

  beforeAll(async () => {
    t = await startTestApp();
    dpo = await signIn(t, 'dpo');
    chainManager = await signIn(t, 'chainManager');
    reception = await signIn(t, 'leedsReception');
    dpoId = ((await t.core.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`)) as { id: string }[])[0].id;
    customers = (await t.core.query(
      `SELECT c.id, c.city, c.phone FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Leeds' AND c.status = 'ACTIVE' ORDER BY c.id LIMIT 10 OFFSET 30`,
    )) as { id: string; city: string | null; phone: string | null }[];
  });
  afterAll(() => t.stop());

  async function request(customerId: string, type = 'RECTIFICATION', verified = true): Promise<string> {
    const made = await dpo.request<{ createDataRequest: { id: string } }>(CREATE, { input: { customerId, type, receivedAt: new Date().toISOString(), channel: 'PHONE' } });
    expect(made.errors).toBeUndefined();
    const id = made.data!.createDataRequest.id;
    if (verified) expect((await dpo.request(VERIFY, { id })).errors).toBeUndefined();
    return id;
  }
  const customerRow = async (id: string) => ((await t.core.query('SELECT city, phone FROM customer WHERE id = $1', [id])) as { city: string | null; phone: string | null }[])[0];
  const eventCount = async (id: string) => Number(((await t.core.query('SELECT count(*)::int AS n FROM data_request_event WHERE data_request_id = $1', [id])) as { n: number }[])[0].n);

  it('a correction under the request is linked: the entry with before/after shows on the request, then the request completes', async () => {
    const c = customers[0];
    const id = await request(c.id);
    const updated = await dpo.request<{ updateCustomer: { city: string; phone: string } }>(UPDATE, { id: c.id, input: { city: 'Wakefield', phone: '+44 1924 000111' }, r: id });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateCustomer).toMatchObject({ city: 'Wakefield', phone: '+44 1924 000111' });

    const read = await dpo.request<Read>(READ, { id });
    expect(read.errors).toBeUndefined();
    const [entry, ...others] = read.data!.dataRequest.linkedChanges;
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ log: 'PERSONAL', action: 'UPDATE', subject: 'Customer', recordType: 'Customer', recordId: c.id, customerId: c.id, userId: dpoId });
    expect(entry.changes).toEqual(expect.arrayContaining([
      { field: 'city', before: c.city, after: 'Wakefield' },
      { field: 'phone', before: c.phone, after: '+44 1924 000111' },
    ]));
    const linked = read.data!.dataRequest.events.filter((e) => e.kind === 'LINKED_CHANGE');
    expect(linked).toEqual([{ kind: 'LINKED_CHANGE', changeEntryId: entry.id, userId: dpoId }]);
    // the same entry, as the data change log shows it
    const log = await dpo.request<{ dataChangeLog: { edges: { node: { id: string } }[] } }>('query($r: ID!) { dataChangeLog(recordId: $r, first: 5) { edges { node { id } } } }', { r: c.id });
    expect(log.data!.dataChangeLog.edges.map((e) => e.node.id)).toContain(entry.id);

    const done = await dpo.request<{ completeDataRequest: { status: string } }>(COMPLETE, { id });
    expect(done.data!.completeDataRequest.status).toBe('COMPLETED');
    // a closed request takes no more corrections, and the customer stays as corrected
    const late = await dpo.request(UPDATE, { id: c.id, input: { city: 'Leeds' }, r: id });
    expect(errorCodes(late)).toEqual(['BAD_USER_INPUT']);
    expect(late.errors![0].extensions?.field).toBe('dataRequestId');
    expect((await customerRow(c.id)).city).toBe('Wakefield');
  });

  it('refuses a request of another type (BAD_USER_INPUT) or of another customer (NOT_FOUND), naming dataRequestId; nothing changes', async () => {
    const c = customers[1];
    const access = await request(c.id, 'ACCESS');
    const before = await customerRow(c.id);
    const wrongType = await dpo.request(UPDATE, { id: c.id, input: { city: 'Otley' }, r: access });
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
    expect(wrongType.errors![0].extensions?.field).toBe('dataRequestId');
    const other = await request(customers[2].id);
    const wrongCustomer = await dpo.request(UPDATE, { id: c.id, input: { city: 'Otley' }, r: other });
    expect(errorCodes(wrongCustomer)).toEqual(['NOT_FOUND']);
    expect(wrongCustomer.errors![0].extensions?.field).toBe('dataRequestId');
    const unknown = await dpo.request(UPDATE, { id: c.id, input: { city: 'Otley' }, r: '00000000-0000-4000-8000-000000000000' });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(await customerRow(c.id)).toEqual(before);
    expect([await eventCount(access), await eventCount(other)]).toEqual([2, 2]);
  });

  it('staff who may correct the customer but not see the request get NOT_FOUND for it, and change nothing', async () => {
    const leedsCustomer = customers[3];
    const id = await request(leedsCustomer.id);
    const before = await customerRow(leedsCustomer.id);
    const res = await reception.request(UPDATE, { id: leedsCustomer.id, input: { phone: '+44 113 000 9999' }, r: id });
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
    expect(await customerRow(leedsCustomer.id)).toEqual(before);
    // without the request, the same correction is theirs to make
    const plain = await reception.request(UPDATE, { id: leedsCustomer.id, input: { phone: '+44 113 000 9999' } });
    expect(plain.errors).toBeUndefined();
    expect(await eventCount(id)).toBe(2);
  });

  it('linkedChanges is governed like dataChangeLog: no entries without read DataChangeEntry; no values without its `changes`', async () => {
    const c = customers[4];
    const id = await request(c.id);
    expect((await dpo.request(UPDATE, { id: c.id, input: { city: 'Ilkley' }, r: id })).errors).toBeUndefined();
    const role = async (name: string, permissions: object[]) => {
      const made = await chainManager.request<{ createRole: { id: string } }>('mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }', { input: { name, permissions } });
      expect(made.errors).toBeUndefined();
      return made.data!.createRole.id;
    };
    const assign = async (email: string, roleId: string) => {
      const [{ id: userId }] = (await t.core.query('SELECT id FROM staff_user WHERE email = $1', [email])) as { id: string }[];
      const res = await chainManager.request('mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }', { input: { userId, roleId, scopeType: 'CHAIN' } });
      expect(res.errors).toBeUndefined();
    };
    await assign('north.manager@clearview.example', await role('Requests only', [{ action: 'read', subject: 'DataRequest' }]));
    await assign('locum@clearview.example', await role('Requests and change log without values', [
      { action: 'read', subject: 'DataRequest' }, { action: 'read', subject: 'DataChangeEntry', fields: ['id', 'log', 'action', 'subject', 'recordType', 'recordId', 'customerId'] },
    ]));
    const requestsOnly = await signIn(t, 'northManager');
    const noValues = await signIn(t, 'locum');

    const none = await requestsOnly.request<Read>('query($id: ID!) { dataRequest(id: $id) { linkedChanges { id } events { kind } } }', { id });
    expect(none.errors).toBeUndefined();
    expect(none.data!.dataRequest.linkedChanges).toEqual([]);
    expect(none.data!.dataRequest.events.map((e) => e.kind)).toContain('LINKED_CHANGE');

    const withoutValues: GraphQLResult<Read> = await noValues.request<Read>('query($id: ID!) { dataRequest(id: $id) { linkedChanges { id action changes { field before after } } } }', { id });
    const [entry] = withoutValues.data!.dataRequest.linkedChanges;
    expect(entry).toMatchObject({ action: 'UPDATE', changes: null });
    expect(withoutValues.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'dataRequest.linkedChanges.0.changes']]);
  });
});
