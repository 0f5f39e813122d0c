/**
 * disposeCustomer (the retention run's disposal, src/services/erasure/): a customer with health records past
 * retention loses them in the clinical database (each logged as a DELETE without values, the clinical change
 * log's values redacted, the clinical access log kept), then is erased in core like an erasure; both chains
 * verify; running it again changes nothing.
 */
import { disposeCustomer, ErasureActor } from '../../src/services/erasure';
import { signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { auditVerifies, findValues } from './erasure-support';

const CLINICAL_TABLES = ['examination', 'refraction', 'visual_acuity', 'intraocular_pressure', 'spectacle_prescription', 'contact_lens_specification', 'clinical_note'];

describe('disposeCustomer', () => {
  let app: TestApp;
  let users: Record<'leedsOptometrist', SignedInClient>;
  let customer: { id: string; chain_id: string; last_name: string; email: string | null };
  let actor: ErasureActor;
  const PLAN = 'Disposal plan text 8812';

  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const t of CLINICAL_TABLES) out[t] = (await app.ownerClinical.query(`SELECT count(*)::int AS n FROM ${t} WHERE customer_id = $1`, [customer.id]))[0].n;
    return out;
  };

  beforeAll(async () => {
    app = await startTestApp();
    users = await signInAll(app, ['leedsOptometrist']);
    const [leeds] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    const withRecords = (await app.ownerClinical.query(
      `SELECT DISTINCT e.customer_id AS id FROM examination e JOIN refraction r ON r.examination_id = e.id
        WHERE e.store_id = $1 AND EXISTS (SELECT 1 FROM spectacle_prescription p WHERE p.customer_id = e.customer_id)`, [leeds.id])) as { id: string }[];
    const ids = withRecords.map((r) => r.id);
    [customer] = await app.ownerCore.query(
      `SELECT id, chain_id, last_name, email FROM customer WHERE id = ANY ($1::uuid[]) AND status = 'ACTIVE' AND date_of_birth < current_date - interval '20 years' ORDER BY id LIMIT 1`, [ids]);
    const note = await users.leedsOptometrist.request(`mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }`,
      { input: { customerId: customer.id, storeId: leeds.id, plan: PLAN } });
    expect(note.errors).toBeUndefined();
    // a read, so that the clinical access log names the customer
    const read = await users.leedsOptometrist.request(`query($id: ID!) { customer(id: $id) { clinicalNotes { plan } } }`, { id: customer.id });
    expect(read.errors).toBeUndefined();
    actor = { chainId: customer.chain_id, userId: null, sessionId: null, requestId: 'retention-test-1', operationName: 'retention --apply' };
  });
  afterAll(() => app.stop());

  it('deletes the clinical records, logs and redacts them, keeps the access log, then erases in core; the chains verify', async () => {
    const before = await counts();
    expect(before.examination).toBeGreaterThan(0);
    expect(before.refraction).toBeGreaterThan(0);
    const accessLog = (await app.ownerClinical.query(`SELECT count(*)::int AS n FROM clinical_access_log_entry WHERE customer_id = $1`, [customer.id]))[0].n;
    expect(accessLog).toBeGreaterThan(0);

    const result = await disposeCustomer({ core: app.core, clinical: app.clinical }, actor, customer.id, 'retention period ended');
    expect(result.retained.map((r) => r.category)).toContain('Audit trail entries');

    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
    const deletes = await app.ownerClinical.query(
      `SELECT record_type, count(*)::int AS n FROM clinical_change_log_entry WHERE customer_id = $1 AND action = 'DELETE' AND user_id IS NULL GROUP BY 1`, [customer.id]);
    const total = Object.values(before).reduce((a, b) => a + b, 0);
    expect(deletes.reduce((a: number, r: { n: number }) => a + r.n, 0)).toBe(total);
    expect(await findValues(app.ownerClinical, [PLAN])).toEqual([]);
    expect((await app.ownerClinical.query(`SELECT count(*)::int AS n FROM clinical_access_log_entry WHERE customer_id = $1`, [customer.id]))[0].n).toBe(accessLog);
    const [tombstone] = await app.ownerCore.query(`SELECT status, last_name FROM customer WHERE id = $1`, [customer.id]);
    expect(tombstone).toEqual({ status: 'ERASED', last_name: null });
    // seeded surnames are shared by other customers: look at this customer's own log entries
    expect((await app.ownerCore.query(`SELECT count(*)::int AS n FROM personal_change_log_entry WHERE customer_id = $1 AND changes::text ILIKE $2`,
      [customer.id, `%${customer.last_name}%`]))[0].n).toBe(0);
    const erase = await app.ownerCore.query(`SELECT user_id, session_id, request_id FROM personal_change_log_entry WHERE customer_id = $1 AND action = 'ERASE'`, [customer.id]);
    expect(erase[0]).toEqual({ user_id: null, session_id: null, request_id: 'retention-test-1' });
    const verified = await auditVerifies(app);
    expect(verified.lines.filter((l) => l.includes('FAIL'))).toEqual([]);
    expect(verified.ok).toBe(true);
  });

  it('is idempotent: a second run leaves the tombstone and both logs alone', async () => {
    const entries = async () => [
      (await app.ownerCore.query(`SELECT count(*)::int AS n FROM personal_change_log_entry WHERE customer_id = $1`, [customer.id]))[0].n,
      (await app.ownerClinical.query(`SELECT count(*)::int AS n FROM clinical_change_log_entry WHERE customer_id = $1`, [customer.id]))[0].n,
      (await app.ownerClinical.query(`SELECT count(*)::int AS n FROM clinical_change_log_redaction WHERE customer_id = $1`, [customer.id]))[0].n,
      (await app.ownerCore.query(`SELECT count(*)::int AS n FROM personal_change_log_redaction WHERE customer_id = $1`, [customer.id]))[0].n,
    ];
    const before = await entries();
    await disposeCustomer({ core: app.core, clinical: app.clinical }, { ...actor, requestId: 'retention-test-2' }, customer.id, 'retention period ended');
    expect(await entries()).toEqual(before);
    expect((await auditVerifies(app)).ok).toBe(true);
  });
});
