/**
 * BACKUP_CRON's expression: a minimal five-field cron parser (no cron library is installed). Fields: minute (0-59),
 * hour (0-23), day of month (1-31), month (1-12), day of week (0-7, 0 and 7 Sunday); each `*`, a number, a range
 * `a-b`, a step `*\/n` or `a-b/n`, or a comma list of these. As in cron, when both day fields are restricted a day
 * matching either runs. Times are the host's local time. nextRun() gives the next matching minute.
 */

export interface CronSchedule {
  expression: string;
  /** The first whole minute strictly after `after` that matches. */
  nextRun(after: Date): Date;
  matches(at: Date): boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  const int = (s: string): number => {
    if (!/^\d+$/.test(s)) throw new Error(`"${s}" is not a number in the ${field.name} field`);
    const n = Number(s);
    if (n < field.min || n > field.max) throw new Error(`${n} is outside the ${field.name} field's ${field.min}-${field.max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw new Error(`"${part}" is not a valid ${field.name} entry`);
    const step = stepText === undefined ? 1 : int(stepText);
    if (step < 1) throw new Error(`the step in "${part}" must be at least 1`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [field.min, field.max];
    else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined) throw new Error(`"${range}" is not a valid range in the ${field.name} field`);
      [from, to] = [int(a), int(b)];
      if (from > to) throw new Error(`the range "${range}" in the ${field.name} field runs backwards`);
    } else {
      from = int(range);
      to = stepText === undefined ? from : field.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Parses a five-field expression; throws an Error naming what is wrong. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`"${expression}" must have 5 fields (minute hour day-of-month month day-of-week), it has ${parts.length}`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i]));
  if (weekdays.has(7)) weekdays.add(0);
  const domRestricted = parts[2] !== '*';
  const dowRestricted = parts[4] !== '*';
  const matches = (at: Date): boolean => {
    if (!minutes.has(at.getMinutes()) || !hours.has(at.getHours()) || !months.has(at.getMonth() + 1)) return false;
    const dom = days.has(at.getDate());
    const dow = weekdays.has(at.getDay());
    return domRestricted && dowRestricted ? dom || dow : dom && dow;
  };
  return {
    expression,
    matches,
    nextRun(after: Date): Date {
      const t = new Date(after.getTime());
      t.setSeconds(0, 0);
      t.setMinutes(t.getMinutes() + 1);
      // At most ~5 years of minutes, day by day where the day cannot match (so 31 February is found impossible quickly).
      for (let i = 0; i < 5 * 366 * 24 * 60; i++) {
        if (!months.has(t.getMonth() + 1) || !(domRestricted && dowRestricted ? days.has(t.getDate()) || weekdays.has(t.getDay()) : days.has(t.getDate()) && weekdays.has(t.getDay()))) {
          t.setHours(0, 0, 0, 0);
          t.setDate(t.getDate() + 1);
          continue;
        }
        if (matches(t)) return t;
        t.setMinutes(t.getMinutes() + 1);
      }
      throw new Error(`"${expression}" never matches a date`);
    },
  };
}

/** BACKUP_CRON: undefined when unset or empty (the schedule is off by default); throws a clear error when invalid. */
export function backupCronFrom(raw: string | undefined): CronSchedule | undefined {
  if (!raw || !raw.trim()) return undefined;
  let schedule: CronSchedule;
  try {
    schedule = parseCron(raw);
    schedule.nextRun(new Date());
  } catch (error) {
    throw new Error(`BACKUP_CRON is not a valid cron expression: ${(error as Error).message} (e.g. "0 3 * * *" for 03:00 every day)`, { cause: error });
  }
  return schedule;
}
