/**
 * Attack on data quality's "who and when" (issue 12, item 6): `Customer.dataVerifiedById` says who recorded the
 * customer's last confirmation of their details. Found by confirming a Leeds customer's details as the Leeds store
 * manager (confirmCustomerDetails) and then setting `dataVerifiedAt` through `updateCustomer` as the chain manager:
 * the new confirmation date stood beside the store manager's id, naming the wrong person (and a backdated or cleared
 * date kept it too). Whoever sets `dataVerifiedAt` is recorded as the one who verified (null when it is cleared), in
 * the customer and in the change log's before/after.
 */
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const CONFIRM = 'mutation($c: ID!) { confirmCustomerDetails(customerId: $c) { id dataVerifiedAt dataVerifiedById } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id dataVerifiedAt dataVerifiedById } }';
interface Out { id: string; dataVerifiedAt: string | null; dataVerifiedById: string | null }

describe('attack: who verified a customer’s details', () => {
  let t: TestApp;
  let leedsManager: SignedInClient;
  let chainManager: SignedInClient;
  let ids: Record<string, string>;
  let customerId: string;
  beforeAll(async () => {
    t = await startTestApp();
    leedsManager = await signIn(t, 'leedsManager');
    chainManager = await signIn(t, 'chainManager');
    const users: { id: string; email: string }[] = await t.ownerCore.query(`SELECT id::text AS id, email FROM staff_user WHERE email IN ('leeds.manager@clearview.example', 'chain.manager@clearview.example')`);
    ids = Object.fromEntries(users.map((u) => [u.email, u.id]));
    customerId = (await t.ownerCore.query(`SELECT c.id::text AS id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Leeds' AND c.status = 'ACTIVE' ORDER BY c.id LIMIT 1`))[0].id;
  });
  afterAll(() => t.stop());

  it('names the member of staff who set dataVerifiedAt through updateCustomer, not the one who confirmed before', async () => {
    const confirmed = await leedsManager.request<{ confirmCustomerDetails: Out }>(CONFIRM, { c: customerId });
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data!.confirmCustomerDetails.dataVerifiedById).toBe(ids['leeds.manager@clearview.example']);

    const backdated = new Date(Date.now() - 30 * 86400_000).toISOString();
    const res = await chainManager.request<{ updateCustomer: Out }>(UPDATE, { id: customerId, input: { dataVerifiedAt: backdated } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateCustomer).toMatchObject({ dataVerifiedAt: backdated, dataVerifiedById: ids['chain.manager@clearview.example'] });
    const [entry] = await t.ownerCore.query(
      `SELECT user_id::text AS user_id, changes FROM personal_change_log_entry WHERE record_id = $1 AND changes ? 'dataVerifiedAt' ORDER BY id DESC LIMIT 1`, [customerId]);
    expect(entry.user_id).toBe(ids['chain.manager@clearview.example']);
    expect(entry.changes.dataVerifiedById).toEqual({ before: ids['leeds.manager@clearview.example'], after: ids['chain.manager@clearview.example'] });

    const cleared = await chainManager.request<{ updateCustomer: Out }>(UPDATE, { id: customerId, input: { dataVerifiedAt: null } });
    expect(cleared.errors).toBeUndefined();
    expect(cleared.data!.updateCustomer).toMatchObject({ dataVerifiedAt: null, dataVerifiedById: null });
  });
});
