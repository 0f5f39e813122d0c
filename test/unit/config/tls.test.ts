/** The HTTPS settings (src/config/tls.ts): which certificate, which ports, and the combinations refused at start. */
import path from 'node:path';
import { tlsFrom } from '../../../src/config/tls';

const DATA = '/srv/visus/.data/postgres';

describe('tlsFrom', () => {
  it('is off by default, with 4443 and PORT as the ports it would use', () => {
    expect(tlsFrom({}, false, 4000, DATA)).toEqual({ https: { kind: 'off' }, httpsPort: 4443, redirectPort: 4000 });
  });

  it('serves the operator\'s files, or the development certificate in <data>/tls', () => {
    expect(tlsFrom({ TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem', HTTPS_PORT: '443', HTTP_REDIRECT_PORT: '80' }, true, 4000, DATA))
      .toEqual({ https: { kind: 'files', certFile: path.resolve('c.pem'), keyFile: path.resolve('k.pem') }, httpsPort: 443, redirectPort: 80 });
    expect(tlsFrom({ VISUS_DEV_TLS: 'true', HTTP_REDIRECT_PORT: 'off' }, false, 4000, DATA))
      .toEqual({ https: { kind: 'dev', dir: '/srv/visus/.data/tls' }, httpsPort: 4443, redirectPort: null });
  });

  it.each<[Record<string, string>, boolean, RegExp]>([
    [{ TLS_CERT_FILE: 'c.pem' }, false, /set both TLS_CERT_FILE and TLS_KEY_FILE/],
    [{ TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem', VISUS_DEV_TLS: 'true' }, false, /not both/],
    [{ VISUS_DEV_TLS: 'true' }, true, /in production set TLS_CERT_FILE/],
    [{ VISUS_DEV_TLS: 'yes' }, false, /VISUS_DEV_TLS must be true or false/],
    [{ HTTPS_PORT: 'x' }, false, /HTTPS_PORT must be a port number/],
    [{ VISUS_DEV_TLS: 'true', HTTPS_PORT: '4000' }, false, /must differ/],
  ])('refuses %j (production: %s)', (env, production, message) => {
    expect(() => tlsFrom(env, production, 4000, DATA)).toThrow(message);
  });
});
