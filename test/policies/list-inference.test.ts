/**
 * No inference through lists: filtering, ordering or counting a list by a field the caller may not read
 * wherever they see its rows is FORBIDDEN naming the argument, for every review list (clinicalAccessLog,
 * customerAccessReport, dataChangeLog, emergencyAccesses, securityEvents, roleChanges). A role that reads
 * only `id` and `occurredAt` of the logs may page through them but not filter them by customer, user,
 * subject or record; the locum may list their own emergency accesses but not by `pending`, since whether
 * one was acknowledged is hidden from them. Also the condition-cover rule of src/policies/filter-guard.ts,
 * as a table.
 */
import { covers } from '../../src/policies/filter-guard';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const CHAIN_MANAGER = EMAIL.chainManager;
const GLANCER = EMAIL.leedsReception;
const LOCUM = EMAIL.locum;
const DPO = EMAIL.dpo;
const ANY_ID = '00000000-0000-4000-8000-000000000000';

describe('condition cover (table)', () => {
  it.each([
    [undefined, { chainId: 'c' }, true],
    [{ chainId: 'c' }, { chainId: 'c', userId: 'u' }, true],
    [{ chainId: 'c', userId: 'u' }, { chainId: 'c' }, false],
    [{ chainId: 'c' }, { chainId: 'd' }, false],
    [{ chainId: 'c', storeId: { $in: ['a', 'b'] } }, { chainId: 'c', storeId: { $in: ['a'] } }, true],
    [{ chainId: 'c', storeId: { $in: ['a'] } }, { chainId: 'c', storeId: { $in: ['a', 'b'] } }, false],
    [{ chainId: 'c', storeId: { $in: ['a'] } }, { chainId: 'c', storeId: 'a' }, true],
    [{ chainId: 'c', storeId: { $in: ['a'] } }, { chainId: 'c' }, false],
    [{ chainId: 'c', storeId: { $ne: 'a' } }, { chainId: 'c', storeId: 'b' }, false],
  ])('covers(%j, %j) is %s', (outer, inner, expected) => {
    expect(covers(outer as Record<string, unknown> | undefined, inner)).toBe(expected);
  });
});

describe('no inference through list filters', () => {
  let app: TestApp;
  const tokens: Record<string, string> = {};

  async function request(email: string, query: string, variables: Record<string, unknown> = {}) {
    return app.request<Record<string, unknown>>(query, variables, tokens[email]);
  }
  function expectForbidden(result: { errors?: { extensions?: { code?: string; field?: string } }[]; data?: unknown }, field: string): void {
    expect(errorCodes(result as never)).toEqual(['FORBIDDEN']);
    expect(result.errors?.[0].extensions?.field).toBe(field);
  }

  beforeAll(async () => {
    app = await startTestApp();
    for (const email of [CHAIN_MANAGER, LOCUM, DPO]) tokens[email] = await app.login(email);
    const role = await request(CHAIN_MANAGER, `mutation { createRole(input: { name: "Log glancer", permissions: [
      { action: "read", subject: "AccessLogEntry", fields: ["id", "occurredAt"] },
      { action: "read", subject: "DataChangeEntry", fields: ["id", "occurredAt"] },
      { action: "read", subject: "SecurityEvent", fields: ["id", "kind"] },
      { action: "read", subject: "RoleChange", fields: ["id", "occurredAt"] }
    ] }) { id } }`);
    expect(role.errors).toBeUndefined();
    const roleId = (role.data!.createRole as { id: string }).id;
    const [{ id: userId }] = (await app.core.query('SELECT id FROM staff_user WHERE email = $1', [GLANCER])) as { id: string }[];
    const assigned = await request(CHAIN_MANAGER, 'mutation($u: ID!, $r: ID!) { assignRole(input: { userId: $u, roleId: $r, scopeType: CHAIN }) { id } }', { u: userId, r: roleId });
    expect(assigned.errors).toBeUndefined();
    tokens[GLANCER] = await app.login(GLANCER);
    // some entries to page through: the DPO reads a customer's records
    const [customer] = (await app.core.query("SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Leeds' ORDER BY c.id LIMIT 1")) as { id: string }[];
    await request(DPO, 'query($id: ID!) { customer(id: $id) { examinations { id } } }', { id: customer.id });
  });
  afterAll(() => app.stop());

  it.each([
    ['customerId', { customerId: ANY_ID }],
    ['userId', { userId: ANY_ID }],
    ['storeId', { storeId: ANY_ID }],
    ['emergencyAccessId', { emergencyAccessId: ANY_ID }],
  ])('refuses clinicalAccessLog filtered by %s to a role that may not read it', async (field, variables) => {
    const result = await request(GLANCER, `query($customerId: ID, $userId: ID, $storeId: ID, $emergencyAccessId: ID) {
      clinicalAccessLog(customerId: $customerId, userId: $userId, storeId: $storeId, emergencyAccessId: $emergencyAccessId) { totalCount } }`, variables);
    expectForbidden(result, field);
  });

  it('lets that role page through the access log, and filter by the time it may read', async () => {
    const plain = await request(GLANCER, '{ clinicalAccessLog(first: 5) { totalCount edges { node { id occurredAt } } } }');
    expect(plain.errors).toBeUndefined();
    expect((plain.data!.clinicalAccessLog as { totalCount: number }).totalCount).toBeGreaterThan(0);
    const timed = await request(GLANCER, '{ clinicalAccessLog(from: "2020-01-01T00:00:00Z") { totalCount } }');
    expect(timed.errors).toBeUndefined();
  });

  it('refuses customerAccessReport (by customer) to that role', async () => {
    const [customer] = (await app.core.query("SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Leeds' ORDER BY c.id LIMIT 1")) as { id: string }[];
    const result = await request(GLANCER, 'query($id: ID!) { customerAccessReport(customerId: $id) { id } }', { id: customer.id });
    expect(errorCodes(result as never)).toEqual(['FORBIDDEN']);
  });

  it.each([
    ['customerId', { customerId: ANY_ID }],
    ['userId', { userId: ANY_ID }],
    ['subject', { subject: 'Examination' }],
    ['recordId', { recordId: ANY_ID }],
  ])('refuses dataChangeLog filtered by %s to a role that may not read it', async (field, variables) => {
    const result = await request(GLANCER, `query($customerId: ID, $userId: ID, $subject: String, $recordId: ID) {
      dataChangeLog(customerId: $customerId, userId: $userId, subject: $subject, recordId: $recordId) { totalCount } }`, variables);
    expectForbidden(result, field);
  });

  it('refuses securityEvents by acknowledged or user, and a list ordered by a hidden field', async () => {
    expectForbidden(await request(GLANCER, '{ securityEvents(acknowledged: false) { totalCount } }'), 'acknowledged');
    expectForbidden(await request(GLANCER, `{ securityEvents(userId: "${ANY_ID}") { totalCount } }`), 'userId');
    expect((await request(GLANCER, '{ securityEvents { totalCount } }')).errors).toBeUndefined();
    expectForbidden(await request(GLANCER, `{ roleChanges(roleId: "${ANY_ID}") { id } }`), 'roleId');
  });

  it('refuses the locum emergencyAccesses by pending (acknowledgement is hidden from them), not the DPO', async () => {
    const own = await request(LOCUM, '{ emergencyAccesses { totalCount } }');
    expect(own.errors).toBeUndefined();
    for (const pending of [true, false]) {
      expectForbidden(await request(LOCUM, 'query($p: Boolean) { emergencyAccesses(pending: $p) { totalCount } }', { p: pending }), 'pending');
    }
    // customerId is theirs to read on their own accesses: that filter infers nothing
    expect((await request(LOCUM, `{ emergencyAccesses(customerId: "${ANY_ID}") { totalCount } }`)).errors).toBeUndefined();
    expect((await request(DPO, '{ emergencyAccesses(pending: true) { totalCount } }')).errors).toBeUndefined();
    expect((await request(DPO, `{ clinicalAccessLog(customerId: "${ANY_ID}") { totalCount } }`)).errors).toBeUndefined();
    expect((await request(DPO, '{ dataChangeLog(subject: "Customer") { totalCount } }')).errors).toBeUndefined();
  });
});
