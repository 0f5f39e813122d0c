/**
 * An ERASURE request is answered by the erasure: completeDataRequest refuses it (BAD_USER_INPUT on `id`, nothing
 * changes), refuseDataRequest still closes one, and eraseCustomer completes one itself.
 */
import { signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { createCustomer, createRequest, ERASE, person } from '../erasure/erasure-support';

describe('attack: an ERASURE request cannot be closed as answered without an erasure', () => {
  let app: TestApp;
  let dpo: SignedInClient;
  let leedsId: string;
  let customerId: string;

  beforeAll(async () => {
    app = await startTestApp();
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    const users = await signInAll(app, ['dpo', 'leedsManager']);
    dpo = users.dpo;
    customerId = await createCustomer(users.leedsManager, leedsId, person('Closure'));
  });
  afterAll(() => app.stop());

  const verified = async (): Promise<string> => {
    const id = await createRequest(app, customerId);
    const ok = await dpo.request('mutation($id: ID!) { verifyDataRequestIdentity(id: $id, method: "Passport seen") { id } }', { id });
    expect(ok.errors).toBeUndefined();
    return id;
  };

  it('completeDataRequest is refused on an ERASURE request; refuse still closes it; eraseCustomer completes it', async () => {
    const id = await verified();
    const completed = await dpo.request('mutation($id: ID!) { completeDataRequest(id: $id, outcome: "Erased") { status } }', { id });
    expect(completed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await app.ownerCore.query('SELECT status FROM data_request WHERE id = $1', [id]))[0].status).toBe('OPEN');
    expect((await app.ownerCore.query('SELECT status FROM customer WHERE id = $1', [customerId]))[0].status).toBe('ACTIVE');

    const refused = await dpo.request<{ refuseDataRequest: { status: string } }>('mutation($id: ID!) { refuseDataRequest(id: $id, reason: "Manifestly unfounded") { status } }', { id });
    expect(refused.data?.refuseDataRequest.status).toBe('REFUSED');

    const second = await verified();
    const erased = await dpo.request<{ eraseCustomer: { outcome: string } }>(ERASE, { customerId, dataRequestId: second });
    expect(erased.data?.eraseCustomer.outcome).toBe('ERASED');
    expect((await app.ownerCore.query('SELECT status FROM data_request WHERE id = $1', [second]))[0].status).toBe('COMPLETED');
  });
});
