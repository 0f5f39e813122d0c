/**
 * The legal clock of a data-subject request, from the rule's words (docs/data-requests.md): received on day D
 * (UTC), due at the end of the same day next month, or of that month's last day where it has no such day;
 * extended by at most two months in total from the original due date, only before it passes; a stopped clock
 * moves the due date by the paused time.
 */
import {
  addCalendarMonths, currentDueAt, effectiveDueAt, extendedDueAt, extensionRefusal, isDueSoon, isOverdue, originalDueAt,
} from '../../../src/services/data-requests/legal-clock';

const at = (iso: string) => new Date(iso);
const due = (received: string) => originalDueAt(at(received)).toISOString();

describe('the due date: one calendar month from receipt, at the end of that day (UTC)', () => {
  it.each([
    ['2025-01-31T10:00:00Z', '2025-02-28T23:59:59.999Z', '31 January, non-leap year: the last day of February'],
    ['2024-01-31T10:00:00Z', '2024-02-29T23:59:59.999Z', '31 January, leap year: 29 February'],
    ['2025-01-30T00:00:00Z', '2025-02-28T23:59:59.999Z', '30 January 2025: 28 February'],
    ['2024-01-29T12:00:00Z', '2024-02-29T23:59:59.999Z', '29 January 2024: 29 February'],
    ['2024-02-29T08:00:00Z', '2024-03-29T23:59:59.999Z', '29 February 2024: 29 March'],
    ['2025-02-28T08:00:00Z', '2025-03-28T23:59:59.999Z', '28 February: 28 March (not the month end)'],
    ['2025-03-31T08:00:00Z', '2025-04-30T23:59:59.999Z', '31 March: 30 April'],
    ['2025-04-30T08:00:00Z', '2025-05-30T23:59:59.999Z', '30 April: 30 May'],
    ['2025-05-31T08:00:00Z', '2025-06-30T23:59:59.999Z', '31 May: 30 June'],
    ['2025-08-31T08:00:00Z', '2025-09-30T23:59:59.999Z', '31 August: 30 September'],
    ['2025-12-31T08:00:00Z', '2026-01-31T23:59:59.999Z', '31 December: 31 January of the next year'],
    ['2025-12-15T08:00:00Z', '2026-01-15T23:59:59.999Z', '15 December: 15 January'],
    ['2025-06-15T00:00:00.000Z', '2025-07-15T23:59:59.999Z', 'received at the first instant of a day'],
    ['2025-06-15T23:59:59.999Z', '2025-07-15T23:59:59.999Z', 'received at the last instant of a day'],
  ])('received %s → due %s (%s)', (received, expected) => {
    expect(due(received)).toBe(expected);
  });

  it('takes the date in UTC, whatever the offset it was given in', () => {
    // 1 Feb 00:30 in Berlin is 31 Jan 23:30 UTC.
    expect(due('2025-02-01T00:30:00+01:00')).toBe('2025-02-28T23:59:59.999Z');
  });

  it('counts calendar months, clamping to the month end', () => {
    expect(addCalendarMonths(at('2025-01-31T00:00:00Z'), 1).toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(addCalendarMonths(at('2025-11-30T00:00:00Z'), 3).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addCalendarMonths(at('2027-12-31T00:00:00Z'), 2).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('extensions: up to two further months from the original due date, recorded before it', () => {
  const received = at('2025-01-31T10:00:00Z'); // original due 28 Feb 2025

  it('extends by the month rule from the original due date', () => {
    expect(extendedDueAt(received, 1).toISOString()).toBe('2025-03-28T23:59:59.999Z');
    expect(extendedDueAt(received, 2).toISOString()).toBe('2025-04-28T23:59:59.999Z');
    expect(extendedDueAt(at('2025-03-31T10:00:00Z'), 2).toISOString()).toBe('2025-06-30T23:59:59.999Z');
  });

  it('allows 1 or 2 months before the original due date, up to its last instant', () => {
    expect(extensionRefusal(received, 0, 2, at('2025-02-10T00:00:00Z'))).toBeNull();
    expect(extensionRefusal(received, 1, 1, at('2025-02-28T23:59:59.999Z'))).toBeNull();
  });

  it('refuses more than two months in total, naming months', () => {
    expect(extensionRefusal(received, 0, 3, at('2025-02-10T00:00:00Z'))?.field).toBe('months');
    expect(extensionRefusal(received, 1, 2, at('2025-02-10T00:00:00Z'))?.field).toBe('months');
    expect(extensionRefusal(received, 2, 1, at('2025-02-10T00:00:00Z'))?.field).toBe('months');
    expect(extensionRefusal(received, 0, 0, at('2025-02-10T00:00:00Z'))?.field).toBe('months');
    expect(extensionRefusal(received, 0, 1.5, at('2025-02-10T00:00:00Z'))?.field).toBe('months');
  });

  it('refuses an extension once the original due date has passed, naming the request', () => {
    expect(extensionRefusal(received, 0, 1, at('2025-03-01T00:00:00Z'))).toEqual({ field: 'id', message: expect.stringContaining('original due date') });
  });
});

describe('a stopped clock', () => {
  const received = at('2025-06-01T09:00:00Z'); // due 1 July 23:59:59.999

  it('moves the due date by exactly the paused time', () => {
    const threeDays = 3 * 24 * 3600 * 1000 + 1234;
    expect(currentDueAt(received, 0, threeDays).getTime() - originalDueAt(received).getTime()).toBe(threeDays);
    expect(currentDueAt(received, 1, threeDays).getTime() - extendedDueAt(received, 1).getTime()).toBe(threeDays);
  });

  it('while paused, the deadline recedes: not overdue unless it already was when paused', () => {
    const dueAt = originalDueAt(received);
    const pausedBefore = { dueAt, status: 'PAUSED', pausedAt: at('2025-06-20T00:00:00Z') };
    expect(isOverdue(pausedBefore, at('2025-09-01T00:00:00Z'))).toBe(false);
    expect(effectiveDueAt(pausedBefore, at('2025-06-21T00:00:00Z')).getTime() - dueAt.getTime()).toBe(24 * 3600 * 1000);
    const pausedAfter = { dueAt, status: 'PAUSED', pausedAt: at('2025-07-05T00:00:00Z') };
    expect(isOverdue(pausedAfter, at('2025-07-06T00:00:00Z'))).toBe(true);
  });
});

describe('overdue and due soon', () => {
  const dueAt = at('2025-07-01T23:59:59.999Z');
  it('is overdue only after the last instant of the due day, and only while OPEN or PAUSED', () => {
    expect(isOverdue({ dueAt, status: 'OPEN', pausedAt: null }, at('2025-07-01T23:59:59.999Z'))).toBe(false);
    expect(isOverdue({ dueAt, status: 'OPEN', pausedAt: null }, at('2025-07-02T00:00:00Z'))).toBe(true);
    for (const status of ['COMPLETED', 'REFUSED', 'WITHDRAWN']) expect(isOverdue({ dueAt, status, pausedAt: null }, at('2025-08-01T00:00:00Z'))).toBe(false);
  });
  it('is due soon within seven days before the due date', () => {
    expect(isDueSoon({ dueAt, status: 'OPEN', pausedAt: null }, at('2025-06-24T23:59:59.999Z'))).toBe(true);
    expect(isDueSoon({ dueAt, status: 'OPEN', pausedAt: null }, at('2025-06-24T23:59:59.998Z'))).toBe(false);
    expect(isDueSoon({ dueAt, status: 'OPEN', pausedAt: null }, at('2025-07-02T00:00:00Z'))).toBe(false);
  });
});
