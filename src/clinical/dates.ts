/**
 * Dates in clinical input: ISO calendar dates (YYYY-MM-DD), dates and instants that must lie between
 * 1900 and now and not before the patient's date of birth, and calendar-year arithmetic. Checks throw
 * BAD_USER_INPUT naming the field.
 *
 * Against the date of birth: a calendar date before it is refused; an instant is refused when it lies before
 * the birth date began anywhere on Earth (00:00 at UTC+14), so an examination in the first hours of a local
 * birth date is never refused for the time zone it was entered in. Only a date or instant before today can
 * be before a date of birth (nobody is born after today): `couldPrecedeBirth` tells the services when the
 * date of birth is needed at all, and a caller who may not read it is refused before it is used
 * (policies/derived-fields.ts). The message never states the date of birth.
 */
import { badInput } from '../errors/errors';

const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** The earliest time zone's offset (UTC+14): a calendar date has begun everywhere 14 hours before 00:00 UTC. */
const EARLIEST_ZONE_MS = 14 * 3600 * 1000;
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

/** The first instant of a calendar date anywhere on Earth (00:00 at UTC+14). */
function earliestInstantOf(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) - EARLIEST_ZONE_MS;
}

function precedes(value: string | Date, isoDate: string): boolean {
  return typeof value === 'string' ? value < isoDate : value.getTime() < earliestInstantOf(isoDate);
}

/**
 * Whether a clinical date (YYYY-MM-DD) or instant could be before a patient's date of birth at all: only
 * one before today (UTC) can, as nobody's date of birth is after today.
 */
export function couldPrecedeBirth(value: string | Date, today: string): boolean {
  return precedes(value, today);
}

/** A clinical date or instant not before the patient's date of birth (see the header for instants). */
export function checkNotBeforeBirth(value: string | Date, field: string, dateOfBirth: string): void {
  if (precedes(value, dateOfBirth)) throw badInput(field, "must not be before the patient's date of birth");
}
