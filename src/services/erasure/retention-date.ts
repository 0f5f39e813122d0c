/**
 * Until when a customer's health records are kept under the default retention rule (DESIGN.md, rule 7):
 * adults 10 years after the last clinical contact; a child (under 18 at the last contact) until the later of
 * their 25th birthday and 10 years after the last contact. Dates are UTC calendar dates (`YYYY-MM-DD`); a
 * 29 February anniversary in a common year falls on 28 February. Pure. The chain's own policy, where it
 * differs, is the retention run's (`retentionPolicy`); the erasure answer states this default.
 */

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whole years between `dateOfBirth` and `on`. */
function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The last day the records are kept (disposal is due after it). */
export function defaultRetentionUntil(lastContact: string, dateOfBirth: string | null): string {
  const tenYears = addYears(lastContact, 10);
  if (!dateOfBirth || ageOn(dateOfBirth, lastContact) >= 18) return tenYears;
  const twentyFifth = addYears(dateOfBirth, 25);
  return twentyFifth > tenYears ? twentyFifth : tenYears;
}
