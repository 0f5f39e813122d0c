/**
 * The retention rule, pure (docs/retention.md#the-rule): given a chain's policy, a customer's date of birth and the
 * date of their last clinical contact, the last day their health records are kept and which rule decided it.
 *
 * - Dates are calendar dates (YYYY-MM-DD); an instant counts on its UTC date.
 * - "N years after" a date is the same day N years later; 29 February becomes 28 February in a year without it.
 * - A child is someone younger than `childUnderAge` (full years) on the day of their last clinical contact.
 * - Adults: kept until `adultYears` after the last contact. Children: until the later of their `childUntilAge`th
 *   birthday and `adultYears` after the last contact.
 * - Records are kept through that last day; retention has ended from the day after (`retentionEnded`).
 */
import { RetentionPolicyValues } from '../../schema/core/retention-policy.entity';

export type RetentionRule = 'ADULT' | 'CHILD_UNTIL_AGE' | 'CHILD_AFTER_CONTACT';

export interface RetentionDecision {
  rule: RetentionRule;
  /** Full years of age on the day of the last clinical contact. */
  ageAtContact: number;
  /** The last day the records are kept (YYYY-MM-DD). */
  keptUntil: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The UTC calendar date of an instant. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The same day `years` later; where that month has no such day (29 February), its last day. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = parts(date);
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return iso(y + years, m, Math.min(d, lastDay));
}

/** Full years from `birth` to `on` (a birthday on 29 February is reached on 28 February in other years). */
export function ageOn(birth: string, on: string): number {
  const [by] = parts(birth);
  const [oy] = parts(on);
  let age = oy - by;
  if (addYears(birth, age) > on) age -= 1;
  return age;
}

export function retentionDecision(policy: RetentionPolicyValues, dateOfBirth: string, lastContact: string): RetentionDecision {
  const ageAtContact = ageOn(dateOfBirth, lastContact);
  const afterContact = addYears(lastContact, policy.adultYears);
  if (ageAtContact >= policy.childUnderAge) return { rule: 'ADULT', ageAtContact, keptUntil: afterContact };
  const birthday = addYears(dateOfBirth, policy.childUntilAge);
  return birthday > afterContact
    ? { rule: 'CHILD_UNTIL_AGE', ageAtContact, keptUntil: birthday }
    : { rule: 'CHILD_AFTER_CONTACT', ageAtContact, keptUntil: afterContact };
}

/** Whether retention has ended by `today` (YYYY-MM-DD): the last day kept is behind us. */
export function retentionEnded(decision: RetentionDecision, today: string): boolean {
  return decision.keptUntil < today;
}

/** The rule in words, for the report and the disposal's recorded reason. */
export function describeRule(policy: RetentionPolicyValues, decision: RetentionDecision): string {
  switch (decision.rule) {
    case 'ADULT': return `adult at the last contact: ${policy.adultYears} years after it`;
    case 'CHILD_UNTIL_AGE': return `child (${decision.ageAtContact}) at the last contact: until the ${policy.childUntilAge}th birthday, later than ${policy.adultYears} years after the contact`;
    case 'CHILD_AFTER_CONTACT': return `child (${decision.ageAtContact}) at the last contact: ${policy.adultYears} years after it, later than the ${policy.childUntilAge}th birthday`;
  }
}
