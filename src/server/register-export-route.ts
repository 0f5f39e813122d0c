/**
 * The records of processing as a file, beside /graphql: `GET /exports/processing-activities?format=json|csv` with
 * `Authorization: Bearer <token>` (authenticated like /graphql). As the marketing export route
 * (src/server/marketing-export-route.ts): 401 without or with a refused token, 403 without `export`
 * ProcessingActivity under a chain-scoped grant, 400 for a missing, repeated or unknown parameter (a JSON error
 * naming it), 405 for another method; an ENROLMENT session 403 and a session without a recent proof of identity
 * 401 (reason REAUTHENTICATION_REQUIRED; src/server/export-credential-check.ts). The export itself and its log are src/services/registers/processing-activity-export.ts.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { AppContext } from '../context/app-context';
import { AuthenticatedContext } from '../context/authenticated-context';
import { isGraphQLErrorWithCode } from '../errors/errors';
import { refusedEnrolmentSession, refusedStaleAuthentication } from './export-credential-check';
import { exportProcessingActivities, RegisterFormat } from '../services/registers/processing-activity-export';

export const PROCESSING_ACTIVITIES_EXPORT_PATH = '/exports/processing-activities';

const CONTENT_TYPES: Record<RegisterFormat, string> = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' };

function fail(res: ServerResponse, status: number, code: string, message: string, parameter?: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  if (status === 401) res.setHeader('www-authenticate', 'Bearer');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...(parameter ? { parameter } : {}) } }] }));
}

export function parseRegisterFormat(url: URL): RegisterFormat | { parameter: string; message: string } {
  for (const name of new Set(url.searchParams.keys())) {
    if (name !== 'format') return { parameter: name, message: `${name}: is not a parameter of this export (format)` };
  }
  const values = url.searchParams.getAll('format');
  if (values.length !== 1 || (values[0] !== 'json' && values[0] !== 'csv')) return { parameter: 'format', message: 'format: must be given once, json or csv' };
  return values[0];
}

export async function serveProcessingActivitiesExport(req: IncomingMessage, res: ServerResponse, url: URL, contextFor: (req: IncomingMessage) => Promise<AppContext>): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    return fail(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET.');
  }
  const ctx = await contextFor(req);
  if (!ctx.principal || !ctx.ability) return fail(res, 401, 'UNAUTHENTICATED', ctx.authFailure ?? 'Send Authorization: Bearer <token>.');
  if (refusedEnrolmentSession(res, ctx)) return;
  if (!ctx.ability.can('export', 'ProcessingActivity')) return fail(res, 403, 'FORBIDDEN', 'Not allowed to export ProcessingActivity.');
  if (refusedStaleAuthentication(res, ctx)) return;
  const format = parseRegisterFormat(url);
  if (typeof format !== 'string') return fail(res, 400, 'BAD_USER_INPUT', format.message, format.parameter);
  let document;
  try {
    document = await exportProcessingActivities(ctx as AuthenticatedContext, format);
  } catch (error) {
    if (isGraphQLErrorWithCode(error) && error.extensions.code === 'FORBIDDEN') return fail(res, 403, 'FORBIDDEN', error.message);
    throw error;
  }
  res.statusCode = 200;
  res.setHeader('content-type', CONTENT_TYPES[format]);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-disposition', `attachment; filename="processing-activities.${format}"`);
  res.end(document.body);
}
