/**
 * The history of a DPO register entry (a breach, a processing activity): which fields a change touched, as JSON
 * before and after, for the append-only history tables (breach_event, processing_activity_change).
 */
import { jsonValue } from '../../hash-chain/change-log';

/** Bookkeeping, not content: the entry itself says which row and when. */
const NOT_RECORDED = new Set(['id', 'chainId', 'createdAt', 'updatedAt', 'updatedById']);

/** The fields of `fields` whose value differs between `before` and `after` (before null: every field set). */
export function changedValues(fields: readonly string[], before: object | null, after: object): { before: Record<string, unknown> | null; after: Record<string, unknown> } {
  const was: Record<string, unknown> = {};
  const is: Record<string, unknown> = {};
  for (const field of fields) {
    if (NOT_RECORDED.has(field)) continue;
    const old = before ? jsonValue((before as Record<string, unknown>)[field]) : null;
    const now = jsonValue((after as Record<string, unknown>)[field]);
    if (before && JSON.stringify(old) === JSON.stringify(now)) continue;
    if (before) was[field] = old;
    is[field] = now;
  }
  return { before: before ? was : null, after: is };
}
