/**
 * Process configuration, read once from the environment. Every variable is listed in the README.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { corsOriginsFrom, hostFrom } from './front-door';
import { masterKeyFileFrom } from './master-key';
import { suppressionKeyFrom } from './suppression-key';
import { tlsFrom, TlsSettings } from './tls';
import { webauthnFrom, WebAuthnSettings } from './webauthn';

/**
 * Which proxies in front of the API may say who the client is (X-Forwarded-For): none (the socket's
 * peer is the client), the nearest `count` hops, or the proxies at these addresses and subnets.
 */
export type TrustedProxies =
  | { kind: 'none' }
  | { kind: 'hops'; count: number }
  | { kind: 'list'; entries: readonly string[] };

export interface Config {
  /** Production hardening: HSTS, secure cookies, no introspection or field suggestions. */
  production: boolean;
  /** The plain-HTTP port (PORT): the API without HTTPS; with HTTPS the default redirect port (src/config/tls.ts). */
  port: number;
  /** HTTPS: TLS_CERT_FILE/TLS_KEY_FILE, VISUS_DEV_TLS, HTTPS_PORT, HTTP_REDIRECT_PORT (src/config/tls.ts). */
  tls: TlsSettings;
  /** Address to listen on (HOST): loopback by default in development, every interface in production (src/config/front-door.ts). */
  host: string;
  /** Exact browser origins allowed to call /graphql cross-origin, with credentials (VISUS_CORS_ORIGINS); empty: none. */
  corsOrigins: readonly string[];
  /**
   * Core and clinical database URLs the running server connects with, as the restricted application role;
   * unset (both) means "start embedded PostgreSQL".
   */
  databaseUrl?: string;
  clinicalDatabaseUrl?: string;
  /** Optional: the same databases as their owner, for migrations, grants and the demo seed (external databases only). */
  databaseOwnerUrl?: string;
  clinicalDatabaseOwnerUrl?: string;
  /** The application's database role: the grants go to it, and the server refuses to serve as any other. */
  appDbRole: string;
  /** Its password on the embedded PostgreSQL (with external databases it is part of the URLs). */
  appDbPassword: string;
  /** Data folder of the embedded PostgreSQL. */
  embeddedDataDir: string;
  embeddedPort: number;
  /** Minutes a session may stay unused before it ends. */
  sessionIdleMinutes: number;
  /** Hours after which a session ends however active it is. */
  sessionMaxHours: number;
  /**
   * Minutes a proof of identity (sign-in or `reauthenticate`) counts as recent: sensitive acts (breaking the glass,
   * exports, role changes) need one within this window (REAUTH_WINDOW_MINUTES; docs/auth-policy.md).
   */
  reauthWindowMinutes: number;
  /** Seed the demo chain on start when the core database has no chain yet. */
  seedDemo: boolean;
  /** Behind load balancers: which of them X-Forwarded-For is believed from (TRUSTED_PROXIES; src/server/client-address.ts). */
  trustedProxies: TrustedProxies;
  /** Failed sign-ins for one email (or 10x that from one address) within the window before sign-in is refused. */
  loginMaxFailures: number;
  loginWindowMinutes: number;
  logLevel: string;
  /**
   * Anomaly checks run in the background at most once per user per this many seconds per process,
   * covering every request in between (src/audit/anomaly-detector.ts); 0 checks after every request (tests).
   */
  anomalyCheckIntervalSeconds: number;
  /** Where customers reach this server (scheme, host, optional path prefix; no trailing slash): unsubscribe links start with it. */
  publicBaseUrl: string;
  /** Days an unsubscribe link stays usable after it is issued. */
  unsubscribeLinkDays: number;
  /**
   * 32 bytes: the HMAC-SHA256 key of the marketing suppression list's contact hashes (VISUS_SUPPRESSION_KEY_FILE;
   * src/config/suppression-key.ts, src/services/consent/contact-hash-sql.ts).
   */
  suppressionKey: Buffer;
  /**
   * The master key file that wraps the per-chain data keys of the encrypted clinical free text (VISUS_MASTER_KEY_FILE;
   * src/config/master-key.ts, src/crypto/).
   */
  masterKeyFile: string;
  /** The WebAuthn relying party of passkeys: RP ID and expected origin (WEBAUTHN_RP_ID, WEBAUTHN_ORIGIN; src/config/webauthn.ts). */
  webauthn: WebAuthnSettings;
  /** GraphQL requests one API process executes at once, the rest waiting their turn (GRAPHQL_CONCURRENCY, default 4; src/server/request-gate.ts). */
  graphqlConcurrency: number;
}

function intFrom(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return value;
}

/**
 * TRUSTED_PROXIES: a number of hops (`1`: one load balancer in front), or a comma-separated list of
 * addresses and CIDR subnets (`10.0.0.0/8, 192.168.4.7, fd00::/8`). Unset: `TRUST_PROXY=true` (the older
 * setting) means one hop; otherwise no proxy is trusted. Anything else stops the process at start.
 */
export function trustedProxiesFrom(raw: string | undefined, legacy: string | undefined): TrustedProxies {
  if (raw === undefined || raw.trim() === '') return legacy === 'true' ? { kind: 'hops', count: 1 } : { kind: 'none' };
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count < 1 || count > 32) throw new Error(`TRUSTED_PROXIES as a hop count must be 1-32, got "${raw}"`);
    return { kind: 'hops', count };
  }
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new Error(`TRUSTED_PROXIES must be a hop count or a list of IP addresses and CIDR subnets, got "${entry}"`);
    }
  }
  return { kind: 'list', entries };
}

function identifierFrom(name: string, fallback: string): string {
  const value = process.env[name] || fallback;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) throw new Error(`${name} must be a lower-case SQL identifier, got "${value}"`);
  return value;
}

function baseUrlFrom(name: string, fallback: string): string {
  const raw = process.env[name] || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    throw new Error(`${name} must be an http(s) URL without query, fragment or credentials, got "${raw}"`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** The embedded PostgreSQL's application role password when VISUS_APP_DB_PASSWORD is unset: a development default. */
export const EMBEDDED_APP_DB_PASSWORD = 'visus-app-embedded';

export function loadConfig(): Config {
  const production = process.env.NODE_ENV === 'production';
  const port = intFrom('PORT', 4000);
  const embeddedDataDir = path.resolve(process.env.VISUS_DATA_DIR || path.join(process.cwd(), '.data', 'postgres'));
  const tls = tlsFrom(process.env, production, port, embeddedDataDir);
  // With HTTPS on, the default public address (and so the passkeys' origin) is the HTTPS one.
  const publicBaseUrl = baseUrlFrom('PUBLIC_BASE_URL', tls.https.kind === 'off' ? `http://localhost:${port}` : `https://localhost:${tls.httpsPort}`);
  return {
    production,
    port,
    tls,
    host: hostFrom(process.env.HOST, production),
    corsOrigins: corsOriginsFrom(process.env.VISUS_CORS_ORIGINS),
    databaseUrl: process.env.DATABASE_URL || undefined,
    clinicalDatabaseUrl: process.env.CLINICAL_DATABASE_URL || undefined,
    databaseOwnerUrl: process.env.DATABASE_OWNER_URL || undefined,
    clinicalDatabaseOwnerUrl: process.env.CLINICAL_DATABASE_OWNER_URL || undefined,
    appDbRole: identifierFrom('VISUS_APP_DB_ROLE', 'visus_app'),
    appDbPassword: process.env.VISUS_APP_DB_PASSWORD || EMBEDDED_APP_DB_PASSWORD,
    embeddedDataDir,
    embeddedPort: intFrom('VISUS_EMBEDDED_PG_PORT', 54329),
    sessionIdleMinutes: intFrom('SESSION_IDLE_MINUTES', 15),
    sessionMaxHours: intFrom('SESSION_MAX_HOURS', 12),
    reauthWindowMinutes: intFrom('REAUTH_WINDOW_MINUTES', 5),
    seedDemo: process.env.VISUS_SEED_DEMO !== 'false',
    trustedProxies: trustedProxiesFrom(process.env.TRUSTED_PROXIES, process.env.TRUST_PROXY),
    loginMaxFailures: intFrom('LOGIN_MAX_FAILURES', 5),
    loginWindowMinutes: intFrom('LOGIN_WINDOW_MINUTES', 15),
    logLevel: process.env.LOG_LEVEL || 'info',
    anomalyCheckIntervalSeconds: intFrom('ANOMALY_CHECK_INTERVAL_SECONDS', 30, 0),
    publicBaseUrl,
    unsubscribeLinkDays: intFrom('UNSUBSCRIBE_LINK_DAYS', 180),
    suppressionKey: suppressionKeyFrom(process.env.VISUS_SUPPRESSION_KEY_FILE || undefined, production, embeddedDataDir),
    masterKeyFile: masterKeyFileFrom(process.env.VISUS_MASTER_KEY_FILE || undefined, production, embeddedDataDir),
    webauthn: webauthnFrom(process.env.WEBAUTHN_RP_ID, process.env.WEBAUTHN_ORIGIN, publicBaseUrl),
    graphqlConcurrency: intFrom('GRAPHQL_CONCURRENCY', 4),
  };
}
