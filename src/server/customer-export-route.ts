/**
 * The export of one customer's data (access and portability), beside /graphql:
 * `GET /exports/customers/{id}?format=xml|json[&dataRequestId=…]` with `Authorization: Bearer <token>` (the same
 * authentication as /graphql). The document, its rules and its SQL are src/services/customer-export/'s; this
 * file speaks HTTP:
 * - 405 for another method, 401 without or with a refused token, 400 for a bad id, a missing, repeated or
 *   unknown parameter or a bad value, or a malformed X-Access-Purpose header (a JSON error naming it), 404 for a customer that does not
 *   exist or is outside the caller's read scope, and for a request (dataRequestId) not found; 403 without
 *   every permission the export needs (the message names what is missing), and for an ENROLMENT session; 401 with
 *   reason REAUTHENTICATION_REQUIRED for a session without a recent proof of identity (src/server/export-credential-check.ts); 503 SERVICE_UNAVAILABLE when the database is out of reach; 500 when the clinical access log
 *   cannot be written (nothing is sent);
 * - XML (`application/xml`, schemas/customer-export.xsd) or JSON (`application/json`, with a FHIR Bundle),
 *   streamed with backpressure;
 * - a client that disconnects mid-stream: the cursors are closed, both snapshots rolled back and their clients
 *   released; the export is logged with `completed: false` and the parts sent.
 * Each export counts toward the BULK_EXPORTS anomaly rule (`afterExport`).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { AppContext } from '../context/app-context';
import { AuthenticatedContext } from '../context/authenticated-context';
import { isDatabaseUnavailable, sendUnavailable } from './database-unavailable';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';
import { Principal } from '../policies/ability';
import { isUuid } from '../schema/uuid';
import { refusedEnrolmentSession, refusedStaleAuthentication } from './export-credential-check';
import { ExportFormat } from '../services/customer-export/document-writers';
import { ExportTarget, prepareCustomerExport } from '../services/customer-export/customer-export';

export const CUSTOMER_EXPORT_PREFIX = '/exports/customers/';

const PARAMETERS = new Set(['format', 'dataRequestId']);
const CONTENT_TYPES: Record<ExportFormat, string> = { xml: 'application/xml; charset=utf-8', json: 'application/json; charset=utf-8' };

export function isCustomerExportPath(pathname: string): boolean {
  return pathname.startsWith(CUSTOMER_EXPORT_PREFIX);
}

function fail(res: ServerResponse, status: number, code: string, message: string, parameter?: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  if (status === 401) res.setHeader('www-authenticate', 'Bearer');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...(parameter ? { parameter } : {}) } }] }));
}

type Parsed = { customerId: string; format: ExportFormat; dataRequestId: string | null } | { parameter: string; message: string };

export function parseCustomerExportRequest(url: URL): Parsed {
  let id: string;
  try {
    id = decodeURIComponent(url.pathname.slice(CUSTOMER_EXPORT_PREFIX.length));
  } catch {
    return { parameter: 'id', message: 'id: is not a customer id' };
  }
  if (!isUuid(id)) return { parameter: 'id', message: 'id: is not a customer id' };
  for (const name of new Set(url.searchParams.keys())) {
    if (!PARAMETERS.has(name)) return { parameter: name, message: `${name}: is not a parameter of this export (format, dataRequestId)` };
  }
  const formats = url.searchParams.getAll('format');
  if (formats.length !== 1 || (formats[0] !== 'xml' && formats[0] !== 'json')) return { parameter: 'format', message: 'format: must be given once, xml or json' };
  const requests = url.searchParams.getAll('dataRequestId');
  if (requests.length > 1 || (requests.length === 1 && !isUuid(requests[0]))) {
    return { parameter: 'dataRequestId', message: 'dataRequestId: must be given at most once, a data request id' };
  }
  return { customerId: id.toLowerCase(), format: formats[0], dataRequestId: requests[0]?.toLowerCase() ?? null };
}

/** The response as an export target: write with backpressure, and whether the client has gone. */
function targetOf(res: ServerResponse): ExportTarget {
  let closed = false;
  res.on('close', () => { closed = true; });
  return {
    write: (chunk) => res.write(chunk),
    drained: () => new Promise<boolean>((resolve) => {
      if (closed) return resolve(false);
      const onDrain = () => { res.off('close', onClose); resolve(true); };
      const onClose = () => { res.off('drain', onDrain); resolve(false); };
      res.once('drain', onDrain);
      res.once('close', onClose);
    }),
    get closed() {
      return closed || res.destroyed;
    },
  };
}

export async function serveCustomerExport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  contextFor: (req: IncomingMessage) => Promise<AppContext>,
  afterExport: (principal: Principal) => void,
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    return fail(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET.');
  }
  const ctx = await contextFor(req);
  if (!ctx.principal || !ctx.ability) return fail(res, 401, 'UNAUTHENTICATED', ctx.authFailure ?? 'Send Authorization: Bearer <token>.');
  if (refusedEnrolmentSession(res, ctx)) return;
  const parsed = parseCustomerExportRequest(url);
  if ('parameter' in parsed) return fail(res, 400, 'BAD_USER_INPUT', parsed.message, parsed.parameter);
  // As /graphql (src/server/access-purpose-plugin.ts): a malformed declared purpose refuses the whole request
  // before anything is read, rather than an export whose clinical reads are logged without it.
  if (ctx.request.purposeProblem) {
    return fail(res, 400, 'BAD_USER_INPUT', `X-Access-Purpose header: ${ctx.request.purposeProblem}`, 'X-Access-Purpose');
  }
  if (refusedStaleAuthentication(res, ctx)) return;
  const principal = ctx.principal;
  const target = targetOf(res);
  let prepared;
  try {
    prepared = await prepareCustomerExport(ctx as AuthenticatedContext, parsed);
  } catch (error) {
    if (error instanceof GraphQLError) {
      const code = String(error.extensions.code);
      const field = typeof error.extensions.field === 'string' ? error.extensions.field : undefined;
      if (code === 'NOT_FOUND') return fail(res, 404, code, error.message, field ?? 'id');
      if (code === 'FORBIDDEN') return fail(res, 403, code, error.message);
      if (code === 'BAD_USER_INPUT') return fail(res, 400, code, error.message, field);
    }
    logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'customer data export could not start; nothing was sent');
    if (isDatabaseUnavailable(error)) return sendUnavailable(res);
    return fail(res, 500, 'INTERNAL_SERVER_ERROR', 'The export could not be started (its access log could not be written, or the database failed), so nothing was sent.');
  }
  // The clinical reads are logged: the BULK_EXPORTS and BULK_CLINICAL_READS rules may look now.
  afterExport(principal);
  if (target.closed) {
    await prepared.abandon();
    return;
  }
  res.statusCode = 200;
  res.setHeader('content-type', CONTENT_TYPES[parsed.format]);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-disposition', `attachment; filename="customer-${parsed.customerId}.${parsed.format}"`);
  res.flushHeaders();
  const { completed } = await prepared.run(target);
  if (completed) res.end();
  else if (!res.destroyed) res.destroy();
}
