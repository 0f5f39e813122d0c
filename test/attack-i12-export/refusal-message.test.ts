/**
 * Attack on the customer data export (issue 12), through the real server: a refusal's message must not name
 * stores where the caller reads nothing of the subject. It disclosed at which other stores the customer has
 * appointments (or clinical records, or access log entries).
 */
import { signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport, richLeedsCustomer } from '../customer-export/export-support';

describe('attack: a refused export does not say where else the customer has rows', () => {
  let app: TestApp;
  let as: Record<'leedsManager', SignedInClient>;
  let customer: { id: string; chainId: string; homeStoreId: string };

  beforeAll(async () => {
    app = await startTestApp();
    as = await signInAll(app, ['leedsManager']);
    customer = await richLeedsCustomer(app);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('does not name, in a refusal, the stores the caller cannot read (where else the customer has rows)', async () => {
    const [other]: { id: string }[] = await app.ownerCore.query(
      `SELECT id FROM store WHERE chain_id = $1 AND id <> $2 AND name <> 'Leeds' ORDER BY name LIMIT 1`, [customer.chainId, customer.homeStoreId],
    );
    // The Leeds manager reads nothing at that store: an appointment of the customer there is none of theirs to know.
    await app.ownerCore.query(
      `INSERT INTO appointment (chain_id, store_id, customer_id, type, starts_at, ends_at, status)
       VALUES ($1, $2, $3, 'REPAIR', now() + interval '3 days', now() + interval '3 days 30 minutes', 'BOOKED')`,
      [customer.chainId, other.id, customer.id],
    );
    const response = await getExport(app, as.leedsManager.token, customer.id, 'format=json');
    expect(response.status).toBe(403);
    const message = JSON.parse(response.text).errors[0].message as string;
    expect(message).toContain(customer.homeStoreId); // what the caller can see is still named
    expect(message).not.toContain(other.id);
  });
});
