/**
 * HTTPS at the front: whether a request came over TLS (its own socket, or a trusted proxy's
 * X-Forwarded-Proto), what that changes (HSTS on every answer over TLS, `Secure` on every cookie over TLS,
 * plain HTTP refused in production behind a proxy with 403 HTTPS_REQUIRED, /healthz excepted for the load
 * balancer's checks), and the plain-HTTP listener that only redirects to HTTPS (301 for GET and HEAD, 308 for
 * the rest, which keeps the method and body). The HTTPS listener itself is src/server/http-server.ts's.
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Config, TrustedProxies } from '../config/config';
import { assertPortFree, portProblem } from '../db/port-check';
import { StartupError } from '../errors/startup-error';

export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Over TLS: the socket is, or (TRUSTED_PROXIES / TRUST_PROXY=true) the nearest trusted proxy says so in
 * X-Forwarded-Proto. Its right-most entry is the one our proxy wrote (a proxy that appends adds its own on the
 * right; one that overwrites leaves only its own); with a list of proxies, only when the socket's peer is one.
 */
export function requestOverTls(req: IncomingMessage, trusted: TrustedProxies, peerTrusted: (address: string) => boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (trusted.kind === 'none') return false;
  if (trusted.kind === 'list' && !peerTrusted(req.socket.remoteAddress ?? '')) return false;
  const header = req.headers['x-forwarded-proto'];
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  const entries = text.split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '');
  return entries.length > 0 && entries[entries.length - 1] === 'https';
}

/** Adds `Secure` to a Set-Cookie value that lacks it. */
export function secureCookie(cookie: string): string {
  return /;\s*secure\s*(;|$)/i.test(cookie) ? cookie : `${cookie}; Secure`;
}

/** In production behind a trusted proxy, a request that did not come over TLS is refused (403); /healthz is not. */
export function refusePlainHttp(res: ServerResponse, pathname: string): boolean {
  if (pathname === '/healthz') return false;
  res.statusCode = 403;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ errors: [{ message: 'HTTPS is required: this API is served over TLS only.', extensions: { code: 'HTTPS_REQUIRED' } }] }));
  return true;
}

export interface RedirectServerHandle {
  port: number;
  close(): Promise<void>;
}

/** Where a plain-HTTP request is sent: the same host (from Host, without its port) on the HTTPS port. */
export function redirectLocation(req: IncomingMessage, httpsPort: number, fallbackHost: string): string {
  const hostHeader = (req.headers.host ?? '').trim();
  const name = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d+)?$/i.exec(hostHeader)?.[1] ?? fallbackHost;
  const port = httpsPort === 443 ? '' : `:${httpsPort}`;
  const pathAndQuery = (req.url ?? '/').startsWith('/') ? req.url ?? '/' : '/';
  return `https://${name}${port}${pathAndQuery}`;
}

/** Listens on `port` (HTTP_REDIRECT_PORT) and answers every request with a redirect to HTTPS. */
export async function startRedirectServer(port: number, host: string, httpsPort: number, displayHost: string): Promise<RedirectServerHandle> {
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    res.statusCode = method === 'GET' || method === 'HEAD' ? 301 : 308;
    res.setHeader('location', redirectLocation(req, httpsPort, displayHost));
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('This API is served over HTTPS.\n');
    req.resume();
  });
  await listen(server, port, host, 'HTTP_REDIRECT_PORT', 'the HTTP-to-HTTPS redirect');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

/** Listens, turning a port in use (or not allowed) into a one-line StartupError naming the variable. */
export async function listen(server: http.Server, port: number, host: string, variable: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') reject(new StartupError(portProblem(port, variable, what, error.code), { cause: error }));
      else reject(error);
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** Before anything starts: the ports the front will listen on are free (PORT; with HTTPS, HTTPS_PORT and HTTP_REDIRECT_PORT). */
export async function assertFrontPortsFree(config: Config): Promise<void> {
  const ports: [number | null, string, string][] = config.tls.https.kind === 'off'
    ? [[config.port, 'PORT', 'the GraphQL server']]
    : [[config.tls.httpsPort, 'HTTPS_PORT', 'the HTTPS server'], [config.tls.redirectPort, 'HTTP_REDIRECT_PORT', 'the HTTP-to-HTTPS redirect']];
  for (const [port, variable, what] of ports) {
    if (port) await assertPortFree(port, undefined, (code) => portProblem(port, variable, what, code));
  }
}
