/**
 * A database that cannot be reached is the server's trouble, not the client's and not a bug: it is answered
 * as SERVICE_UNAVAILABLE with HTTP 503 and `Retry-After`, a fixed message (no stack, no SQL, nothing of the
 * driver's text), and the server recovers by itself once PostgreSQL is back (the pools reconnect).
 *
 * `isDatabaseUnavailable` classifies an error by its cause chain (GraphQL `originalError`, `cause`, TypeORM's
 * `driverError`, an AggregateError's `errors`): socket failures (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT,
 * unreachable hosts, DNS), PostgreSQL's shutdown and start-up refusals (57P01 admin_shutdown, 57P02
 * crash_shutdown, 57P03 cannot_connect_now, 25P03 and 57P05 idle-session timeouts), every connection exception (class
 * 08), too many connections (53300), and node-postgres's own "Connection terminated…", "not queryable" and pool-timeout errors.
 * Used by Apollo's formatError (src/server/apollo.ts), the request context (its failure bypasses the execution
 * result), the request-completion plugin (a mutation's unit of work that cannot begin, the fail-closed access
 * log and commit) and the HTTP front's own routes (exports, unsubscribe: src/server/http-server.ts). TypeORM's
 * errors for a released query runner are not in the list: the unit of work turns them into ConnectionLostError,
 * caused by the connection's error, when its connection failed (src/db/request-transaction.ts); otherwise a bug.
 */
import { ServerResponse } from 'node:http';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { GraphQLResponse, HeaderMap } from '@apollo/server';

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';
/** Seconds a client is asked to wait before retrying (a PostgreSQL restart takes a few). */
export const RETRY_AFTER_SECONDS = 5;
export const UNAVAILABLE_MESSAGE = 'The database is unavailable at the moment: try again shortly.';

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
// Shutdown, crash, start-up, too many connections, and the server ending an idle (in-transaction) session.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '25P03', '57P05']);
const DRIVER_MESSAGES = [
  /^Connection terminated/, // unexpectedly; due to connection timeout
  /^timeout exceeded when trying to connect/, // pg-pool: no connection free within connectionTimeoutMillis
  // A client whose connection broke or closed (node-postgres's two messages, anchored: a client's own text quoted
  // in an error further down the cause chain must not make its bad input look like an outage).
  /^Client (has encountered a connection error|was closed) and is not queryable$/,
  /^Client network socket disconnected/,
  /^read ECONNRESET/,
];

function causesOf(error: object): unknown[] {
  const e = error as { originalError?: unknown; cause?: unknown; driverError?: unknown; errors?: unknown };
  return [e.originalError, e.cause, e.driverError, ...(Array.isArray(e.errors) ? e.errors : [])];
}

function isConnectionFailure(error: object): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message));
}

/** Whether the error, or anything it was caused by, says the database could not be reached or went away. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next || typeof next !== 'object' || seen.has(next) || seen.size > 20) continue;
    seen.add(next);
    if ((next as { extensions?: { code?: unknown } }).extensions?.code === SERVICE_UNAVAILABLE) return true;
    if (isConnectionFailure(next)) return true;
    stack.push(...causesOf(next));
  }
  return false;
}

/** The client's error: SERVICE_UNAVAILABLE, the fixed message, and (for Apollo's error responses) HTTP 503 with Retry-After. */
export function unavailableError(cause?: unknown): GraphQLError {
  return new GraphQLError(UNAVAILABLE_MESSAGE, {
    originalError: cause instanceof Error ? cause : undefined,
    extensions: { code: SERVICE_UNAVAILABLE, http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) } },
  });
}

/** Rethrows a database-unavailable error as `unavailableError`, anything else as it is (for paths outside execution). */
export function rethrowUnavailable(error: unknown): never {
  throw isDatabaseUnavailable(error) ? unavailableError(error) : error;
}

/** formatError's answer for an unavailable database (null: not that). */
export function formatUnavailable(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | null {
  if (formatted.extensions?.code !== SERVICE_UNAVAILABLE && !isDatabaseUnavailable(error)) return null;
  return { message: UNAVAILABLE_MESSAGE, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: SERVICE_UNAVAILABLE } };
}

/** A GraphQL response carrying a SERVICE_UNAVAILABLE error answers HTTP 503 with Retry-After. */
export function markUnavailableResponse(response: GraphQLResponse): void {
  if (response.body.kind !== 'single') return;
  if (!response.body.singleResult.errors?.some((e) => e.extensions?.code === SERVICE_UNAVAILABLE)) return;
  response.http.status = 503;
  response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
}

/** The HTTP front's own routes: 503, Retry-After and the JSON error (nothing sent yet). */
export function sendUnavailable(res: ServerResponse): void {
  res.statusCode = 503;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
  res.end(JSON.stringify({ errors: [{ message: UNAVAILABLE_MESSAGE, extensions: { code: SERVICE_UNAVAILABLE } }] }));
}
