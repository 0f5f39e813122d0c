/**
 * "Staff without export cannot export anything, by any route": every demo user whose role lacks an export
 * permission is refused on every route that exports under it: the customer data export
 * (GET /exports/customers/{id}: export Customer, and full read of everything it carries), the streamed
 * marketing list export (GET /exports/marketing-list: export MarketingList) and the `marketingList` GraphQL
 * query (export MarketingList). The roles are the demo roles as documented (README, "Demo users"); a Leeds
 * customer with clinical records is the subject. Refused means 403 (FORBIDDEN) where the customer is in the
 * user's read scope and 404 (NOT_FOUND, existence not disclosed) where it is not; nothing is logged as exported.
 */
import { DEMO_USERS, signIn, Actor } from '../support/actors';
import { issueApiToken, serviceAccountId } from '../support/service-tokens';
import { startTestApp, TestApp } from '../support/test-app';
import { exportBase, getExport, richLeedsCustomer } from './export-support';

/** Without `export Customer` (or, for the managers, with it but without full clinical read): refused, with the status expected. */
const REFUSED_CUSTOMER_EXPORT: Partial<Record<Actor, 403 | 404>> = {
  northManager: 403, leedsManager: 403, leedsOptometrist: 403, locum: 404, leedsAssistant: 403, leedsReception: 403, bi: 403, lakesideManager: 404,
};
/** Without `export MarketingList`. */
const REFUSED_MARKETING_EXPORT: Actor[] = ['leedsManager', 'leedsOptometrist', 'locum', 'leedsAssistant', 'leedsReception', 'dpo'];

describe('no export permission, no export, by any route', () => {
  let app: TestApp;
  let customerId: string;
  const tokens = new Map<Actor, string>();

  beforeAll(async () => {
    app = await startTestApp();
    customerId = (await richLeedsCustomer(app)).id;
    for (const actor of Object.keys(DEMO_USERS) as Actor[]) {
      const serviceId = await serviceAccountId(app.ownerCore, DEMO_USERS[actor].email);
      tokens.set(actor, serviceId ? (await issueApiToken(app.ownerCore, serviceId)).token : (await signIn(app, actor)).token);
    }
  });

  afterAll(async () => {
    await app?.stop();
  });

  it.each(Object.entries(REFUSED_CUSTOMER_EXPORT))('%s: the customer data export is refused (%s), in both formats', async (actor, status) => {
    for (const format of ['xml', 'json']) {
      const response = await getExport(app, tokens.get(actor as Actor)!, customerId, `format=${format}`);
      expect({ format, status: response.status }).toEqual({ format, status });
      expect(JSON.parse(response.text).errors[0].extensions.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
    }
    const [{ id: userId }] = await app.ownerCore.query('SELECT id FROM staff_user WHERE email = $1', [DEMO_USERS[actor as Actor].email]);
    expect(await app.ownerCore.query('SELECT 1 FROM customer_data_export WHERE user_id = $1', [userId])).toEqual([]);
  });

  it.each(REFUSED_MARKETING_EXPORT)('%s: the streamed marketing list export and the marketingList query are refused', async (actor) => {
    const token = tokens.get(actor)!;
    for (const format of ['csv', 'ndjson']) {
      const response = await fetch(`${exportBase(app)}/exports/marketing-list?channel=EMAIL&format=${format}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const result = await app.request<{ marketingList: unknown }>('{ marketingList(channel: EMAIL, first: 5) { totalCount edges { node { id } } } }', {}, token);
    expect(result.data?.marketingList ?? null).toBeNull();
    expect((result.errors ?? []).map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('the roles that hold the permissions are not refused (the refusals above are about the permission)', async () => {
    expect((await getExport(app, tokens.get('dpo')!, customerId, 'format=json')).status).toBe(200);
    expect((await getExport(app, tokens.get('chainManager')!, customerId, 'format=json')).status).toBe(200);
    const marketing = await fetch(`${exportBase(app)}/exports/marketing-list?channel=EMAIL&format=ndjson`, { headers: { authorization: `Bearer ${tokens.get('bi')!}` } });
    expect(marketing.status).toBe(200);
    await marketing.text();
  });
});
