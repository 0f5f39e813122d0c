/**
 * The client address in the audit trail and the sign-in throttle is what the trusted proxies saw
 * (TRUSTED_PROXIES), validated as an IP address: a forged left-most X-Forwarded-For entry is never taken,
 * junk from a trusted hop refuses the request, and rotating forged addresses does not bypass the
 * per-address throttle. Also: free text in the trail (User-Agent, purpose, emergency reason, review notes)
 * never carries control characters or direction overrides. (The resolution table and TRUSTED_PROXIES
 * parsing, pure functions, are unit tests: test/unit/server/client-address.test.ts.)
 */
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { DEMO_PASSWORD, EMAIL } from '../support/actors';

const OPTOMETRIST = EMAIL.leedsOptometrist;

describe('client address through the API, behind one trusted proxy', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ trustedProxies: { kind: 'hops', count: 1 }, loginMaxFailures: 2 });
  });
  afterAll(() => app.stop());

  it('records the address the proxy saw, and refuses junk with 400 and nothing stored', async () => {
    const token = await app.login(OPTOMETRIST);
    const ok = await app.request('{ me { email } }', {}, token, { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' });
    expect(ok.errors).toBeUndefined();
    const [session] = (await app.core.query('SELECT client_address FROM session WHERE ended_at IS NULL ORDER BY created_at DESC LIMIT 1')) as { client_address: string }[];
    expect(session).toBeDefined();
    for (const junk of ['not-an-ip <b>x</b>', 'x'.repeat(6000)]) {
      const refused = await app.request('{ me { email } }', {}, token, { 'x-forwarded-for': junk });
      expect(refused.status).toBe(400);
      expect(errorCodes(refused)).toEqual(['BAD_REQUEST']);
    }
    const stored = (await app.core.query('SELECT client_address FROM login_attempt UNION ALL SELECT client_address FROM session')) as { client_address: string | null }[];
    expect(stored.every((r) => r.client_address === null || /^[0-9a-f.:]+$/.test(r.client_address))).toBe(true);
  });

  it('throttles the address the proxy saw, however the forged part rotates', async () => {
    await app.ownerCore.query('DELETE FROM login_attempt');
    const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
    const answers: string[] = [];
    for (let i = 0; i < 25; i++) {
      const result = await app.request(LOGIN, { e: `nobody-${i}@clearview.example`, p: 'wrong' }, null, { 'x-forwarded-for': `10.0.${i}.1, 198.51.100.7` });
      answers.push(result.errors?.[0]?.message ?? 'OK');
    }
    // limit 2 per email → 20 per address: the 21st attempt from 198.51.100.7 is refused unchecked
    expect(answers.filter((m) => /Too many/.test(m))).toHaveLength(5);
    // another client behind the same proxy is unaffected
    const other = await app.request(LOGIN, { e: OPTOMETRIST, p: DEMO_PASSWORD }, null, { 'x-forwarded-for': '198.51.100.8' });
    expect(other.errors).toBeUndefined();
    const addresses = (await app.core.query('SELECT DISTINCT client_address FROM login_attempt ORDER BY 1')) as { client_address: string }[];
    expect(addresses.map((a) => a.client_address)).toEqual(['198.51.100.7', '198.51.100.8']);
  });
});
