/**
 * The HTTP front: POST/GET /graphql to Apollo (1 MB body limit: HTTP 413 with a JSON error), CORS for
 * the origins in VISUS_CORS_ORIGINS with OPTIONS preflights (src/server/cors.ts), the GraphiQL IDE at
 * /graphiql and for a browser opening /graphql, outside production (src/server/graphiql-route.ts),
 * GET /healthz, the unsubscribe route, the streamed marketing list export (src/server/marketing-export-route.ts), the
 * customer data export (src/server/customer-export-route.ts), the records of processing export
 * (src/server/register-export-route.ts), 404 elsewhere. A database out of reach is 503 SERVICE_UNAVAILABLE with
 * Retry-After on every path (src/server/database-unavailable.ts). Listens on HOST (loopback by default in development).
 * A small node:http server rather than Apollo's standalone one, to own the path, body limit,
 * CORS and security headers. With a certificate (src/server/tls-certificates.ts) it serves HTTPS (TLS 1.2 or
 * newer) and a second, plain listener only redirects to it; GraphQL requests take turns, GRAPHQL_CONCURRENCY at a time
 * (src/server/request-gate.ts); over TLS every answer carries HSTS and every
 * cookie `Secure`; in production behind a trusted proxy plain HTTP is refused (src/server/https-server.ts).
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { AppContext } from '../context/app-context';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';
import { isDatabaseUnavailable, rethrowUnavailable, sendUnavailable } from './database-unavailable';
import { answerPreflight, applyCors } from './cors';
import { isBrowserPageRequest, isGraphiqlPath, serveGraphiql } from './graphiql-route';
import { isCustomerExportPath, serveCustomerExport } from './customer-export-route';
import { MARKETING_EXPORT_PATH, serveMarketingExport } from './marketing-export-route';
import { PROCESSING_ACTIVITIES_EXPORT_PATH, serveProcessingActivitiesExport } from './register-export-route';
import { serveUnsubscribe, UNSUBSCRIBE_PATH } from './unsubscribe-route';
import { Principal } from '../policies/ability';
import { TrustedProxies } from '../config/config';
import { Pem } from '../db/certificates';
import { trustedPeer } from './client-address';
import { RequestGate } from './request-gate';
import { HSTS, listen, RedirectServerHandle, refusePlainHttp, requestOverTls, secureCookie, startRedirectServer } from './https-server';

const BODY_LIMIT = 1024 * 1024;
/**
 * An oversized body is read on and thrown away, so the client can finish sending and then read the
 * 413 (closing the socket under a client still sending resets the connection before it sees the
 * answer); past this much, or when Content-Length already says more, the 413 goes out at once.
 */
const DISCARD_LIMIT = 16 * BODY_LIMIT;

class RequestTooLarge extends Error {
  constructor() {
    super('body too large');
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DISCARD_LIMIT) {
      reject(new RequestTooLarge());
      return;
    }
    let size = 0;
    let tooLarge = false;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT && !tooLarge) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (!tooLarge) chunks.push(chunk);
      else if (size > DISCARD_LIMIT) {
        req.removeAllListeners('data');
        reject(new RequestTooLarge());
      }
    });
    req.on('end', () => (tooLarge ? reject(new RequestTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.end(body);
}

export interface HttpServerHandle {
  url: string;
  port: number;
  /** With HTTPS: the plain-HTTP port that redirects to it (HTTP_REDIRECT_PORT), if one listens. */
  redirectPort?: number;
  close(): Promise<void>;
}

/** Where to listen and what the front serves besides the API. */
export interface HttpFrontOptions {
  /** Address to listen on (HOST). */
  host: string;
  /** Exact origins allowed cross-origin, with credentials (VISUS_CORS_ORIGINS). */
  corsOrigins: readonly string[];
  /** Serve the GraphiQL IDE (outside production). */
  graphiql: boolean;
  /** Told whose streamed export (marketing list, customer data) just ended or was logged (the anomaly detector: BULK_EXPORTS). */
  afterExport(principal: Principal): void;
  /** Serve HTTPS with this certificate (null: plain HTTP). */
  tls?: Pem | null;
  /** With HTTPS: the plain-HTTP port that only redirects (null: none). */
  redirectPort?: number | null;
  /** Which proxies X-Forwarded-Proto is believed from (TRUSTED_PROXIES / TRUST_PROXY). */
  trustedProxies?: TrustedProxies;
  /** Production: behind a trusted proxy, plain HTTP is refused. */
  production?: boolean;
  /** GraphQL requests executed at once; the others wait their turn (src/server/request-gate.ts). */
  graphqlConcurrency?: number;
}

const DEFAULT_GRAPHQL_CONCURRENCY = 4;

/** The address to show in URLs: `localhost` for loopback and every-interface bindings, else the host itself. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '127.0.0.1' || host === '::1') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startHttpServer(
  apollo: ApolloServer<AppContext>,
  port: number,
  contextFor: (req: IncomingMessage) => Promise<AppContext>,
  front: HttpFrontOptions,
): Promise<HttpServerHandle> {
  const corsOrigins: ReadonlySet<string> = new Set(front.corsOrigins);
  const trusted: TrustedProxies = front.trustedProxies ?? { kind: 'none' };
  const peerTrusted = trustedPeer(trusted);
  const gate = new RequestGate(front.graphqlConcurrency ?? DEFAULT_GRAPHQL_CONCURRENCY);
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res).catch((error: unknown) => {
      if (error instanceof RequestTooLarge) return refuseTooLarge(req, res);
      if (isDatabaseUnavailable(error)) {
        logger.warn({ err: safeErrorMessage(error), path: req.url?.split('?')[0] }, 'database unavailable');
        if (!res.headersSent) sendUnavailable(res);
        else res.destroy();
        return;
      }
      logger.error({ err: safeErrorMessage(error) }, 'http handler failed');
      if (!res.headersSent) send(res, 500, JSON.stringify({ errors: [{ message: 'Internal error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  };
  const server = front.tls
    ? https.createServer({ cert: front.tls.cert, key: front.tls.key, minVersion: 'TLSv1.2' }, listener)
    : http.createServer(listener);

  /** 413 with a JSON error, then the connection closes (the rest of the body, if any, is not read). */
  function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
    if (res.headersSent) return;
    res.setHeader('connection', 'close');
    send(res, 413, JSON.stringify({ errors: [{ message: `Request body too large: at most ${BODY_LIMIT / 1024 / 1024} MB.`, extensions: { code: 'BAD_REQUEST' } }] }));
    req.resume();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('x-content-type-options', 'nosniff');
    const overTls = requestOverTls(req, trusted, peerTrusted);
    if (overTls) res.setHeader('strict-transport-security', HSTS);
    else if (front.production && trusted.kind !== 'none' && refusePlainHttp(res, url.pathname)) return;
    if (url.pathname === '/healthz') return send(res, 200, '{"status":"ok"}');
    if (url.pathname === UNSUBSCRIBE_PATH) return serveUnsubscribe(req, res, url, contextFor);
    if (url.pathname === MARKETING_EXPORT_PATH) return serveMarketingExport(req, res, url, contextFor, front.afterExport);
    if (isCustomerExportPath(url.pathname)) return serveCustomerExport(req, res, url, contextFor, front.afterExport);
    if (url.pathname === PROCESSING_ACTIVITIES_EXPORT_PATH) return serveProcessingActivitiesExport(req, res, url, contextFor);
    if (front.graphiql && isGraphiqlPath(url.pathname)) return serveGraphiql(req, res, url);
    if (url.pathname !== '/graphql') return send(res, 404, '{"errors":[{"message":"Not found: the API is at /graphql."}]}');
    if (req.method === 'OPTIONS') return answerPreflight(req, res, corsOrigins);
    applyCors(req, res, corsOrigins);
    if (front.graphiql && isBrowserPageRequest(req, url)) return serveGraphiql(req, res, url);
    if (req.method !== 'POST' && req.method !== 'GET') return send(res, 405, '{"errors":[{"message":"Use POST."}]}');

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (req.method === 'POST') {
      const text = await readBody(req);
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return send(res, 400, '{"errors":[{"message":"Body is not JSON.","extensions":{"code":"BAD_REQUEST"}}]}');
      }
    }
    const method = req.method;
    // The turn is given back when execution ends (execution-turn-plugin.ts), else here with the response.
    const response = await gate.run((turn) => apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      // The session check reads the database: out of reach, that is SERVICE_UNAVAILABLE (HTTP 503), not Apollo's 500.
      context: async () => {
        const ctx = await contextFor(req).catch(rethrowUnavailable);
        ctx.executionTurn = turn;
        return ctx;
      },
    }));
    for (const [key, value] of response.headers) {
      // Keep `Vary: Origin` (CORS) beside whatever Apollo varies on.
      const vary = key === 'vary' ? res.getHeader('vary') : undefined;
      if (key === 'set-cookie') res.setHeader(key, overTls ? secureCookie(value) : value);
      else res.setHeader(key, vary ? `${String(vary)}, ${value}` : value);
    }
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  if (front.tls) {
    await listen(server, port, front.host, 'HTTPS_PORT', 'the HTTPS server');
  } else {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject); // EADDRINUSE and the like: the caller says what to do
      server.listen(port, front.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  const actualPort = (server.address() as AddressInfo).port;
  let redirect: RedirectServerHandle | undefined;
  if (front.tls && front.redirectPort !== undefined && front.redirectPort !== null) {
    try {
      redirect = await startRedirectServer(front.redirectPort, front.host, actualPort, displayHost(front.host));
    } catch (error) {
      server.close();
      throw error;
    }
  }
  return {
    url: `${front.tls ? 'https' : 'http'}://${displayHost(front.host)}:${actualPort}/graphql`,
    port: actualPort,
    redirectPort: redirect?.port,
    close: async () => {
      await redirect?.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
