/**
 * Dates in clinical input: ISO calendar dates (YYYY-MM-DD), dates and instants that must lie between
 * 1900 and now, and calendar-year arithmetic. Checks throw BAD_USER_INPUT naming the field.
 */
import { badInput } from '../errors/errors';

const CLOCK_SKEW_MS = 5 * 60 * 1000;
const EARLIEST_INSTANT = new Date(Date.UTC(1900, 0, 1));
const EARLIEST_DATE = '1900-01-01';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function checkIsoDate(value: unknown, field: string): asserts value is string {
  if (!isIsoDate(value)) throw badInput(field, 'must be a date as YYYY-MM-DD');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same calendar day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(isoDate: string, years: number): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const targetYear = year + years;
  const targetDay = Math.min(day, daysInMonth(targetYear, month));
  return `${String(targetYear).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(targetDay).padStart(2, '0')}`;
}

/** A calendar date (YYYY-MM-DD) not in the future and not before 1900. */
export function checkPastDate(value: unknown, field: string, today: string): asserts value is string {
  checkIsoDate(value, field);
  if (value > today) throw badInput(field, 'must not be in the future');
  if (value < EARLIEST_DATE) throw badInput(field, `must not be before ${EARLIEST_DATE}`);
}

/** An instant not in the future (allowing 5 minutes of clock skew) and not before 1900. */
export function checkPastInstant(value: unknown, field: string, now: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(field, 'must be a valid date and time');
  if (value.getTime() > now.getTime() + CLOCK_SKEW_MS) throw badInput(field, 'must not be in the future');
  if (value.getTime() < EARLIEST_INSTANT.getTime()) throw badInput(field, 'must not be before 1900');
}
