/**
 * Data quality (issue 12, item 6), through GraphQL with real sessions: verificationDue lists the active customers of
 * the stores the caller may read whose details were never confirmed or confirmed longer ago than the chain's period
 * (12 months by default; AuditSettings.verificationPeriodMonths, 1-60), never confirmed first, then oldest first,
 * paginated; confirmCustomerDetails stamps when and who, needs update on Customer.dataVerifiedAt, and is in the change
 * log. Every row expected is computed here from the database, not from the service.
 */
import { errorCodes } from '../support/graphql-client';
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const DUE = `query($s: ID, $first: Int, $after: String) { verificationDue(storeId: $s, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id dataVerifiedAt } } } }`;
const CONFIRM = 'mutation($c: ID!) { confirmCustomerDetails(customerId: $c) { id dataVerifiedAt dataVerifiedById } }';
const SETTINGS = 'mutation($input: UpdateAuditSettingsInput!) { updateAuditSettings(input: $input) { verificationPeriodMonths } }';

interface Page { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string; dataVerifiedAt: string | null } }[] }

describe('data quality: customers due for verification', () => {
  let t: TestApp;
  let leedsManager: SignedInClient;
  let dpo: SignedInClient;
  let leeds: string;

  beforeAll(async () => {
    t = await startTestApp();
    leedsManager = await signIn(t, 'leedsManager');
    dpo = await signIn(t, 'dpo');
    leeds = ((await t.core.query(`SELECT id FROM store WHERE name = 'Leeds'`)) as { id: string }[])[0].id;
    // a few never confirmed, so both kinds of position are paged through
    await t.ownerCore.query(`UPDATE customer SET data_verified_at = NULL WHERE id IN (SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id DESC LIMIT 3 OFFSET 5)`, [leeds]);
  });
  afterAll(() => t.stop());

  /** The expected list for Leeds, from the database: active, never or not within `months` confirmed; nulls first, then oldest. */
  const expected = async (months: number): Promise<string[]> => ((await t.ownerCore.query(
    `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' AND (data_verified_at IS NULL OR data_verified_at < now() - make_interval(months => $2))
      ORDER BY data_verified_at ASC NULLS FIRST, id`, [leeds, months],
  )) as { id: string }[]).map((r) => r.id);

  const walk = async (client: SignedInClient, storeId: string | null, first: number): Promise<{ ids: string[]; total: number }> => {
    const ids: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const res = await client.request<{ verificationDue: Page }>(DUE, { s: storeId, first, after });
      expect(res.errors).toBeUndefined();
      const page: Page = res.data!.verificationDue;
      total = page.totalCount;
      ids.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { ids, total };
  };

  it('lists the Leeds customers never confirmed first, then the longest unconfirmed, past 12 months, page by page', async () => {
    const want = await expected(12);
    expect(want.length).toBeGreaterThan(10);
    const { ids, total } = await walk(leedsManager, leeds, 7);
    expect(ids).toEqual(want);
    expect(total).toBe(want.length);
    // the store manager's scope is Leeds: without storeId the list is the same
    expect((await walk(leedsManager, null, 50)).ids).toEqual(want);
  });

  it('follows the chain’s verification period, which the DPO may change within 1 to 60 months (a longer one is a weakening)', async () => {
    const changed = await dpo.request<{ updateAuditSettings: { verificationPeriodMonths: number } }>(SETTINGS, { input: { verificationPeriodMonths: 18 } });
    expect(changed.errors).toBeUndefined();
    expect((await walk(leedsManager, leeds, 100)).ids).toEqual(await expected(18));
    for (const months of [0, 61]) {
      const res = await dpo.request(SETTINGS, { input: { verificationPeriodMonths: months } });
      expect([errorCodes(res), res.errors?.[0]?.extensions?.field]).toEqual([['BAD_USER_INPUT'], 'input.verificationPeriodMonths']);
    }
    const [event] = (await t.core.query(`SELECT setting, threshold, observed_count FROM security_event WHERE kind = 'SETTING_WEAKENED' AND setting = 'verificationPeriodMonths'`)) as object[];
    expect(event).toEqual({ setting: 'verificationPeriodMonths', threshold: 12, observed_count: 18 });
    // the DPO may change only this setting
    expect(errorCodes(await dpo.request(SETTINGS, { input: { anomalyDistinctCustomers: 500 } }))).toEqual(['FORBIDDEN']);
    expect((await dpo.request(SETTINGS, { input: { verificationPeriodMonths: 12 } })).errors).toBeUndefined();
  });

  it('confirming a customer’s details stamps now and who, takes them off the list, and is in the change log', async () => {
    const [first] = await expected(12);
    const [{ id: managerId }] = (await t.core.query(`SELECT id FROM staff_user WHERE email = 'leeds.manager@clearview.example'`)) as { id: string }[];
    const before = Date.now();
    const res = await leedsManager.request<{ confirmCustomerDetails: { id: string; dataVerifiedAt: string; dataVerifiedById: string } }>(CONFIRM, { c: first });
    expect(res.errors).toBeUndefined();
    expect(res.data!.confirmCustomerDetails.dataVerifiedById).toBe(managerId);
    expect(new Date(res.data!.confirmCustomerDetails.dataVerifiedAt).getTime()).toBeGreaterThanOrEqual(before - 5000);
    expect(await expected(12)).not.toContain(first);
    expect((await walk(leedsManager, leeds, 100)).ids).not.toContain(first);
    const [entry] = (await t.core.query(
      `SELECT user_id, changes FROM personal_change_log_entry WHERE record_id = $1 AND record_type = 'Customer' ORDER BY id DESC LIMIT 1`, [first],
    )) as { user_id: string; changes: Record<string, { before: unknown; after: unknown }> }[];
    expect(entry.user_id).toBe(managerId);
    expect(Object.keys(entry.changes).sort()).toEqual(['dataVerifiedAt', 'dataVerifiedById']);
    expect(entry.changes.dataVerifiedById).toEqual({ before: null, after: managerId });
  });

  it('refuses a role that may not read or update dataVerifiedAt, and customers outside the caller’s scope', async () => {
    const reception = await signIn(t, 'leedsReception');
    const [customer] = await expected(12);
    const listed = await reception.request(DUE, { s: leeds });
    expect(errorCodes(listed)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await reception.request(CONFIRM, { c: customer }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await dpo.request(CONFIRM, { c: customer }))).toEqual(['FORBIDDEN']);
    const [york] = (await t.core.query(`SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'York' LIMIT 1`)) as { id: string }[];
    expect(errorCodes(await leedsManager.request(CONFIRM, { c: york.id }))).toEqual(['NOT_FOUND']);
    const res = await leedsManager.request(DUE, { s: 'not-a-store' });
    expect([errorCodes(res), res.errors?.[0]?.extensions?.field]).toEqual([['BAD_USER_INPUT'], 'storeId']);
    const cursor = await leedsManager.request(DUE, { after: 'bogus' });
    expect(cursor.errors?.[0]?.extensions?.field).toBe('after');
    const [inactive] = (await t.core.query(`SELECT id FROM customer WHERE home_store_id = $1 AND status = 'INACTIVE' LIMIT 1`, [leeds])) as { id: string }[];
    if (inactive) expect((await leedsManager.request(CONFIRM, { c: inactive.id })).errors?.[0]?.extensions?.field).toBe('customerId');
  });
});
