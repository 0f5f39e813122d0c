/**
 * Unit table of the client address resolution (src/server/client-address.ts) and of TRUSTED_PROXIES parsing
 * (src/config/config.ts): which X-Forwarded-For entry is the client for each trusted-proxy setting, that a
 * forged left-most entry is never taken, and that junk where the client should be, or a malformed setting,
 * is refused. Moved from test/server/client-address.test.ts, which keeps the checks through the API.
 */
import { trustedProxiesFrom } from '../../../src/config/config';
import { clientAddressResolver } from '../../../src/server/client-address';

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
