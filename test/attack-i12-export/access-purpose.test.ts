/**
 * Attack on the customer data export (issue 12), through the real server: a declared purpose of access
 * (X-Access-Purpose) that is malformed refuses the whole request before anything is read (docs: "or the whole
 * request is refused with BAD_USER_INPUT"), as /graphql does. The export route ignored the problem and exported,
 * its clinical reads logged with no purpose at all. Now it is 400 naming the header, nothing read or logged; a
 * good purpose is on every access log entry the export writes.
 */
import { signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { exportBase, richLeedsCustomer } from '../customer-export/export-support';

describe('attack: the export honours X-Access-Purpose like /graphql', () => {
  let app: TestApp;
  let as: Record<'dpo', SignedInClient>;
  let customer: { id: string; chainId: string; homeStoreId: string };
  let dpoId: string;

  beforeAll(async () => {
    app = await startTestApp();
    as = await signInAll(app, ['dpo']);
    customer = await richLeedsCustomer(app);
    [{ id: dpoId }] = await app.ownerCore.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`);
  });

  afterAll(async () => {
    await app?.stop();
  });

  const exportEntries = async (): Promise<{ purpose: string | null }[]> => app.ownerClinical.query(
    `SELECT purpose FROM clinical_access_log_entry WHERE user_id = $1 AND customer_id = $2 AND operation_name = 'customerDataExport'`, [dpoId, customer.id],
  );
  const exportWith = async (purpose: string): Promise<{ status: number; text: string }> => {
    // A header carries bytes: the purpose's UTF-8, as a client sends it.
    const response = await fetch(`${exportBase(app)}/exports/customers/${customer.id}?format=json`, {
      headers: { authorization: `Bearer ${as.dpo.token}`, 'x-access-purpose': Buffer.from(purpose, 'utf8').toString('latin1') },
    });
    return { status: response.status, text: await response.text() };
  };
  const exportRows = async (): Promise<unknown[]> => app.ownerCore.query('SELECT 1 FROM customer_data_export WHERE user_id = $1', [dpoId]);

  it.each([
    ['too long', 'x'.repeat(201)],
    ['blank', '   '],
    ['a direction override', 'follow-up \u202E'],
  ])('refuses a purpose that is %s: 400 naming the header, nothing read, nothing logged', async (_what, purpose) => {
    const response = await exportWith(purpose);
    expect(response.status).toBe(400);
    const error = JSON.parse(response.text).errors[0];
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', parameter: 'X-Access-Purpose' });
    expect(await exportEntries()).toEqual([]);
    expect(await exportRows()).toEqual([]);
  });

  it('records a good purpose on every access log entry of the export', async () => {
    const response = await exportWith('SAR 2026-117');
    expect(response.status).toBe(200);
    const entries = await exportEntries();
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.purpose === 'SAR 2026-117')).toBe(true);
  });
});
