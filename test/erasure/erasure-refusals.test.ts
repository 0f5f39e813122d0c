/**
 * eraseCustomer refuses, and changes nothing: every demo role without `erase Customer` gets FORBIDDEN (the other
 * chain's manager NOT_FOUND: the customer is outside their chain); a request of another type, of another customer,
 * a closed one or none at all is refused on `dataRequestId`. The Data protection officer (and the Chain manager,
 * through manage) may erase.
 */
import { Actor, EMAIL, signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { createCustomer, createRequest, ERASE, person } from './erasure-support';

const REFUSED: Actor[] = ['northManager', 'leedsManager', 'leedsOptometrist', 'locum', 'leedsAssistant', 'leedsReception', 'bi'];

describe('eraseCustomer refusals', () => {
  let app: TestApp;
  let leedsId: string;
  let users: Record<Actor, SignedInClient>;
  let customerId: string;
  let otherCustomerId: string;

  /** Everything an erasure could change about the customer: their row, their log entries, their requests. */
  const state = async (): Promise<unknown> => ({
    customer: await app.ownerCore.query(`SELECT * FROM customer WHERE id = $1`, [customerId]),
    log: await app.ownerCore.query(`SELECT count(*)::int AS n FROM personal_change_log_entry WHERE customer_id = $1`, [customerId]),
    redactions: await app.ownerCore.query(`SELECT count(*)::int AS n FROM personal_change_log_redaction WHERE customer_id = $1`, [customerId]),
    requests: await app.ownerCore.query(`SELECT id, status FROM data_request WHERE customer_id = $1 ORDER BY id`, [customerId]),
    events: await app.ownerCore.query(`SELECT count(*)::int AS n FROM data_request_event e JOIN data_request r ON r.id = e.data_request_id WHERE r.customer_id = $1`, [customerId]),
  });

  beforeAll(async () => {
    app = await startTestApp();
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    users = await signInAll(app, [...REFUSED, 'dpo', 'chainManager', 'lakesideManager']);
    customerId = await createCustomer(users.leedsManager, leedsId, person('Refused'));
    otherCustomerId = await createCustomer(users.leedsManager, leedsId, person('Other'));
  });
  afterAll(() => app.stop());

  it.each(REFUSED)('%s: FORBIDDEN, and nothing changes', async (who) => {
    const requestId = await createRequest(app, customerId);
    const before = await state();
    const result = await users[who].request(ERASE, { customerId, dataRequestId: requestId });
    expect(result.data?.eraseCustomer ?? null).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await state()).toEqual(before);
  });

  it('the other chain’s manager: NOT_FOUND (the customer is not in their chain), and nothing changes', async () => {
    const requestId = await createRequest(app, customerId);
    const before = await state();
    const result = await users.lakesideManager.request(ERASE, { customerId, dataRequestId: requestId });
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await state()).toEqual(before);
    expect(EMAIL.lakesideManager).toBe('manager@lakeside.example');
  });

  it.each([
    ['a request of another type (ACCESS)', async (): Promise<string> => createRequest(app, customerId, 'ACCESS'), 'BAD_USER_INPUT'],
    ['a completed request', async (): Promise<string> => createRequest(app, customerId, 'ERASURE', 'COMPLETED'), 'BAD_USER_INPUT'],
    ['a withdrawn request', async (): Promise<string> => createRequest(app, customerId, 'ERASURE', 'WITHDRAWN'), 'BAD_USER_INPUT'],
    ['another customer’s request', async (): Promise<string> => createRequest(app, otherCustomerId, 'ERASURE'), 'NOT_FOUND'],
    ['no such request', async (): Promise<string> => '00000000-0000-4000-8000-000000000000', 'NOT_FOUND'],
    ['not an id', async (): Promise<string> => 'not-a-request', 'BAD_USER_INPUT'],
  ] as const)('refuses %s on dataRequestId, and nothing changes', async (_what, make, code) => {
    const requestId = await make();
    const before = await state();
    const result = await users.dpo.request(ERASE, { customerId, dataRequestId: requestId });
    expect(result.errors?.[0].extensions).toMatchObject({ code, field: 'dataRequestId' });
    expect(await state()).toEqual(before);
  });

  it('the chain manager may erase (manage on Customer); the DPO too', async () => {
    const other = await createRequest(app, otherCustomerId);
    const byManager = await users.chainManager.request<{ eraseCustomer: { outcome: string } }>(ERASE, { customerId: otherCustomerId, dataRequestId: other });
    expect(byManager.errors).toBeUndefined();
    expect(byManager.data!.eraseCustomer.outcome).toBe('ERASED');
    const mine = await createRequest(app, customerId);
    const byDpo = await users.dpo.request<{ eraseCustomer: { outcome: string } }>(ERASE, { customerId, dataRequestId: mine });
    expect(byDpo.errors).toBeUndefined();
    expect(byDpo.data!.eraseCustomer.outcome).toBe('ERASED');
  });
});
