/**
 * How many customers a breach affects, counted from the clinical access log (clinical database): the distinct
 * customers whose clinical records one member of staff read (outcome GRANTED) from `from` to `to`, inclusive. The
 * access log records clinical reads only (docs/audit-trail.md): reads of personal data alone are not logged, so
 * they are not counted (docs/registers.md). Counting spans the chain, so it needs `read` on Breach and on
 * AccessLogEntry under chain-scoped grants, and the access log's userId, occurredAt and customerId readable.
 */
import { badInput } from '../../errors/errors';
import { assertMay } from '../../policies/input-guard';
import { assertListable } from '../../policies/filter-guard';
import { AccessOutcome } from '../../schema/enums';
import { isUuid } from '../../schema/uuid';
import { AuthenticatedContext } from '../../context/authenticated-context';

/** At most this long a range (a year and a day). */
const MAX_RANGE_MS = 366 * 86400_000;

export interface AccessLogRange {
  userId: string;
  from: Date;
  to: Date;
}

/** The range checked (BAD_USER_INPUT naming `${path}.userId` …); the user must be of the caller's chain. */
export async function checkedRange(ctx: AuthenticatedContext, range: AccessLogRange, path: string): Promise<AccessLogRange> {
  const prefix = path ? `${path}.` : '';
  if (!isUuid(range.userId)) throw badInput(`${prefix}userId`, 'is not a user id');
  for (const name of ['from', 'to'] as const) {
    const value = range[name];
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${prefix}${name}`, 'must be a date and time');
  }
  if (range.to.getTime() < range.from.getTime()) throw badInput(`${prefix}to`, 'must not be before from');
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_MS) throw badInput(`${prefix}to`, 'must be at most 366 days after from');
  const [user] = (await ctx.core.query('SELECT id FROM staff_user WHERE id = $1 AND chain_id = $2', [range.userId, ctx.principal.chainId])) as { id: string }[];
  if (!user) throw badInput(`${prefix}userId`, 'is not a member of staff of this chain');
  return range;
}

export async function countAffectedCustomers(ctx: AuthenticatedContext, range: AccessLogRange, path = ''): Promise<number> {
  const { principal, ability } = ctx;
  assertMay(ability, 'read', 'Breach', { chainId: principal.chainId });
  assertMay(ability, 'read', 'AccessLogEntry', { chainId: principal.chainId }, ['userId', 'occurredAt', 'customerId']);
  assertListable(ability, { list: 'breachAffectedCustomers', subject: 'AccessLogEntry', filters: { userId: 'userId', from: 'occurredAt', to: 'occurredAt' } });
  const checked = await checkedRange(ctx, range, path);
  const [{ n }] = (await ctx.clinical.query(
    `SELECT count(DISTINCT customer_id)::int AS n FROM clinical_access_log_entry
      WHERE chain_id = $1 AND user_id = $2 AND outcome = $3 AND occurred_at >= $4 AND occurred_at <= $5`,
    [principal.chainId, checked.userId, AccessOutcome.GRANTED, checked.from, checked.to],
  )) as { n: number }[];
  return n;
}
