/**
 * Restriction of processing (Art. 18) through GraphQL with real sessions: restrict and lift with their
 * history, the change log, the refusals (already restricted, not restricted, reason missing or too long,
 * another store's customer, roles without `update Consent.restriction`), and the seeded restricted customer.
 */
import { errorCodes } from '../support/graphql-client';
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const RESTRICT = `mutation($c: ID!, $r: String!) { restrictProcessing(customerId: $c, reason: $r) { restricted since reason history { restricted reason recordedById occurredAt } } }`;
const LIFT = `mutation($c: ID!, $r: String!) { liftRestriction(customerId: $c, reason: $r) { restricted since reason history { restricted reason } } }`;
const READ = `query($c: ID!) { customer(id: $c) { processingRestriction { restricted since reason history { id restricted reason recordedById occurredAt } } } }`;

interface State { restricted: boolean; since: string | null; reason: string | null; history: { restricted: boolean; reason: string; recordedById?: string | null }[] }

describe('restriction of processing', () => {
  let t: TestApp;
  let manager: SignedInClient;
  let reception: SignedInClient;
  let optometrist: SignedInClient;
  let dpo: SignedInClient;
  let leedsCustomers: string[];
  let yorkCustomer: string;
  let managerId: string;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await signIn(t, 'leedsManager');
    reception = await signIn(t, 'leedsReception');
    optometrist = await signIn(t, 'leedsOptometrist');
    dpo = await signIn(t, 'dpo');
    const rows = (await t.core.query(
      `SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id
        WHERE s.name = 'Leeds' AND c.status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM processing_restriction r WHERE r.customer_id = c.id)
        ORDER BY c.id LIMIT 12 OFFSET 20`,
    )) as { id: string }[];
    leedsCustomers = rows.map((r) => r.id);
    yorkCustomer = ((await t.core.query(`SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'York' ORDER BY c.id LIMIT 1`)) as { id: string }[])[0].id;
    managerId = ((await t.core.query(`SELECT id FROM staff_user WHERE email = 'leeds.manager@clearview.example'`)) as { id: string }[])[0].id;
  });
  afterAll(() => t.stop());

  const events = async (customerId: string) => Number(((await t.core.query('SELECT count(*)::int AS n FROM processing_restriction_event WHERE customer_id = $1', [customerId])) as { n: number }[])[0].n);

  it('a customer never restricted reads as not restricted, with no history', async () => {
    const res = await manager.request<{ customer: { processingRestriction: State } }>(READ, { c: leedsCustomers[0] });
    expect(res.errors).toBeUndefined();
    expect(res.data?.customer.processingRestriction).toEqual({ restricted: false, since: null, reason: null, history: [] });
  });

  it('restrict, then lift: the state follows, the history keeps both events newest first, each change logged', async () => {
    const c = leedsCustomers[1];
    const restricted = await manager.request<{ restrictProcessing: State }>(RESTRICT, { c, r: '  Accuracy contested by the customer  ' });
    expect(restricted.errors).toBeUndefined();
    expect(restricted.data?.restrictProcessing).toMatchObject({ restricted: true, reason: 'Accuracy contested by the customer' });
    expect(restricted.data?.restrictProcessing.history).toEqual([
      expect.objectContaining({ restricted: true, reason: 'Accuracy contested by the customer', recordedById: managerId }),
    ]);

    const lifted = await manager.request<{ liftRestriction: State }>(LIFT, { c, r: 'Address checked and corrected' });
    expect(lifted.errors).toBeUndefined();
    expect(lifted.data?.liftRestriction).toMatchObject({ restricted: false, reason: 'Address checked and corrected' });
    expect(lifted.data?.liftRestriction.history.map((e) => e.restricted)).toEqual([false, true]);

    const read = await manager.request<{ customer: { processingRestriction: State } }>(READ, { c });
    const state = read.data!.customer.processingRestriction;
    expect(state.restricted).toBe(false);
    expect(state.since).toBe(lifted.data?.liftRestriction.since);
    expect(state.history).toHaveLength(2);

    const log = (await t.core.query(
      `SELECT action, subject, record_type AS "recordType", changes FROM personal_change_log_entry WHERE record_id = $1 ORDER BY seq`, [c],
    )) as { action: string; subject: string; recordType: string; changes: Record<string, { before: unknown; after: unknown }> }[];
    const entries = log.filter((e) => e.recordType === 'ProcessingRestriction');
    expect(entries.map((e) => [e.action, e.subject])).toEqual([['CREATE', 'Consent'], ['UPDATE', 'Consent']]);
    expect(entries[0].changes.restricted).toEqual({ before: null, after: true });
    expect(entries[1].changes.restricted).toEqual({ before: true, after: false });
    expect(entries[1].changes.reason).toEqual({ before: 'Accuracy contested by the customer', after: 'Address checked and corrected' });
  });

  it('restricting a restricted customer, or lifting an unrestricted one, is BAD_USER_INPUT on customerId and records nothing', async () => {
    const c = leedsCustomers[2];
    const lift = await manager.request(LIFT, { c, r: 'nothing to lift' });
    expect(errorCodes(lift)).toEqual(['BAD_USER_INPUT']);
    expect(lift.errors?.[0].extensions?.field).toBe('customerId');
    expect(await events(c)).toBe(0);

    expect((await manager.request(RESTRICT, { c, r: 'first' })).errors).toBeUndefined();
    const again = await manager.request(RESTRICT, { c, r: 'second' });
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors?.[0].extensions?.field).toBe('customerId');
    expect(await events(c)).toBe(1);
  });

  it('the reason is required and at most 500 characters (BAD_USER_INPUT on reason)', async () => {
    const c = leedsCustomers[3];
    for (const r of ['', '   ', 'x'.repeat(501)]) {
      const res = await manager.request(RESTRICT, { c, r });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('reason');
    }
    expect((await manager.request(RESTRICT, { c, r: 'x'.repeat(500) })).errors).toBeUndefined();
    expect(await events(c)).toBe(1);
  });

  it('roles without update on Consent (receptionist, optometrist, DPO) are FORBIDDEN; another store’s customer is NOT_FOUND', async () => {
    const c = leedsCustomers[4];
    for (const who of [reception, optometrist, dpo]) {
      expect(errorCodes(await who.request(RESTRICT, { c, r: 'no' }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await who.request(LIFT, { c, r: 'no' }))).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await manager.request(RESTRICT, { c: yorkCustomer, r: 'not mine' }))).toEqual(['NOT_FOUND']);
    expect(await events(c)).toBe(0);
    expect(await events(yorkCustomer)).toBe(0);
  });

  it('restriction and objection are their own fields: update on a consent channel alone does not allow them', async () => {
    const c = leedsCustomers[6];
    const chainManager = await signIn(t, 'chainManager');
    const role = await chainManager.request<{ createRole: { id: string } }>(
      'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }',
      { input: { name: 'Email consent only', permissions: [{ action: 'update', subject: 'Consent', fields: ['EMAIL'] }] } },
    );
    expect(role.errors).toBeUndefined();
    const receptionId = ((await t.core.query(`SELECT id FROM staff_user WHERE email = 'leeds.reception@clearview.example'`)) as { id: string }[])[0].id;
    const leeds = ((await t.core.query(`SELECT id FROM store WHERE name = 'Leeds'`)) as { id: string }[])[0].id;
    const assigned = await chainManager.request('mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }',
      { input: { userId: receptionId, roleId: role.data!.createRole.id, scopeType: 'STORE', storeId: leeds } });
    expect(assigned.errors).toBeUndefined();
    const consent = await reception.request(`mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { granted } }`,
      { input: { customerId: c, channel: 'EMAIL', granted: false, source: 'IN_STORE', wordingVersion: '2024-01' } });
    expect(consent.errors).toBeUndefined();
    expect(errorCodes(await reception.request(RESTRICT, { c, r: 'not allowed' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await reception.request(`mutation($c: ID!) { recordMarketingObjection(customerId: $c, source: IN_STORE) { objected } }`, { c }))).toEqual(['FORBIDDEN']);
    expect(await events(c)).toBe(0);
  });

  it('the demo seed has one restricted Leeds customer, restricted by the store manager, with its event', async () => {
    const rows = (await t.core.query(
      `SELECT r.customer_id AS id FROM processing_restriction r JOIN customer c ON c.id = r.customer_id JOIN store s ON s.id = c.home_store_id
        WHERE s.name = 'Leeds' AND r.restricted AND r.recorded_by_id = (SELECT id FROM staff_user WHERE email = 'leeds.manager@clearview.example')
          AND r.changed_at < now() - interval '1 day'`, // the seed's, not this suite's
    )) as { id: string }[];
    expect(rows).toHaveLength(1);
    const res = await manager.request<{ customer: { processingRestriction: State } }>(READ, { c: rows[0].id });
    expect(res.data?.customer.processingRestriction).toMatchObject({ restricted: true, history: [expect.objectContaining({ restricted: true })] });
  });
});
