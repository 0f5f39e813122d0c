/**
 * The client address in the audit trail and the sign-in throttle is what the trusted proxies saw
 * (TRUSTED_PROXIES), validated as an IP address: a forged left-most X-Forwarded-For entry is never taken,
 * junk from a trusted hop refuses the request, and rotating forged addresses does not bypass the
 * per-address throttle. Also: free text in the trail (User-Agent, purpose, emergency reason, review notes)
 * never carries control characters or direction overrides.
 */
import { clientAddressResolver } from '../../src/server/client-address';
import { trustedProxiesFrom } from '../../src/config/config';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';

const OPTOMETRIST = 'leeds.optometrist@clearview.example';

describe('client address resolution (table)', () => {
  const hops1 = clientAddressResolver({ kind: 'hops', count: 1 });
  const hops2 = clientAddressResolver({ kind: 'hops', count: 2 });
  const list = clientAddressResolver({ kind: 'list', entries: ['10.0.0.0/8', '192.168.4.7', 'fd00::/8'] });
  const none = clientAddressResolver({ kind: 'none' });
  it.each([
    ['no proxy trusted: the socket, whatever the header says', none, '10.1.1.1', '6.6.6.6', '10.1.1.1'],
    ['one hop: the right-most entry, not the forged left-most', hops1, '10.1.1.1', '6.6.6.6, 203.0.113.9', '203.0.113.9'],
    ['one hop, no header: the socket', hops1, '10.1.1.1', undefined, '10.1.1.1'],
    ['two hops', hops2, '10.1.1.1', '6.6.6.6, 203.0.113.9, 10.2.2.2', '203.0.113.9'],
    ['two hops, shorter header: the furthest entry', hops2, '10.1.1.1', '203.0.113.9', '203.0.113.9'],
    ['IPv4-mapped IPv6 socket shown as IPv4', none, '::ffff:127.0.0.1', undefined, '127.0.0.1'],
    ['list: skips trusted proxies from the right', list, '10.1.1.1', '6.6.6.6, 198.51.100.4, 192.168.4.7, 10.9.9.9', '198.51.100.4'],
    ['list: an untrusted socket peer is the client', list, '203.0.113.50', '6.6.6.6', '203.0.113.50'],
    ['list: IPv6 subnet', list, 'fd00::1', '2001:db8::5', '2001:db8::5'],
    ['list: junk left of the client is never read', list, '10.1.1.1', 'not-an-ip <b>x</b>, 198.51.100.4', '198.51.100.4'],
  ])('%s', (_label, resolve, socket, header, expected) => {
    expect(resolve(socket, header)).toBe(expected);
  });
  it.each([
    ['junk where the client should be', hops1, '10.1.1.1', 'not-an-ip <b>x</b>'],
    ['6,000 characters', hops1, '10.1.1.1', 'x'.repeat(6000)],
    ['a port', hops1, '10.1.1.1', '203.0.113.9:443'],
    ['junk behind trusted proxies', list, '10.1.1.1', 'not-an-ip, 10.2.2.2'],
  ])('refuses %s', (_label, resolve, socket, header) => {
    expect(() => resolve(socket, header)).toThrow(/not an IP address/);
  });
  it.each([['0'], ['x'], ['10.0.0.0/33'], ['10.0.0.1, banana'], ['::1/129'], ['33']])('refuses TRUSTED_PROXIES=%s at start', (raw) => {
    expect(() => trustedProxiesFrom(raw, undefined)).toThrow(/TRUSTED_PROXIES/);
  });
  it('keeps TRUST_PROXY=true as one trusted hop', () => {
    expect(trustedProxiesFrom(undefined, 'true')).toEqual({ kind: 'hops', count: 1 });
    expect(trustedProxiesFrom(undefined, undefined)).toEqual({ kind: 'none' });
  });
});

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
