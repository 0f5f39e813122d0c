/**
 * The demo seed: the chains, stores, users and a few hundred customers with records; running it
 * again changes nothing.
 */
import { seedDemo } from '../../src/seed/demo-seed';
import { DEMO_PASSWORD, MFA_DEMO_USER } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

async function counts(app: TestApp): Promise<Record<string, number>> {
  const core: { t: string; n: string }[] = await app.core.query(
    `SELECT 'chain' t, count(*) n FROM chain UNION ALL SELECT 'store', count(*) FROM store UNION ALL SELECT 'user', count(*) FROM staff_user
     UNION ALL SELECT 'customer', count(*) FROM customer UNION ALL SELECT 'consent', count(*) FROM consent
     UNION ALL SELECT 'appointment', count(*) FROM appointment UNION ALL SELECT 'role', count(*) FROM role`,
  );
  const clinical: { t: string; n: string }[] = await app.clinical.query(
    `SELECT 'examination' t, count(*) n FROM examination UNION ALL SELECT 'spectacle_prescription', count(*) FROM spectacle_prescription
     UNION ALL SELECT 'contact_lens_specification', count(*) FROM contact_lens_specification UNION ALL SELECT 'clinical_note', count(*) FROM clinical_note`,
  );
  return Object.fromEntries([...core, ...clinical].map((r) => [r.t, Number(r.n)]));
}

describe('demo seed', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('holds the demo chains, stores and users', async () => {
    const stores: { chain: string; store: string }[] = await app.core.query(
      'SELECT c.name AS chain, s.name AS store FROM store s JOIN chain c ON c.id = s.chain_id ORDER BY c.name, s.name',
    );
    expect(stores).toEqual([
      { chain: 'Clearview Opticians', store: 'Bath' }, { chain: 'Clearview Opticians', store: 'Bristol' },
      { chain: 'Clearview Opticians', store: 'Harrogate' }, { chain: 'Clearview Opticians', store: 'Leeds' },
      { chain: 'Clearview Opticians', store: 'York' }, { chain: 'Lakeside Eyecare', store: 'Keswick' },
    ]);
    const c = await counts(app);
    expect(c.user).toBe(11);
    expect(c.customer).toBeGreaterThanOrEqual(300);
    expect(c.examination).toBeGreaterThan(100);
    expect(c.contact_lens_specification).toBeGreaterThan(10);
    expect(c.clinical_note).toBeGreaterThan(10);
  });

  it('is idempotent', async () => {
    const before = await counts(app);
    const report = await seedDemo(app.core, app.clinical);
    expect(report.chainsCreated).toEqual([]);
    expect(await counts(app)).toEqual(before);
  });

  it('lets every demo member of staff sign in with the documented password; the BI service account has none', async () => {
    const users: { email: string; kind: string }[] = await app.core.query('SELECT email, kind FROM staff_user ORDER BY email');
    expect(users.filter((u) => u.kind === 'SERVICE').map((u) => u.email)).toEqual(['bi@clearview.example']);
    for (const { email } of users.filter((u) => u.kind === 'STAFF' && u.email !== MFA_DEMO_USER.email)) expect(await app.login(email)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The MFA demo user's password is right too, but it leads to a second-factor challenge (test/mfa/demo-mfa-user.test.ts).
    const mfa = await app.request<{ login: { mfaRequired: boolean; token: string | null } }>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { mfaRequired token } }', { e: MFA_DEMO_USER.email, p: DEMO_PASSWORD },
    );
    expect(mfa.data?.login).toEqual({ mfaRequired: true, token: null });
    // (A service account signs in with nothing: test/api-tokens/service-accounts.test.ts; app.login hands it an API token.)
  });
});
