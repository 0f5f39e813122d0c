/**
 * Break the glass: a member of staff without clinical visibility for a customer asks for emergency access
 * with a written reason and is granted read access to that customer's health records for a limited time
 * (the chain's audit setting `emergencyAccessMinutes`, default 60). The grant applies from the caller's next request:
 * it bumps the chain's authz version, and cached abilities also expire when it does (policies/ability.ts).
 * Every read it grants is logged as emergency access; the chain's reviewers list the grants (with how many
 * log entries each produced) and acknowledge them.
 */
import { EntityManager } from 'typeorm';
import { badInput, notFound } from '../../errors/errors';
import { AppAbility, Principal } from '../../policies/ability';
import { seesClinicalRecords } from '../../policies/emergency-rules';
import { assertMay } from '../../policies/input-guard';
import { accessibleSql, SqlParams } from '../../policies/sql-condition';
import { bumpAuthzVersion } from '../roles/role-change-log';
import { EmergencyAccessConnection } from '../../schema/audit/emergency-access.types';
import { EmergencyAccess } from '../../schema/core/emergency-access.entity';
import { RequestEmergencyAccessInput } from '../../schema/inputs/emergency-access.inputs';
import { ReviewItemKind } from '../../schema/enums';
import { pageOf } from '../page-cursor';
import { isUuid } from '../../schema/uuid';
import { acknowledge, cleanNote } from './acknowledgements';
import { auditSettingsFor } from '../../audit/chain-audit-settings';
import { unsafeTextProblem } from '../../audit/audit-text';
import { assertListable, givenFilters } from '../../policies/filter-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { afterPosition, pageSize, RECORD_PAGE } from '../page-args';
import { findVisible } from '../visible-rows';

export const MIN_REASON_LENGTH = 10;
export const MAX_REASON_LENGTH = 1000;

/** The columns the EmergencyAccess read rules' conditions refer to. */
const COLUMNS = { chainId: 'ea.chain_id', storeId: 'ea.store_id', id: 'ea.id', userId: 'ea.user_id' };

export async function requestEmergencyAccess(ctx: AuthenticatedContext, input: RequestEmergencyAccessInput): Promise<EmergencyAccess> {
  const { principal, ability } = ctx;
  const reason = input.reason.trim();
  if (reason.length < MIN_REASON_LENGTH) throw badInput('input.reason', `must be at least ${MIN_REASON_LENGTH} characters: say why`);
  if (reason.length > MAX_REASON_LENGTH) throw badInput('input.reason', `must be at most ${MAX_REASON_LENGTH} characters`);
  const unsafe = unsafeTextProblem(reason);
  if (unsafe) throw badInput('input.reason', unsafe);
  if (!isUuid(input.customerId)) throw badInput('input.customerId', 'is not an id');
  return ctx.core.transaction(async (tx) => {
    const duration = (await auditSettingsFor(tx, principal.chainId)).emergencyAccessMinutes;
    const [customer] = (await tx.query(
      'SELECT id, chain_id AS "chainId", home_store_id AS "homeStoreId" FROM customer WHERE id = $1 AND chain_id = $2',
      [input.customerId, principal.chainId],
    )) as { id: string; chainId: string; homeStoreId: string }[];
    if (!customer) throw notFound('Customer');
    if (seesClinicalRecords(ability, customer)) {
      throw badInput('input.customerId', 'you can already read this customer’s health records: emergency access is not needed');
    }
    // One grant in force per user and customer; the lock serialises concurrent requests of one user.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`emergency_access:${principal.userId}`]);
    const [current] = (await tx.query(
      'SELECT expires_at AS "expiresAt" FROM emergency_access WHERE user_id = $1 AND customer_id = $2 AND expires_at > now() ORDER BY expires_at DESC LIMIT 1',
      [principal.userId, customer.id],
    )) as { expiresAt: Date }[];
    if (current) throw badInput('input.customerId', `emergency access to this customer is already in force until ${current.expiresAt.toISOString()}`);
    const repo = tx.getRepository(EmergencyAccess);
    const [{ now }] = (await tx.query('SELECT now() AS now')) as { now: Date }[];
    const created = repo.create({
      chainId: principal.chainId,
      userId: principal.userId,
      customerId: customer.id,
      storeId: customer.homeStoreId,
      reason,
      grantedAt: now,
      expiresAt: new Date(now.getTime() + duration * 60_000),
      sessionId: principal.sessionId,
      requestId: ctx.request.requestId,
      clientAddress: ctx.request.clientAddress,
    });
    await repo.insert(created);
    await bumpAuthzVersion(tx, principal.chainId);
    return repo.findOneByOrFail({ id: created.id });
  });
}

export interface EmergencyAccessFilter {
  /** true: not yet acknowledged (the reviewers' queue); false: acknowledged; absent: both. */
  pending?: boolean | null;
  userId?: string | null;
  customerId?: string | null;
  first?: number | null;
  after?: string | null;
}

/** Emergency accesses the caller may read, newest first. */
export async function listEmergencyAccesses(ctx: AuthenticatedContext, filter: EmergencyAccessFilter): Promise<EmergencyAccessConnection> {
  const { principal, ability } = ctx;
  for (const key of ['userId', 'customerId'] as const) {
    const value = filter[key];
    if (value && !isUuid(value)) throw badInput(key, 'is not an id');
  }
  assertListable(ability, {
    list: 'emergencyAccesses', subject: 'EmergencyAccess', orderedBy: 'grantedAt',
    filters: givenFilters({ ...filter }, { pending: 'acknowledged', userId: 'userId', customerId: 'customerId' }),
  });
  const first = pageSize(filter.first, RECORD_PAGE);
  const after = afterPosition(filter.after, (decoded) => {
    const [grantedAt, id] = decoded.split('|');
    return grantedAt && id && isUuid(id) && !Number.isNaN(Date.parse(grantedAt)) ? { grantedAt, id } : null;
  });
  const params = new SqlParams();
  const qb = ctx.core.getRepository(EmergencyAccess).createQueryBuilder('ea')
    .where('ea.chain_id = :chainId', { chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'EmergencyAccess', COLUMNS, params));
  if (filter.userId) qb.andWhere('ea.user_id = :userId', { userId: filter.userId });
  if (filter.customerId) qb.andWhere('ea.customer_id = :customerId', { customerId: filter.customerId });
  if (typeof filter.pending === 'boolean') {
    qb.andWhere(`${filter.pending ? 'NOT ' : ''}EXISTS (SELECT 1 FROM review_acknowledgement a
      WHERE a.item_kind = :ackKind AND a.item_id = ea.id::text AND a.chain_id = ea.chain_id)`, { ackKind: ReviewItemKind.EMERGENCY_ACCESS });
  }
  qb.setParameters({ ...qb.getParameters(), ...params.values });
  const totalCount = await qb.getCount();
  if (after) qb.andWhere('(ea.granted_at, ea.id) < (:afterAt, :afterId)', { afterAt: after.grantedAt, afterId: after.id });
  const rows = await qb.orderBy('ea.granted_at', 'DESC').addOrderBy('ea.id', 'DESC').limit(first + 1).getMany();
  // The cursor carries the sort key (time and id), encrypted like every cursor.
  const keyed = rows.map((row) => ({ row, id: `${row.grantedAt.toISOString()}|${row.id}` }));
  const page = pageOf(keyed, first, after !== null);
  return { totalCount, pageInfo: page.pageInfo, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: edge.node.row })) };
}

/** An emergency access as the caller may read it (NOT_FOUND otherwise). */
function findVisibleAccess(tx: EntityManager, principal: Principal, ability: AppAbility, id: string): Promise<EmergencyAccess> {
  return findVisible(tx, { entity: EmergencyAccess, subjectName: 'EmergencyAccess', alias: 'ea', columns: COLUMNS }, principal, ability, id);
}

/**
 * A reviewer acknowledges an emergency access, with a note (once; never their own: another reviewer must),
 * after it has ended, so that the review covers all its uses. Needs `update EmergencyAccess` at the
 * customer's home store.
 */
export async function acknowledgeEmergencyAccess(
  ctx: AuthenticatedContext,
  id: string | null | undefined,
  note: string | null | undefined,
): Promise<EmergencyAccess> {
  const { principal, ability } = ctx;
  if (!id) throw badInput('id', 'is required');
  cleanNote(note);
  return ctx.core.transaction(async (tx) => {
    const access = await findVisibleAccess(tx, principal, ability, id);
    assertMay(ability, 'update', 'EmergencyAccess', { chainId: access.chainId, storeId: access.storeId, id: access.id });
    // The review covers every use: a grant still in force may be used again after it was looked at.
    const [{ now }] = (await tx.query('SELECT now() AS now')) as { now: Date }[];
    if (access.expiresAt > now) throw badInput('id', `is still in force until ${access.expiresAt.toISOString()}; acknowledge it once it has ended`);
    const acknowledgement = await acknowledge(tx, principal, ReviewItemKind.EMERGENCY_ACCESS, access.id, note, { aboutUserId: access.userId });
    ctx.loaders.emergencyAccessAcknowledgements.prime(access.id, acknowledgement);
    return access;
  });
}
