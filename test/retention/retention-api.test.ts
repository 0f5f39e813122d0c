/**
 * Retention through the API (docs/retention.md): the chain's retention policy (defaults, bounds, every change in the
 * hash-chained security settings history), legal holds (placed, listed, released once, scoped by the customer's home
 * store, kept by the database), and default deny: every demo role but the data protection officer and the chain
 * managers is FORBIDDEN on each new root field.
 */
import { verifySecuritySettings } from '../../src/hash-chain/security-setting-chain';
import { startTestApp, TestApp } from '../support/test-app';
import { errorCodes } from '../support/graphql-client';
import { ACTORS, EMAIL } from '../support/actors';
import { Actors, Demo, refusals } from '../support/manager-actors';

const POLICY = '{ retentionPolicy { adultYears childUntilAge childUnderAge updatedAt updatedBy { name } } }';
const UPDATE_POLICY = 'mutation($input: UpdateRetentionPolicyInput!) { updateRetentionPolicy(input: $input) { adultYears childUntilAge childUnderAge updatedBy { name } } }';
const PLACE = 'mutation($c: ID!, $r: String!) { placeLegalHold(customerId: $c, reason: $r) { id customerId reason placedAt placedBy { name } inForce releasedAt } }';
const RELEASE = 'mutation($id: ID!, $r: String) { releaseLegalHold(id: $id, reason: $r) { id inForce releasedAt releasedBy { name } releaseReason } }';
const HOLDS = 'query($c: ID) { legalHolds(customerId: $c) { id customerId reason inForce placedBy { name } } }';
const HOLD_IDS = 'query($c: ID) { legalHolds(customerId: $c) { id customerId } }';

interface Hold { id: string; customerId: string; reason: string; inForce: boolean; releasedAt: string | null; placedBy: { name: string } }

describe('retention policy and legal holds', () => {
  let app: TestApp;
  let actors: Actors;
  let demo: Demo;
  let leedsCustomers: string[];
  let yorkCustomer: string;

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    demo = await actors.demo();
    const ids = async (store: string, n: number): Promise<string[]> => ((await app.ownerCore.query(
      `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT $2`, [demo.stores[store], n])) as { id: string }[]).map((r) => r.id);
    leedsCustomers = await ids('Leeds', 4);
    [yorkCustomer] = await ids('York', 1);
  });
  afterAll(() => app?.stop());

  describe('retentionPolicy', () => {
    it('starts with the defaults: 10 years, the 25th birthday, children under 18', async () => {
      const result = await actors.as(EMAIL.dpo, POLICY);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ retentionPolicy: { adultYears: 10, childUntilAge: 25, childUnderAge: 18, updatedAt: null, updatedBy: null } });
    });

    it('refuses out-of-range rules, naming the field, and changes nothing', async () => {
      for (const [input, field] of [
        [{ adultYears: 0 }, 'input.adultYears'], [{ adultYears: 101 }, 'input.adultYears'], [{ childUntilAge: 0 }, 'input.childUntilAge'],
        [{ childUntilAge: 101 }, 'input.childUntilAge'], [{ childUnderAge: 26 }, 'input.childUnderAge'], [{ childUnderAge: 0 }, 'input.childUnderAge'],
        [{}, 'input'], [{ adultYears: null }, 'input'],
      ] as const) {
        const result = await actors.as(EMAIL.dpo, UPDATE_POLICY, { input });
        expect({ input, ...refusals(result) }).toMatchObject({ input, codes: ['BAD_USER_INPUT'], fields: [field] });
      }
      const [{ n }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM security_setting_change WHERE setting = 'RetentionPolicy'`);
      expect(n).toBe(0);
      expect((await actors.ok<{ retentionPolicy: { adultYears: number } }>(EMAIL.dpo, POLICY)).retentionPolicy.adultYears).toBe(10);
    });

    it('is changed by the DPO, with every change in the hash-chained security settings history (who, when, before and after)', async () => {
      const changed = await actors.ok<{ updateRetentionPolicy: unknown }>(EMAIL.dpo, UPDATE_POLICY, { input: { adultYears: 12, childUntilAge: 26 } });
      expect(changed.updateRetentionPolicy).toEqual({ adultYears: 12, childUntilAge: 26, childUnderAge: 18, updatedBy: { name: expect.any(String) } });
      await actors.ok(EMAIL.chainManager, UPDATE_POLICY, { input: { adultYears: 10, childUntilAge: 25 } });
      const history = await app.ownerCore.query(
        `SELECT e.user_id, u.email, e.before, e.after, e.weakened, e.occurred_at FROM security_setting_change e JOIN staff_user u ON u.id = e.user_id
          WHERE e.setting = 'RetentionPolicy' ORDER BY e.seq`);
      expect(history).toEqual([
        expect.objectContaining({ email: EMAIL.dpo, before: { adultYears: 10, childUntilAge: 25, childUnderAge: 18 }, after: { adultYears: 12, childUntilAge: 26, childUnderAge: 18 }, weakened: [] }),
        expect.objectContaining({ email: EMAIL.chainManager, before: { adultYears: 12, childUntilAge: 26, childUnderAge: 18 }, after: { adultYears: 10, childUntilAge: 25, childUnderAge: 18 } }),
      ]);
      expect((await verifySecuritySettings(app.ownerCore)).ok).toBe(true);
      const now = await actors.ok<{ retentionPolicy: { updatedAt: string; updatedBy: { name: string } } }>(EMAIL.dpo, POLICY);
      expect(now.retentionPolicy.updatedAt).not.toBeNull();
    });

    it('is chain-wide: a store-scoped grant of RetentionPolicy does not reach it', async () => {
      const userId = await actors.makeStaff('retention.store@clearview.example', 'Store-scoped retention');
      await actors.giveRole(userId, 'Retention at Leeds', [{ action: 'read', subject: 'RetentionPolicy' }, { action: 'update', subject: 'RetentionPolicy' }],
        { scopeType: 'STORE', storeId: demo.stores.Leeds });
      expect(errorCodes(await actors.as('retention.store@clearview.example', POLICY))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await actors.as('retention.store@clearview.example', UPDATE_POLICY, { input: { adultYears: 11 } }))).toEqual(['FORBIDDEN']);
    });
  });

  describe('legal holds', () => {
    it('are placed with a reason, listed (in force first) and released once, by whom, when and why', async () => {
      const customerId = leedsCustomers[0];
      const placed = await actors.ok<{ placeLegalHold: Hold }>(EMAIL.dpo, PLACE, { c: customerId, r: '  Insurance claim ref. 4471: keep every record.  ' });
      expect(placed.placeLegalHold).toMatchObject({ customerId, reason: 'Insurance claim ref. 4471: keep every record.', inForce: true, releasedAt: null, placedBy: { name: expect.any(String) } });
      const second = await actors.ok<{ placeLegalHold: Hold }>(EMAIL.dpo, PLACE, { c: customerId, r: 'Regulator’s inquiry INQ-77.' });
      const released = await actors.ok<{ releaseLegalHold: Record<string, unknown> }>(EMAIL.dpo, RELEASE, { id: placed.placeLegalHold.id, r: 'Claim settled.' });
      expect(released.releaseLegalHold).toMatchObject({ inForce: false, releasedAt: expect.any(String), releasedBy: { name: expect.any(String) }, releaseReason: 'Claim settled.' });
      expect(refusals(await actors.as(EMAIL.dpo, RELEASE, { id: placed.placeLegalHold.id }))).toMatchObject({ codes: ['BAD_USER_INPUT'], fields: ['id'] });
      const list = await actors.ok<{ legalHolds: Hold[] }>(EMAIL.dpo, HOLDS, { c: customerId });
      expect(list.legalHolds.map((h) => [h.id, h.inForce])).toEqual([[second.placeLegalHold.id, true], [placed.placeLegalHold.id, false]]);
      const [row] = await app.ownerCore.query('SELECT placed_by_id, released_by_id, released_at, release_reason FROM legal_hold WHERE id = $1', [placed.placeLegalHold.id]);
      expect(row).toMatchObject({ placed_by_id: demo.users[EMAIL.dpo], released_by_id: demo.users[EMAIL.dpo], release_reason: 'Claim settled.' });
    });

    it('refuse bad input, naming the argument, and change nothing', async () => {
      const count = async () => (await app.ownerCore.query('SELECT count(*)::int AS n FROM legal_hold'))[0].n as number;
      const before = await count();
      for (const [variables, field] of [
        [{ c: leedsCustomers[1], r: '   ' }, 'reason'], [{ c: leedsCustomers[1], r: 'x'.repeat(1001) }, 'reason'],
        [{ c: leedsCustomers[1], r: 'bad\u202Etext' }, 'reason'], [{ c: 'not-an-id', r: 'A claim.' }, 'customerId'],
      ] as const) {
        expect({ variables, ...refusals(await actors.as(EMAIL.dpo, PLACE, variables)) }).toMatchObject({ codes: ['BAD_USER_INPUT'], fields: [field] });
      }
      expect(errorCodes(await actors.as(EMAIL.dpo, PLACE, { c: '00000000-0000-4000-8000-000000000000', r: 'A claim.' }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await actors.as(EMAIL.dpo, RELEASE, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
      expect(refusals(await actors.as(EMAIL.dpo, HOLDS, { c: 'nope' }))).toMatchObject({ codes: ['BAD_USER_INPUT'], fields: ['customerId'] });
      expect(await count()).toBe(before);
    });

    it('are scoped by the customer’s home store: a Leeds-only holder sees and holds Leeds customers, York is NOT_FOUND', async () => {
      const york = await actors.ok<{ placeLegalHold: Hold }>(EMAIL.dpo, PLACE, { c: yorkCustomer, r: 'York claim.' });
      const email = 'holds.leeds@clearview.example';
      const userId = await actors.makeStaff(email, 'Leeds holds');
      await actors.giveRole(userId, 'Legal holds at Leeds', [
        { action: 'read', subject: 'Customer', fields: ['id'] }, { action: 'read', subject: 'LegalHold' },
        { action: 'create', subject: 'LegalHold' }, { action: 'update', subject: 'LegalHold' },
      ], { scopeType: 'STORE', storeId: demo.stores.Leeds });
      const mine = await actors.ok<{ placeLegalHold: Hold }>(email, PLACE, { c: leedsCustomers[2], r: 'Leeds claim.' });
      expect(errorCodes(await actors.as(email, PLACE, { c: yorkCustomer, r: 'Not mine.' }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await actors.as(email, RELEASE, { id: york.placeLegalHold.id }))).toEqual(['NOT_FOUND']);
      // (Who placed them is a User field: readable only where the caller may read users, which this role may not.)
      expect(errorCodes(await actors.as(email, HOLDS))).toContain('FORBIDDEN');
      const seen = (await actors.ok<{ legalHolds: Hold[] }>(email, HOLD_IDS)).legalHolds.map((h) => h.customerId);
      expect(seen).toContain(leedsCustomers[2]);
      expect(seen).not.toContain(yorkCustomer);
      expect((await actors.ok<{ legalHolds: Hold[] }>(EMAIL.dpo, HOLDS)).legalHolds.map((h) => h.id)).toEqual(expect.arrayContaining([mine.placeLegalHold.id, york.placeLegalHold.id]));
      // Another chain's manager sees none of Clearview's holds and cannot release one.
      expect((await actors.ok<{ legalHolds: Hold[] }>(EMAIL.lakesideManager, HOLD_IDS)).legalHolds).toEqual([]);
      expect(errorCodes(await actors.as(EMAIL.lakesideManager, RELEASE, { id: mine.placeLegalHold.id }))).toEqual(['NOT_FOUND']);
    });

    it('are kept by the database: only a release, once, may change a hold; none is deleted (the owner included)', async () => {
      const hold = await actors.ok<{ placeLegalHold: Hold }>(EMAIL.dpo, PLACE, { c: leedsCustomers[3], r: 'Kept by the database.' });
      const id = hold.placeLegalHold.id;
      await expect(app.ownerCore.query(`UPDATE legal_hold SET reason = 'changed' WHERE id = $1`, [id])).rejects.toThrow(/may only release/);
      await expect(app.ownerCore.query('DELETE FROM legal_hold WHERE id = $1', [id])).rejects.toThrow(/keeps every hold/);
      await expect(app.core.query('TRUNCATE legal_hold')).rejects.toThrow();
      await app.ownerCore.query('UPDATE legal_hold SET released_at = now(), released_by_id = $2 WHERE id = $1', [id, demo.users[EMAIL.dpo]]);
      await expect(app.ownerCore.query('UPDATE legal_hold SET released_at = now() WHERE id = $1', [id])).rejects.toThrow(/final/);
      await expect(app.ownerCore.query('UPDATE retention_run SET dry_run = true')).resolves.toBeDefined(); // no rows yet: nothing to reject
      await expect(app.ownerCore.query('TRUNCATE retention_run')).rejects.toThrow(/append-only/);
    });
  });

  describe('default deny', () => {
    const FIELDS: [string, string, Record<string, unknown>][] = [
      ['retentionPolicy', POLICY, {}],
      ['updateRetentionPolicy', UPDATE_POLICY, { input: { adultYears: 11 } }],
      ['legalHolds', HOLDS, {}],
      ['placeLegalHold', PLACE, { c: '00000000-0000-4000-8000-000000000000', r: 'A claim.' }],
      ['releaseLegalHold', RELEASE, { id: '00000000-0000-4000-8000-000000000000' }],
    ];
    // The DPO holds the new subjects; the chain managers (Clearview's and Lakeside's) hold `manage` on every subject.
    const REFUSED = ACTORS.filter((actor) => !['dpo', 'chainManager', 'lakesideManager'].includes(actor));

    it('refuses every other demo role on every new root field with FORBIDDEN', async () => {
      expect(REFUSED.sort()).toEqual(['bi', 'leedsAssistant', 'leedsManager', 'leedsOptometrist', 'leedsReception', 'locum', 'northManager']);
      for (const actor of REFUSED) {
        for (const [field, query, variables] of FIELDS) {
          expect({ actor, field, codes: errorCodes(await actors.as(EMAIL[actor], query, variables)) }).toEqual({ actor, field, codes: ['FORBIDDEN'] });
        }
      }
      const [{ n }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM security_setting_change WHERE setting = 'RetentionPolicy' AND user_id <> ALL($1::uuid[])`,
        [[demo.users[EMAIL.dpo], demo.users[EMAIL.chainManager]]]);
      expect(n).toBe(0);
    });

    it('refuses without a session', async () => {
      for (const [field, query, variables] of FIELDS) {
        expect({ field, codes: errorCodes(await app.request(query, variables)) }).toEqual({ field, codes: ['UNAUTHENTICATED'] });
      }
    });
  });
});
