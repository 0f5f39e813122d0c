/**
 * eraseCustomer and legal holds (Art. 17(3)(e): data needed for legal claims is not erased): while a hold is in force
 * the erasure is refused on `customerId` and nothing changes; once the hold is released the same request erases.
 * And an inactivation states the "kept until" date of the chain's own retention policy, not the default.
 */
import { randomUUID } from 'node:crypto';
import { sealForTest } from '../support/clinical-ciphertext';
import { EMAIL, signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { createCustomer, createRequest, ERASE, person } from './erasure-support';

describe('eraseCustomer under a legal hold', () => {
  let app: TestApp;
  let leedsId: string;
  let users: Record<'dpo' | 'leedsManager', SignedInClient>;

  beforeAll(async () => {
    app = await startTestApp();
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    users = await signInAll(app, ['dpo', 'leedsManager']);
  });
  afterAll(() => app.stop());

  it('refuses while a hold is in force, changing nothing; erases once it is released', async () => {
    const customerId = await createCustomer(users.leedsManager, leedsId, person('Held'));
    const requestId = await createRequest(app, customerId);
    const placed = await users.dpo.request<{ placeLegalHold: { id: string } }>(
      'mutation($c: ID!) { placeLegalHold(customerId: $c, reason: "Claim 17: keep everything") { id } }', { c: customerId });
    expect(placed.errors).toBeUndefined();
    const before = await app.ownerCore.query('SELECT * FROM customer WHERE id = $1', [customerId]);

    const refused = await users.dpo.request(ERASE, { customerId, dataRequestId: requestId });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
    expect(refused.errors?.[0]?.message).toMatch(/legal hold/);
    expect(await app.ownerCore.query('SELECT * FROM customer WHERE id = $1', [customerId])).toEqual(before);
    expect((await app.ownerCore.query('SELECT status FROM data_request WHERE id = $1', [requestId]))[0].status).toBe('OPEN');

    const released = await users.dpo.request('mutation($id: ID!) { releaseLegalHold(id: $id, reason: "Claim settled") { id } }', { id: placed.data!.placeLegalHold.id });
    expect(released.errors).toBeUndefined();
    const erased = await users.dpo.request<{ eraseCustomer: { outcome: string } }>(ERASE, { customerId, dataRequestId: requestId });
    expect(erased.errors).toBeUndefined();
    expect(erased.data!.eraseCustomer.outcome).toBe('ERASED');
  });

  it('an inactivation keeps the records until the chain’s retention policy says (here 12 years after the last contact)', async () => {
    const cm = (await signInAll(app, ['chainManager'])).chainManager;
    const policy = await cm.request('mutation { updateRetentionPolicy(input: { adultYears: 12 }) { adultYears } }');
    expect(policy.errors).toBeUndefined();
    const customerId = await createCustomer(users.leedsManager, leedsId, person('Patient'));
    const [{ chain_id: chainId }] = await app.ownerCore.query('SELECT chain_id FROM customer WHERE id = $1', [customerId]);
    // Clinical free text is stored encrypted (test/encryption).
    const noteId = randomUUID();
    const subjective = await sealForTest(app.ownerClinical, chainId, 'ClinicalNote', 'subjective', noteId, 'Seen for a review.');
    await app.ownerClinical.query(
      `INSERT INTO clinical_note (id, chain_id, store_id, customer_id, author_id, subjective, created_at, data_key_id)
       VALUES ($5, $1, $2, $3, $4, $6, '2020-05-06T10:00:00Z', $7)`,
      [chainId, leedsId, customerId, (await app.ownerCore.query('SELECT id FROM staff_user WHERE email = $1', [EMAIL.leedsOptometrist]))[0].id, noteId, subjective.value, subjective.keyId]);
    const requestId = await createRequest(app, customerId);
    const erased = await users.dpo.request<{ eraseCustomer: { outcome: string; retained: { category: string; reason: string }[] } }>(ERASE, { customerId, dataRequestId: requestId });
    expect(erased.errors).toBeUndefined();
    expect(erased.data!.eraseCustomer.outcome).toBe('INACTIVATED');
    expect(JSON.stringify(erased.data!.eraseCustomer.retained)).toContain('2032-05-06');
  });
});
