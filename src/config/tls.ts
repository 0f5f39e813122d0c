/**
 * The HTTPS settings, read from the environment: serve HTTPS with the operator's certificate
 * (TLS_CERT_FILE and TLS_KEY_FILE, PEM), or with a self-signed development certificate generated on first
 * start (VISUS_DEV_TLS=true, kept in `<data>/tls/`, not in production), or not at all (plain HTTP on PORT:
 * TLS ends at a load balancer, or a developer's machine). With HTTPS, the API listens on HTTPS_PORT (default
 * 4443) and plain HTTP on HTTP_REDIRECT_PORT (default PORT; `off`: none) only redirects to it.
 * The certificate is read (and generated) at start by src/server/tls-certificates.ts.
 */
import path from 'node:path';

export type HttpsSource =
  | { kind: 'off' }
  | { kind: 'files'; certFile: string; keyFile: string }
  /** Self-signed, generated into `dir` on first start and reused. */
  | { kind: 'dev'; dir: string };

export interface TlsSettings {
  https: HttpsSource;
  /** The HTTPS port (HTTPS_PORT). */
  httpsPort: number;
  /** The plain-HTTP port that only redirects to HTTPS (HTTP_REDIRECT_PORT); null: no redirect listener. */
  redirectPort: number | null;
}

export const DEFAULT_HTTPS_PORT = 4443;

function portFrom(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

/** Where the development certificate lives: `tls/` beside the embedded PostgreSQL's data folder (`.data/tls` by default). */
export function devTlsFolder(embeddedDataDir: string): string {
  return path.join(path.dirname(embeddedDataDir), 'tls');
}

export function tlsFrom(env: NodeJS.ProcessEnv, production: boolean, httpPort: number, embeddedDataDir: string): TlsSettings {
  const certFile = env.TLS_CERT_FILE?.trim() || undefined;
  const keyFile = env.TLS_KEY_FILE?.trim() || undefined;
  const dev = env.VISUS_DEV_TLS?.trim();
  if (dev !== undefined && dev !== '' && dev !== 'true' && dev !== 'false') throw new Error(`VISUS_DEV_TLS must be true or false, got "${env.VISUS_DEV_TLS}"`);
  if (Boolean(certFile) !== Boolean(keyFile)) throw new Error('set both TLS_CERT_FILE and TLS_KEY_FILE (PEM files: the certificate chain and its private key), or neither');
  let https: HttpsSource = { kind: 'off' };
  if (certFile && keyFile) {
    if (dev === 'true') throw new Error('set either TLS_CERT_FILE/TLS_KEY_FILE or VISUS_DEV_TLS=true, not both');
    https = { kind: 'files', certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
  } else if (dev === 'true') {
    if (production) throw new Error('VISUS_DEV_TLS=true makes a self-signed development certificate: in production set TLS_CERT_FILE and TLS_KEY_FILE (or end TLS at the load balancer, TRUST_PROXY=true)');
    https = { kind: 'dev', dir: devTlsFolder(embeddedDataDir) };
  }
  const httpsPort = portFrom('HTTPS_PORT', env.HTTPS_PORT, DEFAULT_HTTPS_PORT);
  const rawRedirect = env.HTTP_REDIRECT_PORT?.trim();
  const redirectPort = rawRedirect === 'off' ? null : portFrom('HTTP_REDIRECT_PORT', rawRedirect, httpPort);
  if (https.kind !== 'off' && redirectPort !== null && redirectPort !== 0 && redirectPort === httpsPort) {
    throw new Error(`HTTP_REDIRECT_PORT and HTTPS_PORT must differ (both ${httpsPort})`);
  }
  return { https, httpsPort, redirectPort };
}
