/**
 * Unit table of the configuration parsing (src/config/config.ts, loadConfig): the documented defaults
 * (README, "Configuration"), the values that are read, and the values that stop the process at start with
 * an error naming the variable. Each case sets only its variables; the environment is restored after it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/config';

/** Production needs a suppression key file (VISUS_SUPPRESSION_KEY_FILE). */
const KEY_FILE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'visus-key-')), 'suppression.key');
const MASTER_KEY_FILE = path.join(path.dirname(KEY_FILE), 'master.key'); // written below: production needs one
fs.writeFileSync(KEY_FILE, 'ab'.repeat(32));
fs.writeFileSync(MASTER_KEY_FILE, 'cd'.repeat(32), { mode: 0o600 });

const VARIABLES = [
  'NODE_ENV', 'PORT', 'VISUS_APP_DB_ROLE', 'VISUS_SEED_DEMO', 'SESSION_IDLE_MINUTES', 'SESSION_MAX_HOURS', 'REAUTH_WINDOW_MINUTES', 'LOGIN_MAX_FAILURES',
  'LOGIN_WINDOW_MINUTES', 'ANOMALY_CHECK_INTERVAL_SECONDS', 'PUBLIC_BASE_URL', 'UNSUBSCRIBE_LINK_DAYS', 'TRUSTED_PROXIES', 'TRUST_PROXY',
  'VISUS_EMBEDDED_PG_PORT', 'DATABASE_URL', 'CLINICAL_DATABASE_URL', 'VISUS_SUPPRESSION_KEY_FILE', 'VISUS_MASTER_KEY_FILE',
  'WEBAUTHN_RP_ID', 'WEBAUTHN_ORIGIN', 'GRAPHQL_CONCURRENCY',
];

describe('loadConfig', () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  const withEnv = (env: Record<string, string>) => {
    Object.assign(process.env, env);
    return loadConfig();
  };

  it('defaults to the documented values', () => {
    expect(withEnv({})).toMatchObject({
      production: false, port: 4000, appDbRole: 'visus_app', seedDemo: true, sessionIdleMinutes: 15, sessionMaxHours: 12, reauthWindowMinutes: 5,
      loginMaxFailures: 5, loginWindowMinutes: 15, anomalyCheckIntervalSeconds: 30, publicBaseUrl: 'http://localhost:4000',
      unsubscribeLinkDays: 180, trustedProxies: { kind: 'none' }, embeddedPort: 54329, databaseUrl: undefined, clinicalDatabaseUrl: undefined,
      webauthn: { rpId: 'localhost', origin: 'http://localhost:4000' }, graphqlConcurrency: 4,
    });
  });

  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    ['production hardening', { NODE_ENV: 'production', VISUS_SUPPRESSION_KEY_FILE: KEY_FILE, VISUS_MASTER_KEY_FILE: MASTER_KEY_FILE }, { production: true }],
    ['the port, and the public base URL that follows it', { PORT: '8080' }, { port: 8080, publicBaseUrl: 'http://localhost:8080' }],
    ['a public base URL with a path, without its trailing slash', { PUBLIC_BASE_URL: 'https://eyes.example/visus/' }, { publicBaseUrl: 'https://eyes.example/visus' }],
    ['the passkeys’ relying party from the public base URL', { PUBLIC_BASE_URL: 'https://eyes.example/visus/' }, { webauthn: { rpId: 'eyes.example', origin: 'https://eyes.example' } }],
    ['the passkeys’ relying party: a parent domain', { WEBAUTHN_RP_ID: 'Example.com', WEBAUTHN_ORIGIN: 'https://visus.example.com' }, { webauthn: { rpId: 'example.com', origin: 'https://visus.example.com' } }],
    ['the demo seed switched off', { VISUS_SEED_DEMO: 'false' }, { seedDemo: false }],
    ['the re-authentication window', { REAUTH_WINDOW_MINUTES: '10' }, { reauthWindowMinutes: 10 }],
    ['anomaly checks after every request', { ANOMALY_CHECK_INTERVAL_SECONDS: '0' }, { anomalyCheckIntervalSeconds: 0 }],
    ['GraphQL requests executed at once', { GRAPHQL_CONCURRENCY: '16' }, { graphqlConcurrency: 16 }],
    ['one trusted proxy', { TRUSTED_PROXIES: '1' }, { trustedProxies: { kind: 'hops', count: 1 } }],
    ['the older TRUST_PROXY=true', { TRUST_PROXY: 'true' }, { trustedProxies: { kind: 'hops', count: 1 } }],
    ['TRUSTED_PROXIES wins over TRUST_PROXY', { TRUSTED_PROXIES: '10.0.0.0/8', TRUST_PROXY: 'true' }, { trustedProxies: { kind: 'list', entries: ['10.0.0.0/8'] } }],
    ['external databases', { DATABASE_URL: 'postgres://a@db/core', CLINICAL_DATABASE_URL: 'postgres://a@db2/clinical' },
      { databaseUrl: 'postgres://a@db/core', clinicalDatabaseUrl: 'postgres://a@db2/clinical' }],
  ])('reads %s', (_label, env, expected) => {
    expect(withEnv(env)).toMatchObject(expected);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a port that is not a number', { PORT: 'http' }, /PORT must be an integer/],
    ['a fractional session idle time', { SESSION_IDLE_MINUTES: '1.5' }, /SESSION_IDLE_MINUTES/],
    ['zero failed sign-ins', { LOGIN_MAX_FAILURES: '0' }, /LOGIN_MAX_FAILURES must be an integer of at least 1/],
    ['no GraphQL request at a time', { GRAPHQL_CONCURRENCY: '0' }, /GRAPHQL_CONCURRENCY must be an integer of at least 1/],
    ['a negative anomaly interval', { ANOMALY_CHECK_INTERVAL_SECONDS: '-1' }, /ANOMALY_CHECK_INTERVAL_SECONDS/],
    ['a role name that is not an SQL identifier', { VISUS_APP_DB_ROLE: 'visus; DROP ROLE x' }, /VISUS_APP_DB_ROLE must be a lower-case SQL identifier/],
    ['an upper-case role name', { VISUS_APP_DB_ROLE: 'Visus' }, /VISUS_APP_DB_ROLE/],
    ['a public base URL that is not a URL', { PUBLIC_BASE_URL: 'eyes.example' }, /PUBLIC_BASE_URL must be an absolute http\(s\) URL/],
    ['a public base URL with a query', { PUBLIC_BASE_URL: 'https://eyes.example/?a=1' }, /PUBLIC_BASE_URL/],
    ['a public base URL with credentials', { PUBLIC_BASE_URL: 'https://u:p@eyes.example' }, /PUBLIC_BASE_URL/],
    ['a public base URL over ftp', { PUBLIC_BASE_URL: 'ftp://eyes.example' }, /PUBLIC_BASE_URL/],
    ['a malformed trusted proxy list', { TRUSTED_PROXIES: '10.0.0.1, banana' }, /TRUSTED_PROXIES/],
    ['a passkey origin outside the RP ID', { WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGIN: 'https://evil.example' }, /WEBAUTHN_ORIGIN's host .* must be WEBAUTHN_RP_ID/],
    ['a passkey origin with a path', { WEBAUTHN_ORIGIN: 'https://localhost/visus' }, /WEBAUTHN_ORIGIN must be an origin only/],
    ['an RP ID with a scheme', { WEBAUTHN_RP_ID: 'https://localhost' }, /WEBAUTHN_RP_ID must be a domain name/],
  ])('stops at start on %s, naming the variable', (_label, env, message) => {
    expect(() => withEnv(env)).toThrow(message);
  });
});
