/**
 * The streamed marketing list export, beside /graphql: `GET /exports/marketing-list?channel=EMAIL&format=csv|ndjson
 * [&storeId=…]` (storeId repeatable) with `Authorization: Bearer <token>` (a session or an API token, through the
 * same authentication as /graphql). The list, its rules and its SQL are the `marketingList` query's
 * (src/services/marketing/); this file speaks HTTP:
 * - 401 without or with a refused token, 403 without `export` MarketingList, 400 for a missing, repeated or
 *   unknown parameter or a bad value (a JSON error naming the parameter), 404 for a storeId outside the
 *   caller's list scope (as for one that does not exist), 405 for another method; an ENROLMENT session 403 and a
 *   session without a recent proof of identity 401 (reason REAUTHENTICATION_REQUIRED; src/server/export-credential-check.ts);
 * - CSV (`text/csv`): a header row of the Customer fields the caller may read, a field empty where it is not
 *   readable at that customer's store; the manifest as JSON in the `X-Visus-Manifest` header, taken in the
 *   same snapshot before the rows;
 * - NDJSON (`application/x-ndjson`): one JSON object per customer (only the fields readable at that row), then
 *   a last line `{"manifest":{…}}` (also in the header);
 * - backpressure: the COPY is paused while the client is slow, so memory stays flat;
 * - a client that disconnects mid-stream: the COPY is cancelled, the transaction rolled back and the client
 *   released (src/db/read-snapshot.ts); the export is logged with `completed: false` and the rows sent.
 * Each export counts toward the BULK_EXPORTS anomaly rule (`afterExport`).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { AppContext } from '../context/app-context';
import { AuthenticatedContext } from '../context/authenticated-context';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';
import { Principal } from '../policies/ability';
import { mayExportMarketingLists } from '../policies/marketing-list-scope';
import { refusedEnrolmentSession, refusedStaleAuthentication } from './export-credential-check';
import { ConsentChannel } from '../schema/enums';
import { isUuid } from '../schema/uuid';
import { Manifest } from '../services/marketing/marketing-list-read';
import { ExportFormat } from '../services/marketing/marketing-list-sql';
import { startMarketingExport } from '../services/marketing/marketing-export';
import { StreamedBuffers } from './streamed-buffers';

export const MARKETING_EXPORT_PATH = '/exports/marketing-list';

const PARAMETERS = new Set(['channel', 'format', 'storeId']);
const FORMATS: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' };
const NEWLINE = 0x0a;

function fail(res: ServerResponse, status: number, code: string, message: string, parameter?: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  if (status === 401) res.setHeader('www-authenticate', 'Bearer');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...(parameter ? { parameter } : {}) } }] }));
}

/** JSON with every non-ASCII character escaped, so it can travel in an HTTP header. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function manifestJson(manifest: Manifest): Record<string, unknown> {
  return { ...manifest, takenAt: manifest.takenAt.toISOString() };
}

type Parsed = { channel: ConsentChannel; format: ExportFormat; storeIds: string[] } | { parameter: string; message: string };

export function parseExportParameters(url: URL): Parsed {
  for (const name of new Set(url.searchParams.keys())) {
    if (!PARAMETERS.has(name)) return { parameter: name, message: `${name}: is not a parameter of this export (channel, format, storeId)` };
  }
  const single = (name: string): string | null | 'repeated' => {
    const values = url.searchParams.getAll(name);
    if (values.length > 1) return 'repeated';
    return values[0] ?? null;
  };
  const channel = single('channel');
  if (channel === null || channel === 'repeated' || !Object.values(ConsentChannel).includes(channel as ConsentChannel)) {
    return { parameter: 'channel', message: `channel: must be given once, one of ${Object.values(ConsentChannel).join(', ')}` };
  }
  const format = single('format');
  if (format !== 'csv' && format !== 'ndjson') return { parameter: 'format', message: 'format: must be given once, csv or ndjson' };
  const storeIds = url.searchParams.getAll('storeId');
  if (storeIds.some((id) => !isUuid(id))) return { parameter: 'storeId', message: 'storeId: is not a store id' };
  return { channel: channel as ConsentChannel, format, storeIds };
}

export async function serveMarketingExport(
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
  if (!mayExportMarketingLists(ctx.ability)) return fail(res, 403, 'FORBIDDEN', 'Not allowed to export MarketingList.');
  if (refusedStaleAuthentication(res, ctx)) return;
  const parsed = parseExportParameters(url);
  if ('parameter' in parsed) return fail(res, 400, 'BAD_USER_INPUT', parsed.message, parsed.parameter);

  let closed = false;
  res.on('close', () => { closed = true; });
  let exported;
  try {
    exported = await startMarketingExport(ctx as AuthenticatedContext, parsed);
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === 'NOT_FOUND') return fail(res, 404, 'NOT_FOUND', 'Store not found.', 'storeId');
    throw error;
  }
  const { manifest, rows, head } = exported;
  const principal = ctx.principal;
  let lines = 0;
  let finished = false;
  const finish = (completed: boolean) => {
    if (finished) return;
    finished = true;
    const rowCount = Math.max(0, parsed.format === 'csv' ? lines - 1 : lines);
    void exported.end({ completed, rowCount }).finally(() => afterExport(principal));
  };
  if (closed) return finish(false);

  res.statusCode = 200;
  res.setHeader('content-type', FORMATS[parsed.format]);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-disposition', `attachment; filename="marketing-list-${parsed.channel.toLowerCase()}.${parsed.format}"`);
  res.setHeader('x-visus-manifest', asciiJson(manifestJson(manifest)));
  res.flushHeaders();

  res.on('close', () => {
    if (!res.writableFinished) finish(false);
  });
  res.on('drain', () => rows.resume());
  const buffers = new StreamedBuffers();
  const send = (chunk: Buffer): boolean => {
    buffers.sent(chunk.length);
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) lines += 1;
    return res.write(chunk);
  };
  if (head.length > 0 && !send(head)) rows.pause();
  rows.on('data', (chunk: Buffer) => {
    if (!send(chunk)) rows.pause();
  });
  // Paused while the manifest row was read: flowing again (the 'data' listener alone does not resume a paused stream).
  if (res.writableNeedDrain === false) rows.resume();
  rows.on('error', (error: Error) => {
    if (finished) return; // our own cancel
    logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'marketing list export failed mid-stream');
    finish(false);
    res.destroy();
  });
  rows.on('end', () => {
    if (finished) return;
    if (parsed.format === 'ndjson') res.write(`${asciiJson({ manifest: manifestJson(manifest) })}\n`);
    res.end(() => finish(true));
  });
}
