/**
 * The records of processing as a document for an authority: every entry of the caller's chain, as JSON or as CSV,
 * with the fields the caller may `export` (ProcessingActivity, chain-scoped). Each export is logged
 * (register_export: who, session, request, address, format, how many entries). Registers hold no personal data,
 * so they do not count toward the BULK_EXPORTS rule.
 */
import { scoped } from '../../policies/ability';
import { forbidden } from '../../errors/errors';
import { ProcessingActivity } from '../../schema/registers/processing-activity.entity';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { ACTIVITY_FIELDS } from './processing-activity-service';

export type RegisterFormat = 'json' | 'csv';

/** Every column of the export, in order: the id, the Art. 30(1) content, then bookkeeping. */
const EXPORT_COLUMNS = ['id', ...ACTIVITY_FIELDS, 'createdAt', 'updatedAt'] as const;

export interface RegisterDocument {
  body: string;
  entries: number;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(cellText).join('; ');
  return String(value);
}

/** A CSV cell (RFC 4180): quoted when needed; a leading =, +, - or @ is prefixed with ' so a spreadsheet shows it as text. */
function csvCell(value: unknown): string {
  let text = cellText(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value ?? null;
}

export async function exportProcessingActivities(ctx: AuthenticatedContext, format: RegisterFormat): Promise<RegisterDocument> {
  const { principal, ability } = ctx;
  const target = scoped('ProcessingActivity', { chainId: principal.chainId });
  if (!ability.can('export', target)) throw forbidden('Not allowed to export ProcessingActivity.');
  const columns = EXPORT_COLUMNS.filter((field) => ability.can('export', target, field));
  if (columns.length === 0) throw forbidden('Not allowed to export any field of ProcessingActivity.');
  const rows = await ctx.core.getRepository(ProcessingActivity).find({ where: { chainId: principal.chainId }, order: { name: 'ASC', id: 'ASC' } });
  const body = format === 'json'
    ? `${JSON.stringify({
      register: 'Records of processing activities (Art. 30(1) GDPR)', exportedAt: new Date().toISOString(),
      activities: rows.map((row) => Object.fromEntries(columns.map((field) => [field, jsonValue((row as unknown as Record<string, unknown>)[field])]))),
    }, null, 2)}\n`
    : [columns.join(','), ...rows.map((row) => columns.map((field) => csvCell((row as unknown as Record<string, unknown>)[field])).join(','))].join('\r\n') + '\r\n';
  await ctx.core.query(
    `INSERT INTO register_export (chain_id, user_id, session_id, request_id, client_address, register, format, entry_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [principal.chainId, principal.userId, principal.sessionId, ctx.request.requestId, ctx.request.clientAddress, 'processing-activities', format, rows.length],
  );
  return { body, entries: rows.length };
}
