/**
 * eraseCustomer, both outcomes, against both databases: a customer without clinical records is ERASED (no
 * name, email or phone left in any text or jsonb column of either database, the tombstone shows nothing, the
 * request completed, the hash chains still verify); a customer with a clinical record is INACTIVATED (clinical
 * data intact, email and phone gone everywhere, consents withdrawn, an objection with its suppression). A
 * tombstone cannot be erased again; a re-created customer with the erased one's email stays suppressed when the
 * erased one had objected.
 */
import { signInAll, SignedInClient } from '../support/actors';
import { decryptStored } from '../support/clinical-ciphertext';
import { startTestApp, TestApp } from '../support/test-app';
import { addPersonalHistory, auditVerifies, createCustomer, createRequest, ERASE, findValues, person } from './erasure-support';

interface Erased { eraseCustomer: { outcome: string; retained: { category: string; reason: string }[] } }

describe('eraseCustomer', () => {
  let app: TestApp;
  let leedsId: string;
  let users: Record<'dpo' | 'leedsManager' | 'leedsAssistant' | 'leedsOptometrist', SignedInClient>;

  beforeAll(async () => {
    app = await startTestApp();
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    users = await signInAll(app, ['dpo', 'leedsManager', 'leedsAssistant', 'leedsOptometrist']);
  });
  afterAll(() => app.stop());

  describe('a customer without clinical records: ERASED', () => {
    const p = person('Erased');
    let customerId: string;
    let requestId: string;
    let result: Erased['eraseCustomer'];

    beforeAll(async () => {
      customerId = await createCustomer(users.leedsManager, leedsId, p);
      await addPersonalHistory(users.leedsAssistant, users.leedsManager, customerId, p);
      const objected = await users.leedsAssistant.request(`mutation($c: ID!) { recordMarketingObjection(customerId: $c, source: IN_STORE) { objected } }`, { c: customerId });
      expect(objected.errors).toBeUndefined();
      expect(await findValues(app.ownerCore, [p.lastName, p.email, p.phone])).toEqual(expect.arrayContaining(['customer.last_name', 'personal_change_log_entry.changes']));
      requestId = await createRequest(app, customerId);
      const erased = await users.dpo.request<Erased>(ERASE, { customerId, dataRequestId: requestId });
      expect(erased.errors).toBeUndefined();
      result = erased.data!.eraseCustomer;
    });

    it('answers ERASED with what was kept and why', () => {
      expect(result.outcome).toBe('ERASED');
      expect(result.retained.map((r) => r.category)).toEqual(['Tombstone', 'Audit trail entries', 'Consent history', 'Marketing suppression']);
      for (const r of result.retained) expect(r.reason.length).toBeGreaterThan(20);
    });

    it('leaves the name, email and phone in no text or jsonb column of either database', async () => {
      const needles = [p.firstName, p.lastName, p.email, p.phone, p.phone.replace(/\s/g, '')];
      expect(await findValues(app.ownerCore, needles)).toEqual([]);
      expect(await findValues(app.ownerClinical, needles)).toEqual([]);
    });

    it('keeps a tombstone: status ERASED, erasedAt, no personal field, over GraphQL too', async () => {
      const [row] = await app.ownerCore.query(`SELECT * FROM customer WHERE id = $1`, [customerId]);
      expect(row).toMatchObject({ status: 'ERASED', first_name: null, last_name: null, date_of_birth: null, email: null, phone: null, address_line1: null, city: null, postcode: null, sex: 'UNKNOWN' });
      expect(row.erased_at).toBeInstanceOf(Date);
      const read = await users.dpo.request<{ customer: Record<string, unknown> }>(
        `query($id: ID!) { customer(id: $id) { id status erasedAt firstName lastName dateOfBirth email phone addressLine1 postcode
           consents { channel granted saleReference history { saleReference } } processingRestriction { reason history { reason } } } }`, { id: customerId });
      expect(read.errors).toBeUndefined();
      expect(read.data!.customer).toMatchObject({ id: customerId, status: 'ERASED', firstName: null, lastName: null, dateOfBirth: null, email: null, phone: null, addressLine1: null, postcode: null });
      expect(JSON.stringify(read.data)).not.toMatch(new RegExp(`${p.lastName}|${p.firstName}|INV `));
    });

    it('redacts the change log values, logs the erasure without values, and both chains still verify', async () => {
      const log = await users.dpo.request<{ dataChangeLog: { edges: { node: { action: string; recordType: string; changes: { field: string; before: unknown; after: unknown; redacted?: boolean }[] } }[] } }>(
        `query($c: ID!) { dataChangeLog(customerId: $c, first: 100) { edges { node { action recordType changes { field before after redacted } } } } }`, { c: customerId });
      expect(log.errors).toBeUndefined();
      const nodes = log.data!.dataChangeLog.edges.map((e) => e.node);
      expect(nodes.find((n) => n.action === 'ERASE' && n.recordType === 'Customer')!.changes).toEqual(expect.arrayContaining([
        { field: 'status', before: 'ACTIVE', after: 'ERASED', redacted: false }, { field: 'email', before: '(removed)', after: null, redacted: false },
      ]));
      expect(nodes.find((n) => n.action === 'CREATE' && n.recordType === 'Customer')!.changes).toEqual(expect.arrayContaining([{ field: 'lastName', before: null, after: null, redacted: true }]));
      const [redaction] = await app.ownerCore.query(`SELECT * FROM personal_change_log_redaction WHERE customer_id = $1`, [customerId]);
      expect(redaction).toMatchObject({ fields: null, reason: `erasure request ${requestId}` });
      expect(redaction.entries).toBeGreaterThanOrEqual(5);
      const verified = await auditVerifies(app);
      expect(verified.lines.filter((l) => l.includes('FAIL'))).toEqual([]);
      expect(verified.ok).toBe(true);
    });

    it('completes the request with the outcome', async () => {
      const [request] = await app.ownerCore.query(`SELECT status, outcome FROM data_request WHERE id = $1`, [requestId]);
      expect(request.status).toBe('COMPLETED');
      expect(request.outcome).toMatch(/^Erased/);
      const events = await app.ownerCore.query(`SELECT kind, details FROM data_request_event WHERE data_request_id = $1`, [requestId]);
      expect(events).toEqual([expect.objectContaining({ kind: 'COMPLETED', details: expect.objectContaining({ outcome: 'ERASED' }) })]);
    });

    it('refuses to erase the tombstone again (BAD_USER_INPUT on customerId) and changes nothing', async () => {
      const again = await createRequest(app, customerId);
      const before = await app.ownerCore.query(`SELECT count(*)::int AS n FROM personal_change_log_entry WHERE customer_id = $1`, [customerId]);
      const result2 = await users.dpo.request(ERASE, { customerId, dataRequestId: again });
      expect(result2.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
      expect(await app.ownerCore.query(`SELECT count(*)::int AS n FROM personal_change_log_entry WHERE customer_id = $1`, [customerId])).toEqual(before);
      expect((await app.ownerCore.query(`SELECT status FROM data_request WHERE id = $1`, [again]))[0].status).toBe('OPEN');
    });

    it('leaves the tombstone out of customers unless includeErased: true, and out of marketing lists', async () => {
      const q = `query($s: ID, $i: Boolean, $t: String) { customers(storeId: $s, includeErased: $i, search: $t) { totalCount } }`;
      const plain = await users.dpo.request<{ customers: { totalCount: number } }>(q, { s: leedsId });
      const all = await users.dpo.request<{ customers: { totalCount: number } }>(q, { s: leedsId, i: true });
      const [{ n }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM customer WHERE home_store_id = $1 AND status = 'ERASED'`, [leedsId]);
      expect(n).toBeGreaterThan(0);
      expect(all.data!.customers.totalCount).toBe(plain.data!.customers.totalCount + n);
      expect((await users.dpo.request<{ customers: { totalCount: number } }>(q, { s: leedsId, i: false })).data!.customers.totalCount).toBe(plain.data!.customers.totalCount);
      const listed = await users.dpo.request<{ customer: { status: string } }>(`query($id: ID!) { customer(id: $id) { status } }`, { id: customerId });
      expect(listed.data!.customer.status).toBe('ERASED');
    });

    it('refuses writes to the tombstone (NOT_FOUND)', async () => {
      const update = await users.leedsManager.request(`mutation($id: ID!) { updateCustomer(id: $id, input: { phone: "0113 496 0001" }) { id } }`, { id: customerId });
      expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const note = await users.leedsOptometrist.request(`mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }`, { input: { customerId, storeId: leedsId, plan: 'x' } });
      expect(note.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('still suppresses a customer created again with the same email (the erased one had objected)', async () => {
      const again = await users.leedsManager.request<{ createCustomer: { id: string } }>(
        `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
        { input: { firstName: 'New', lastName: 'Record', dateOfBirth: '1980-04-12', homeStoreId: leedsId, email: `  ${p.email.toUpperCase()} ` } });
      expect(again.errors).toBeUndefined();
      const read = await users.leedsManager.request<{ customer: { marketingObjection: { objected: boolean; suppressed: boolean } } }>(
        `query($id: ID!) { customer(id: $id) { marketingObjection { objected suppressed } } }`, { id: again.data!.createCustomer.id });
      expect(read.errors).toBeUndefined();
      expect(read.data!.customer.marketingObjection).toEqual({ objected: false, suppressed: true });
    });
  });

  describe('a customer with a clinical record: INACTIVATED', () => {
    const p = person('Inactive');
    let customerId: string;
    let result: Erased['eraseCustomer'];
    let requestId: string;

    beforeAll(async () => {
      customerId = await createCustomer(users.leedsManager, leedsId, p);
      await addPersonalHistory(users.leedsAssistant, users.leedsManager, customerId, p);
      const note = await users.leedsOptometrist.request(`mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }`,
        { input: { customerId, storeId: leedsId, plan: 'Review in two years' } });
      expect(note.errors).toBeUndefined();
      requestId = await createRequest(app, customerId);
      const erased = await users.dpo.request<Erased>(ERASE, { customerId, dataRequestId: requestId });
      expect(erased.errors).toBeUndefined();
      result = erased.data!.eraseCustomer;
    });

    it('answers INACTIVATED, naming the health records and until when they are kept', () => {
      expect(result.outcome).toBe('INACTIVATED');
      expect(result.retained.map((r) => r.category)).toEqual(['Health records', 'Identity and address', 'Audit trail entries', 'Consent history', 'Marketing suppression']);
      const until = `${new Date().getUTCFullYear() + 10}-`;
      expect(result.retained[0].reason).toContain(`until ${until}`);
    });

    it('keeps the clinical data and the identity; status INACTIVE; email and phone in no column of either database', async () => {
      // Stored encrypted (test/encryption): decrypted with the run's master key.
      const notes: { id: string; plan: string }[] = await app.ownerClinical.query(`SELECT id::text AS id, plan FROM clinical_note WHERE customer_id = $1`, [customerId]);
      expect(await Promise.all(notes.map(async (n) => ({ plan: await decryptStored(app.ownerClinical, 'ClinicalNote', 'plan', n.id, n.plan) })))).toEqual([{ plan: 'Review in two years' }]);
      const [row] = await app.ownerCore.query(`SELECT status, first_name, last_name, email, phone, address_line1 FROM customer WHERE id = $1`, [customerId]);
      expect(row).toEqual({ status: 'INACTIVE', first_name: p.firstName, last_name: p.lastName, email: null, phone: null, address_line1: `1 ${p.lastName} Row` });
      expect(await findValues(app.ownerCore, [p.email, p.phone, '07700 900000'])).toEqual([]);
      expect(await findValues(app.ownerClinical, [p.email, p.phone])).toEqual([]);
    });

    it('withdraws every granted marketing consent by an event and records an objection with its suppression', async () => {
      const consents = await app.ownerCore.query(`SELECT channel::text AS channel, granted FROM consent WHERE customer_id = $1 ORDER BY 1`, [customerId]);
      expect(consents).toEqual([{ channel: 'EMAIL', granted: false }, { channel: 'SMS', granted: false }]);
      const events = await app.ownerCore.query(`SELECT channel, granted FROM consent_event WHERE customer_id = $1 ORDER BY changed_at`, [customerId]);
      expect(events.filter((e: { granted: boolean }) => !e.granted)).toHaveLength(2);
      const objections = await app.ownerCore.query(
        `SELECT s.email_hash IS NOT NULL AS email, s.phone_hash IS NOT NULL AS phone FROM marketing_objection o JOIN marketing_suppression s ON s.objection_id = o.id WHERE o.customer_id = $1`, [customerId]);
      expect(objections).toEqual([{ email: true, phone: true }]);
    });

    it('the chains still verify, and the request is completed', async () => {
      const verified = await auditVerifies(app);
      expect(verified.lines.filter((l) => l.includes('FAIL'))).toEqual([]);
      expect((await app.ownerCore.query(`SELECT status FROM data_request WHERE id = $1`, [requestId]))[0].status).toBe('COMPLETED');
    });
  });
});
