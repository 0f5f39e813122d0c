/**
 * src/server/database-unavailable.ts: which errors mean "the database is out of reach" (SERVICE_UNAVAILABLE,
 * HTTP 503) and which do not. Real driver errors where one can be had without a database (a pg client and a
 * pg pool against a port nothing listens on, through TypeORM too), the rest built as pg and TypeORM build them.
 */
import net from 'node:net';
import { GraphQLError } from 'graphql';
import { Client, Pool } from 'pg';
import { DataSource, QueryFailedError, QueryRunnerAlreadyReleasedError, TransactionNotStartedError } from 'typeorm';
import { ConnectionLostError } from '../../../src/db/request-transaction';
import { formatUnavailable, isDatabaseUnavailable, markUnavailableResponse, SERVICE_UNAVAILABLE, unavailableError } from '../../../src/server/database-unavailable';
import { GraphQLResponse, HeaderMap } from '@apollo/server';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A PostgreSQL server error as node-postgres builds it (a DatabaseError with its SQLSTATE in `code`). */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

describe('database unavailable: what counts', () => {
  test('a refused connection, from pg, a pg pool and TypeORM', async () => {
    const port = await closedPort();
    const client = new Client({ host: '127.0.0.1', port, user: 'x', database: 'x' });
    const refused = await client.connect().then(() => null, (e: unknown) => e);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const pool = new Pool({ host: '127.0.0.1', port, user: 'x', database: 'x' });
    const pooled = await pool.query('SELECT 1').then(() => null, (e: unknown) => e);
    await pool.end();
    expect(isDatabaseUnavailable(pooled)).toBe(true);
    const ds = new DataSource({ type: 'postgres', host: 'localhost', port, username: 'x', database: 'x' });
    const viaTypeorm = await ds.initialize().then(() => null, (e: unknown) => e);
    expect(isDatabaseUnavailable(viaTypeorm)).toBe(true); // localhost: an AggregateError over ::1 and 127.0.0.1
  });

  test.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection because of crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['08006', 'connection failure'],
    ['08003', 'connection does not exist'],
    ['08P01', 'protocol violation'],
    ['53300', 'sorry, too many clients already'],
    ['25P03', 'terminating connection due to idle-in-transaction timeout'],
    ['57P05', 'terminating connection due to idle-session timeout'],
  ])('PostgreSQL %s (%s), also inside TypeORM\'s QueryFailedError and a GraphQL error', (code, message) => {
    const driver = pgError(code, message);
    expect(isDatabaseUnavailable(driver)).toBe(true);
    const typeorm = new QueryFailedError('SELECT secret FROM t', [], driver);
    expect(isDatabaseUnavailable(typeorm)).toBe(true);
    expect(isDatabaseUnavailable(new GraphQLError('Internal error.', { originalError: typeorm }))).toBe(true);
  });

  test.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Client was closed and is not queryable',
  ])('node-postgres: %s, also as a cause', (message) => {
    expect(isDatabaseUnavailable(new Error(message))).toBe(true);
    expect(isDatabaseUnavailable(new Error('the access log batch failed', { cause: new Error(message) }))).toBe(true);
  });

  test.each([
    ['23505', 'duplicate key value violates unique constraint'],
    ['40001', 'could not serialize access'],
    ['42601', 'syntax error at or near'],
    ['22P02', 'invalid input syntax for type uuid'],
    ['57014', 'canceling statement due to statement timeout'],
  ])('not: PostgreSQL %s (%s)', (code, message) => {
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], pgError(code, message)))).toBe(false);
  });

  test('a request transaction\'s statement after its connection failed (ConnectionLostError), by its cause', () => {
    expect(isDatabaseUnavailable(new ConnectionLostError(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(new ConnectionLostError(pgError('57P01', 'terminating connection due to administrator command')))).toBe(true);
    // What the connection failed with decides: an error event that is no connection failure stays a bug.
    expect(isDatabaseUnavailable(new ConnectionLostError(new Error('boom')))).toBe(false);
  });

  test('not: TypeORM\'s released runner or unstarted transaction on their own (a bug, unless the unit of work saw its connection fail)', () => {
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(false);
    expect(isDatabaseUnavailable(new TransactionNotStartedError())).toBe(false);
  });

  test('not: plain errors, client errors, a cycle of causes', () => {
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(new GraphQLError('input.x: bad', { extensions: { code: 'BAD_USER_INPUT' } }))).toBe(false);
    // A client's own words that happen to read like a driver's message are not an outage.
    const echoed = new GraphQLError('Variable "$search" got invalid value "Client was closed and is not queryable"; String cannot represent it');
    expect(isDatabaseUnavailable(new GraphQLError('Bad input.', { originalError: echoed, extensions: { code: 'BAD_USER_INPUT' } }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('x is not queryable'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});

describe('database unavailable: what the client gets', () => {
  test('formatted: the fixed message and SERVICE_UNAVAILABLE, nothing of the driver (SQL, values, stack)', () => {
    const cause = new QueryFailedError('SELECT "firstName" FROM customer WHERE id = $1', ['Ada'], pgError('57P01', 'terminating connection due to administrator command'));
    const formatted = formatUnavailable({ message: 'Context creation failed: terminating connection', path: ['customers'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, cause);
    expect(formatted?.extensions).toEqual({ code: SERVICE_UNAVAILABLE });
    expect(formatted?.path).toEqual(['customers']);
    expect(JSON.stringify(formatted)).not.toMatch(/SELECT|firstName|Ada|administrator|\n\s+at /);
    expect(formatUnavailable({ message: 'x', extensions: { code: 'FORBIDDEN' } }, new Error('x'))).toBeNull();
  });

  test('Apollo error responses carry HTTP 503 and Retry-After; an execution result with the code is marked 503', () => {
    const http = unavailableError(new Error('Connection terminated unexpectedly')).extensions.http as { status: number; headers: HeaderMap };
    expect(http.status).toBe(503);
    expect(Number(http.headers.get('retry-after'))).toBeGreaterThan(0);
    const response: GraphQLResponse = { http: { status: undefined, headers: new HeaderMap() },
      body: { kind: 'single', singleResult: { data: null, errors: [{ message: 'm', extensions: { code: SERVICE_UNAVAILABLE } }] } } };
    markUnavailableResponse(response);
    expect(response.http.status).toBe(503);
    expect(response.http.headers.get('retry-after')).toBeTruthy();
    const fine: GraphQLResponse = { http: { status: undefined, headers: new HeaderMap() },
      body: { kind: 'single', singleResult: { data: null, errors: [{ message: 'm', extensions: { code: 'FORBIDDEN' } }] } } };
    markUnavailableResponse(fine);
    expect(fine.http.status).toBeUndefined();
  });
});
