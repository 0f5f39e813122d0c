/**
 * The legal clock of a data-subject request (GDPR Art. 12(3)), pure: no database, no "now" of its own.
 *
 * - Due date: received at instant R, its date taken in UTC; due on the same day of the next month, or that
 *   month's last day where it has no such day (31 Jan → 28/29 Feb, 31 Mar → 30 Apr, 31 Dec → 31 Jan), at the
 *   END of that day (23:59:59.999 UTC).
 * - Extension: by 1 or 2 months, at most 2 in total, counted by the same month rule from the ORIGINAL due date
 *   (31 Jan → due 28 Feb 2025 → extended by 2: 28 Apr 2025), only while now ≤ the original due date.
 * - Pause: the time the clock was stopped is added to the due date when it resumes.
 * So the current due date is always `extendedDue(original, months) + total paused time`.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** The most months a request's due date may be extended by, in total (Art. 12(3): "by two further months"). */
export const MAX_EXTENSION_MONTHS = 2;
/** Requests due within this many days (and not overdue) are listed right after the overdue ones. */
export const DUE_SOON_DAYS = 7;

/** The last day (1-31) of `month` (0-11) of `year`, in the proleptic Gregorian calendar. */
function lastDayOf(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * The calendar date `months` months after the UTC date of `from`: the same day of that month, or its last day
 * where it has none. Returned as the START of that UTC day.
 */
export function addCalendarMonths(from: Date, months: number): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const day = Math.min(from.getUTCDate(), lastDayOf(targetYear, targetMonth));
  return new Date(Date.UTC(targetYear, targetMonth, day));
}

/** The last instant (23:59:59.999 UTC) of the UTC day of `day`. */
export function endOfUtcDay(day: Date): Date {
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) + DAY_MS - 1);
}

/** The original due date of a request received at `receivedAt`: the end of the same day next month (or its last day). */
export function originalDueAt(receivedAt: Date): Date {
  return endOfUtcDay(addCalendarMonths(receivedAt, 1));
}

/** The due date after extending by `months` in total, counted by the month rule from the original due date. */
export function extendedDueAt(receivedAt: Date, months: number): Date {
  return endOfUtcDay(addCalendarMonths(originalDueAt(receivedAt), months));
}

/** The current due date: extended by `extensionMonths`, then moved by the time the clock was stopped. */
export function currentDueAt(receivedAt: Date, extensionMonths: number, pausedMs: number): Date {
  return new Date(extendedDueAt(receivedAt, extensionMonths).getTime() + pausedMs);
}

/** Why an extension is refused (the field it is about and the message), or null when it is allowed. */
export function extensionRefusal(receivedAt: Date, extendedSoFar: number, months: number, now: Date): { field: 'months' | 'id'; message: string } | null {
  if (!Number.isInteger(months) || months < 1 || months > MAX_EXTENSION_MONTHS) {
    return { field: 'months', message: `must be 1 or ${MAX_EXTENSION_MONTHS}` };
  }
  if (extendedSoFar + months > MAX_EXTENSION_MONTHS) {
    return { field: 'months', message: `would extend the request by more than ${MAX_EXTENSION_MONTHS} months in total (already extended by ${extendedSoFar})` };
  }
  if (now.getTime() > originalDueAt(receivedAt).getTime()) {
    return { field: 'id', message: 'the original due date has passed: an extension must be recorded before it' };
  }
  return null;
}

/** A clock as stored: its current due date, its status and, while paused, since when. */
export interface ClockState {
  dueAt: Date;
  status: string;
  pausedAt: Date | null;
}

/**
 * The due date as it stands at `now`: for a PAUSED request the stored due date moved by the time paused so far
 * (the clock is stopped, so the deadline recedes with time); for any other, the stored due date.
 */
export function effectiveDueAt(state: ClockState, now: Date): Date {
  if (state.status === 'PAUSED' && state.pausedAt) return new Date(state.dueAt.getTime() + Math.max(0, now.getTime() - state.pausedAt.getTime()));
  return state.dueAt;
}

/** Overdue: OPEN or PAUSED and now is past the (effective) due date. A paused request is overdue only if it already was when paused. */
export function isOverdue(state: ClockState, now: Date): boolean {
  if (state.status !== 'OPEN' && state.status !== 'PAUSED') return false;
  return now.getTime() > effectiveDueAt(state, now).getTime();
}

/** Not overdue, still running, and due within DUE_SOON_DAYS of now. */
export function isDueSoon(state: ClockState, now: Date): boolean {
  if (state.status !== 'OPEN' && state.status !== 'PAUSED') return false;
  if (isOverdue(state, now)) return false;
  return effectiveDueAt(state, now).getTime() <= now.getTime() + DUE_SOON_DAYS * DAY_MS;
}
