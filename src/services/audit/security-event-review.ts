/**
 * The review side of security events, for those allowed to read them (the DPO in the demo): the
 * chain's events newest first, filtered by acknowledged or not and by user, paginated; and
 * acknowledging one with a note (`update` on SecurityEvent; not an event about oneself; once only).
 * Events are chain-wide rows: another chain's event, or one outside the caller's read rules, is NOT_FOUND.
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../../errors/errors';
import { AppAbility, Principal } from '../../policies/ability';
import { assertMay } from '../../policies/input-guard';
import { accessibleSql, SqlParams } from '../../policies/sql-condition';
import { SecurityEventAcknowledgement, SecurityEventConnection } from '../../schema/audit/security-event.types';
import { ReviewAcknowledgement } from '../../schema/core/review-acknowledgement.entity';
import { SecurityEvent } from '../../schema/core/security-event.entity';
import { ReviewItemKind } from '../../schema/enums';
import { pageOf } from '../page-cursor';
import { isUuid } from '../../schema/uuid';
import { acknowledge, cleanNote } from './acknowledgements';
import { assertListable, givenFilters } from '../../policies/filter-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { afterPosition, LOG_PAGE, pageSize, serialId } from '../page-args';
import { findVisible } from '../visible-rows';

export interface SecurityEventFilter {
  acknowledged?: boolean | null;
  userId?: string | null;
  first?: number | null;
  after?: string | null;
}

const COLUMNS = { chainId: 'e.chain_id', storeId: 'NULL::uuid', id: 'e.id' };
const ACKNOWLEDGED_SQL = `EXISTS (SELECT 1 FROM review_acknowledgement a WHERE a.item_kind = '${ReviewItemKind.SECURITY_EVENT}' AND a.item_id = e.id::text)`;

export async function listSecurityEvents(ctx: AuthenticatedContext, filter: SecurityEventFilter): Promise<SecurityEventConnection> {
  const { principal, ability } = ctx;
  if (filter.userId && !isUuid(filter.userId)) throw badInput('userId', 'is not an id');
  assertListable(ability, {
    list: 'securityEvents', subject: 'SecurityEvent', orderedBy: 'id',
    filters: givenFilters({ ...filter }, { acknowledged: 'acknowledged', userId: 'userId' }),
  });
  const first = pageSize(filter.first, LOG_PAGE);
  const afterId = afterPosition(filter.after, serialId);

  const params = new SqlParams();
  const qb = ctx.core.getRepository(SecurityEvent).createQueryBuilder('e')
    .where('e.chainId = :chainId', { chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'SecurityEvent', COLUMNS, params), params.values);
  if (filter.userId) qb.andWhere('e.userId = :userId', { userId: filter.userId });
  if (filter.acknowledged === true) qb.andWhere(ACKNOWLEDGED_SQL);
  if (filter.acknowledged === false) qb.andWhere(`NOT ${ACKNOWLEDGED_SQL}`);
  const totalCount = await qb.getCount();
  if (afterId) qb.andWhere('e.id < :afterId', { afterId });
  const rows = await qb.orderBy('e.id', 'DESC').limit(first + 1).getMany();
  return { totalCount, ...pageOf(rows, first, afterId !== null) };
}

/** The event as the caller may see it (NOT_FOUND otherwise). */
function findVisibleEvent(tx: EntityManager, principal: Principal, ability: AppAbility, id: string): Promise<SecurityEvent> {
  const isEventId = (value: string) => /^\d{1,18}$/.test(value);
  return findVisible(tx, { entity: SecurityEvent, subjectName: 'SecurityEvent', alias: 'e', columns: COLUMNS, isId: isEventId }, principal, ability, id);
}

export async function acknowledgeSecurityEvent(
  ctx: AuthenticatedContext,
  id: string | null | undefined,
  note: string | null | undefined,
): Promise<SecurityEvent> {
  const { principal, ability } = ctx;
  if (!id) throw badInput('id', 'is required');
  cleanNote(note);
  return ctx.core.transaction(async (tx) => {
    const event = await findVisibleEvent(tx, principal, ability, id);
    assertMay(ability, 'update', 'SecurityEvent', { chainId: event.chainId, id: event.id });
    const acknowledgement = await acknowledge(tx, principal, ReviewItemKind.SECURITY_EVENT, event.id, note, { aboutUserId: event.userId });
    ctx.loaders.securityEventAcknowledgements.prime(event.id, acknowledgement);
    return event;
  });
}

/** An acknowledgement as the API shows it. */
export function acknowledgementView(row: ReviewAcknowledgement): SecurityEventAcknowledgement {
  return Object.assign(new SecurityEventAcknowledgement(), { byId: row.acknowledgedById, at: row.acknowledgedAt, note: row.note, chainId: row.chainId });
}
