/**
 * The rules of the breach register, from Art. 33 and 34 GDPR (docs/registers.md interprets each):
 * - the deadline to notify the supervisory authority is discoveredAt + 72 hours (Art. 33(1): "not later than 72 hours
 *   after having become aware of it");
 * - a breach is overdue when it is not notified, not decided "not notifiable", and now is past the deadline;
 * - notified after the deadline: the reasons for the delay are required (Art. 33(1), last sentence);
 * - "not notifiable" needs a reason and is only open to a breach UNLIKELY to result in a risk (Art. 33(1)); it
 *   excludes a notification (one or the other);
 * - a notification (to the authority or the customers) is not before the discovery and not in the future; the
 *   breach did not happen after it was discovered;
 * - the customers of a HIGH_RISK breach must be told (Art. 34(1)) unless an Art. 34(3) exception is recorded:
 *   `customersToBeTold` flags one where neither is recorded; telling them and an exception exclude each other.
 * `breachProblem` returns the first rule a breach's state breaks, naming the input field to blame.
 */
import { BreachRisk } from '../../schema/enums';
import { Breach } from '../../schema/registers/breach.entity';

export const NOTIFY_WITHIN_MS = 72 * 3600_000;

export function breachDeadline(breach: Pick<Breach, 'discoveredAt'>): Date {
  return new Date(breach.discoveredAt.getTime() + NOTIFY_WITHIN_MS);
}

export function isBreachOverdue(breach: Pick<Breach, 'discoveredAt' | 'notifiedAuthorityAt' | 'notNotifiableReason'>, now: Date): boolean {
  return breach.notifiedAuthorityAt === null && breach.notNotifiableReason === null && now.getTime() > breachDeadline(breach).getTime();
}

/** The same as isBreachOverdue, as SQL over the breach `b` (for the `overdue` filter and the order). */
export const OVERDUE_SQL = `(b.notified_authority_at IS NULL AND b.not_notifiable_reason IS NULL AND now() > b.discovered_at + interval '72 hours')`;

export function notifiedLate(breach: Pick<Breach, 'discoveredAt' | 'notifiedAuthorityAt'>): boolean {
  return breach.notifiedAuthorityAt !== null && breach.notifiedAuthorityAt.getTime() > breachDeadline(breach).getTime();
}

/** HIGH_RISK, and neither telling the customers nor an Art. 34(3) exception is recorded. */
export function customersToBeTold(breach: Pick<Breach, 'risk' | 'customersNotifiedAt' | 'customersNotNotifiedReason'>): boolean {
  return breach.risk === BreachRisk.HIGH_RISK && breach.customersNotifiedAt === null && breach.customersNotNotifiedReason === null;
}

type BreachState = Pick<Breach, 'discoveredAt' | 'occurredAt' | 'risk' | 'notifiedAuthorityAt' | 'notNotifiableReason' | 'delayReason' | 'customersNotifiedAt' | 'customersNotNotifiedReason'>;

export interface BreachProblem {
  /** The fields involved, most specific first: the one the input set is blamed. */
  fields: (keyof BreachState)[];
  message: string;
}

export function breachProblem(b: BreachState): BreachProblem | null {
  if (b.occurredAt && b.occurredAt.getTime() > b.discoveredAt.getTime()) {
    return { fields: ['occurredAt', 'discoveredAt'], message: 'the breach cannot have happened after it was discovered' };
  }
  if (b.notifiedAuthorityAt && b.notifiedAuthorityAt.getTime() < b.discoveredAt.getTime()) {
    return { fields: ['notifiedAuthorityAt', 'discoveredAt'], message: 'the authority cannot have been notified before the breach was discovered' };
  }
  if (b.customersNotifiedAt && b.customersNotifiedAt.getTime() < b.discoveredAt.getTime()) {
    return { fields: ['customersNotifiedAt', 'discoveredAt'], message: 'the customers cannot have been told before the breach was discovered' };
  }
  if (b.notNotifiableReason !== null && b.notifiedAuthorityAt !== null) {
    return { fields: ['notNotifiableReason', 'notifiedAuthorityAt'], message: 'a breach notified to the authority cannot also be decided not notifiable' };
  }
  if (b.notNotifiableReason !== null && b.risk !== BreachRisk.UNLIKELY) {
    return { fields: ['notNotifiableReason', 'risk'], message: 'only a breach UNLIKELY to result in a risk may be decided not notifiable (Art. 33(1)); this one must be notified' };
  }
  if (b.notifiedAuthorityAt !== null && b.delayReason === null && b.notifiedAuthorityAt.getTime() > breachDeadline(b).getTime()) {
    return { fields: ['delayReason'], message: 'is required: the authority was notified more than 72 hours after the breach was discovered (Art. 33(1))' };
  }
  if (b.customersNotifiedAt !== null && b.customersNotNotifiedReason !== null) {
    return { fields: ['customersNotNotifiedReason', 'customersNotifiedAt'], message: 'customers who were told need no reason for not telling them' };
  }
  return null;
}
