/**
 * The retention rule, from its words (docs/retention.md#the-rule; DESIGN.md "GDPR and health-record rules" 7): adults
 * until 10 years after the last clinical contact; children (under 18 at the last contact) until the later of their
 * 25th birthday and 10 years after the last contact. Records are kept through that day and due from the next.
 * Dates here are written from the rule, not computed with the code under test.
 */
import { addYears, ageOn, retentionDecision, retentionEnded } from '../../../src/services/retention/retention-rule';

const DEFAULTS = { adultYears: 10, childUntilAge: 25, childUnderAge: 18 };
const TODAY = '2026-06-15';
const ended = (dob: string, lastContact: string, policy = DEFAULTS) => retentionEnded(retentionDecision(policy, dob, lastContact), TODAY);

describe('the retention rule', () => {
  it('an adult whose last contact was 10 years and a day ago is due; 10 years ago today, or 10 years minus a day, is not', () => {
    // 10 years and a day before 2026-06-15 is 2016-06-14: kept until 2026-06-14, due on the 15th.
    expect(retentionDecision(DEFAULTS, '1970-03-01', '2016-06-14')).toEqual({ rule: 'ADULT', ageAtContact: 46, keptUntil: '2026-06-14' });
    expect(ended('1970-03-01', '2016-06-14')).toBe(true);
    expect(ended('1970-03-01', '2016-06-15')).toBe(false); // kept through the tenth anniversary itself
    expect(ended('1970-03-01', '2016-06-16')).toBe(false); // 10 years minus a day
  });

  it('a child seen at 12 is kept until their 25th birthday when that is after contact + 10 years', () => {
    // Born 2003-09-10, seen 2016-01-20 aged 12: contact + 10y = 2026-01-20; the 25th birthday 2028-09-10 is later.
    const decision = retentionDecision(DEFAULTS, '2003-09-10', '2016-01-20');
    expect(decision).toEqual({ rule: 'CHILD_UNTIL_AGE', ageAtContact: 12, keptUntil: '2028-09-10' });
    expect(retentionEnded(decision, TODAY)).toBe(false); // 10 years after the contact have passed, the 25th birthday has not
    expect(retentionEnded(decision, '2028-09-10')).toBe(false);
    expect(retentionEnded(decision, '2028-09-11')).toBe(true);
  });

  it('a child whose contact + 10 years is later than their 25th birthday is kept until contact + 10 years', () => {
    // Born 1999-02-01, seen 2016-05-01 aged 17: 25th birthday 2024-02-01, contact + 10y 2026-05-01.
    const decision = retentionDecision(DEFAULTS, '1999-02-01', '2016-05-01');
    expect(decision).toEqual({ rule: 'CHILD_AFTER_CONTACT', ageAtContact: 17, keptUntil: '2026-05-01' });
    expect(retentionEnded(decision, TODAY)).toBe(true);
    // The same person seen on 2016-07-01 is not yet due (kept until 2026-07-01).
    expect(ended('1999-02-01', '2016-07-01')).toBe(false);
  });

  it('18 on the day of the last contact is an adult; 18 the day after is a child', () => {
    expect(retentionDecision(DEFAULTS, '1998-06-14', '2016-06-14').rule).toBe('ADULT');
    // Born 1998-06-15, seen 2016-06-14 aged 17: a child; the 25th birthday (2023-06-15) is earlier than contact + 10y.
    expect(retentionDecision(DEFAULTS, '1998-06-15', '2016-06-14')).toEqual({ rule: 'CHILD_AFTER_CONTACT', ageAtContact: 17, keptUntil: '2026-06-14' });
  });

  it('29 February: ten years on is 28 February; a leap-day birthday is reached on 28 February', () => {
    expect(addYears('2016-02-29', 10)).toBe('2026-02-28');
    expect(addYears('2016-02-29', 8)).toBe('2024-02-29');
    expect(ageOn('2000-02-29', '2018-02-28')).toBe(18);
    expect(ageOn('2000-02-29', '2018-02-27')).toBe(17);
  });

  it('follows the chain’s policy', () => {
    const shorter = { adultYears: 8, childUntilAge: 21, childUnderAge: 16 };
    expect(retentionDecision(shorter, '1980-01-01', '2018-06-14')).toEqual({ rule: 'ADULT', ageAtContact: 38, keptUntil: '2026-06-14' });
    expect(ended('1980-01-01', '2018-06-14', shorter)).toBe(true);
    // Aged 16 at the contact: an adult under this policy (a child only under 16).
    expect(retentionDecision(shorter, '2002-01-01', '2018-06-14').rule).toBe('ADULT');
    // Aged 15: a child; the 21st birthday (2024-01-01) is earlier than contact + 8 years (2026-06-14).
    expect(retentionDecision(shorter, '2003-01-01', '2018-06-14')).toEqual({ rule: 'CHILD_AFTER_CONTACT', ageAtContact: 15, keptUntil: '2026-06-14' });
    // Aged 10: the 21st birthday (2029-03-01) is later than 2026-06-14.
    expect(retentionDecision(shorter, '2008-03-01', '2018-06-14')).toEqual({ rule: 'CHILD_UNTIL_AGE', ageAtContact: 10, keptUntil: '2029-03-01' });
  });
});
