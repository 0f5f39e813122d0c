/**
 * The one reader of a list's page arguments: `first` (a page size within the list's limits, BAD_USER_INPUT
 * naming `first` otherwise) and `after` (a cursor this list issued, decoded and parsed into the list's
 * position; BAD_USER_INPUT naming `after` for anything else). Every paginated list reads them here, so the
 * rule and its message are the same everywhere.
 */
import { badInput } from '../errors/errors';
import { decodeCursor } from './page-cursor';

export interface PageLimits {
  /** The page size when `first` is not given. */
  defaultSize: number;
  /** The largest page size a client may ask for. */
  maxSize: number;
}

/** Customers, emergency accesses: 20 by default, at most 100. */
export const RECORD_PAGE: PageLimits = { defaultSize: 20, maxSize: 100 };
/** Log entries and security events: 50 by default, at most 200. */
export const LOG_PAGE: PageLimits = { defaultSize: 50, maxSize: 200 };
/** Role changes (a plain list, newest first): 50 by default, at most 500. */
export const HISTORY_PAGE: PageLimits = { defaultSize: 50, maxSize: 500 };

export function pageSize(first: number | null | undefined, limits: PageLimits): number {
  const size = first ?? limits.defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > limits.maxSize) throw badInput('first', `must be between 1 and ${limits.maxSize}`);
  return size;
}

/**
 * The position an `after` cursor names (null when none was given). `parse` turns the decoded cursor into
 * the list's position, or null when it is not one of this list's.
 */
export function afterPosition<P>(after: string | null | undefined, parse: (decoded: string) => P | null): P | null {
  if (after === null || after === undefined) return null;
  const decoded = decodeCursor(after);
  const position = decoded === null ? null : parse(decoded);
  if (position === null) throw badInput('after', 'is not a cursor from this list');
  return position;
}

/** Positions that are a row's serial id (log entries, security events). */
export function serialId(decoded: string): string | null {
  return /^\d+$/.test(decoded) ? decoded : null;
}
