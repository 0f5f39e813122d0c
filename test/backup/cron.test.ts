/**
 * BACKUP_CRON's five-field parser (src/backup/cron.ts): the next run of everyday expressions, computed here from the
 * calendar by hand, and the startup errors for expressions that are wrong.
 */
import { backupCronFrom, parseCron } from '../../src/backup/cron';

/** A local date: cron runs in the host's local time. */
const at = (y: number, mo: number, d: number, h = 0, mi = 0): Date => new Date(y, mo - 1, d, h, mi);

describe('BACKUP_CRON', () => {
  it('is off when unset or empty', () => {
    expect(backupCronFrom(undefined)).toBeUndefined();
    expect(backupCronFrom('  ')).toBeUndefined();
  });

  it('runs "0 3 * * *" at 03:00 every day', () => {
    const c = parseCron('0 3 * * *');
    expect(c.nextRun(at(2026, 12, 3, 11, 50))).toEqual(at(2026, 12, 4, 3, 0));
    expect(c.nextRun(at(2026, 12, 4, 2, 59))).toEqual(at(2026, 12, 4, 3, 0));
    expect(c.nextRun(at(2026, 12, 4, 3, 0))).toEqual(at(2026, 12, 5, 3, 0)); // strictly after
    expect(c.nextRun(at(2026, 12, 31, 4, 0))).toEqual(at(2027, 1, 1, 3, 0));
  });

  it('handles steps, ranges, lists and days of the week', () => {
    expect(parseCron('*/15 * * * *').nextRun(at(2026, 1, 1, 10, 16))).toEqual(at(2026, 1, 1, 10, 30));
    // 2026-12-03 is a Thursday: the next weekday 02:30 after Friday night is Monday 7 December.
    expect(parseCron('30 2 * * 1-5').nextRun(at(2026, 12, 4, 23, 0))).toEqual(at(2026, 12, 7, 2, 30));
    expect(parseCron('0 4 * * 7').nextRun(at(2026, 12, 3))).toEqual(at(2026, 12, 6, 4, 0)); // 7 is Sunday
    expect(parseCron('0 0,12 1 * *').nextRun(at(2026, 12, 1, 0, 0))).toEqual(at(2026, 12, 1, 12, 0));
    expect(parseCron('0 0 29 2 *').nextRun(at(2026, 3, 1))).toEqual(at(2028, 2, 29, 0, 0)); // the next leap day
    // Both day fields restricted: either matches (the 13th, or a Friday).
    expect(parseCron('0 1 13 * 5').nextRun(at(2026, 12, 3))).toEqual(at(2026, 12, 4, 1, 0));
  });

  it.each([
    ['0 3 * *', /must have 5 fields/],
    ['60 3 * * *', /60 is outside the minute field's 0-59/],
    ['0 24 * * *', /hour/],
    ['0 3 * * mon', /"mon" is not a number in the day of week field/],
    ['*/0 * * * *', /step/],
    ['0 3 10-2 * *', /runs backwards/],
    ['0 0 31 2 *', /never matches/],
  ])('refuses "%s" with a clear message', (expression, message) => {
    expect(() => backupCronFrom(expression)).toThrow(/^BACKUP_CRON is not a valid cron expression: /);
    expect(() => backupCronFrom(expression)).toThrow(message);
  });
});
