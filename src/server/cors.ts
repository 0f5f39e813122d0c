/**
 * CORS for /graphql: browsers at the origins listed in VISUS_CORS_ORIGINS (exact matches only) may call
 * the API with credentials (the session cookie, or `Authorization: Bearer …`); any other origin gets no
 * CORS header at all, so the browser keeps the answer from its page. Preflights (OPTIONS) are answered
 * here, never by Apollo.
 */
import { IncomingMessage, ServerResponse } from 'node:http';

export const CORS_METHODS = 'GET, POST, OPTIONS';

/**
 * Request headers a cross-origin page may send: JSON bodies, the bearer token, the access purpose
 * (src/audit/access-purpose.ts), the two headers Apollo's CSRF prevention accepts as proof of a
 * preflight (`apollo-require-preflight`, `x-apollo-operation-name`) and Apollo Client's client awareness.
 */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-access-purpose',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
] as const;

/** Response headers a cross-origin page may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = 'x-request-id';

/** Seconds a browser may reuse a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

function originOf(req: IncomingMessage): string | undefined {
  const value = req.headers.origin;
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Sets the CORS headers of an answer from /graphql. Every answer varies by Origin; only an allowed
 * origin is echoed. Returns whether the request's origin is allowed.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>): boolean {
  res.setHeader('vary', 'Origin');
  const origin = originOf(req);
  if (origin === undefined || !allowed.has(origin)) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS);
  return true;
}

/**
 * Answers OPTIONS on /graphql with 204: for an allowed origin, the preflight's permissions (methods,
 * headers, how long to cache them); for any other, or no origin, only `Allow`, with no CORS header.
 */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>): void {
  res.setHeader('allow', CORS_METHODS);
  if (applyCors(req, res, allowed)) {
    res.setHeader('access-control-allow-methods', CORS_METHODS);
    res.setHeader('access-control-allow-headers', CORS_ALLOWED_HEADERS.join(', '));
    res.setHeader('access-control-max-age', String(CORS_MAX_AGE_SECONDS));
    res.removeHeader('access-control-expose-headers');
  }
  res.statusCode = 204;
  res.end();
}
