/**
 * Whether text holds a real calendar day as `YYYY-MM-DD` (years 0000-9999, proleptic Gregorian leap years, as
 * JavaScript's Date counts them), read by character codes: the serialise shortcuts of the date scalars
 * (src/schema/date-time-iso.ts, src/schema/local-date.ts) run it for every date of every row.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two-digit number at `value[at]`, `value[at + 1]`, or -1 when either is not an ASCII digit. */
export function twoDigitsAt(value: string, at: number): number {
  const tens = value.charCodeAt(at) - 48;
  const units = value.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : -1;
}

/** Whether `value`, from index `at`, starts with a real `YYYY-MM-DD` day (what follows is the caller's). */
export function isCalendarDateAt(value: string, at: number): boolean {
  const century = twoDigitsAt(value, at);
  const yearOfCentury = twoDigitsAt(value, at + 2);
  if (century < 0 || yearOfCentury < 0 || value.charCodeAt(at + 4) !== 45 || value.charCodeAt(at + 7) !== 45) return false;
  const month = twoDigitsAt(value, at + 5);
  const day = twoDigitsAt(value, at + 8);
  if (month < 1 || month > 12 || day < 1) return false;
  const year = century * 100 + yearOfCentury;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}
