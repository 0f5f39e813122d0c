/**
 * Data quality (accuracy, Art. 5(1)(d) GDPR): which active customers are due for their details to be confirmed,
 * and confirming them.
 * - `verificationDue`: the active customers of the stores the caller may read whose details were never confirmed
 *   or were last confirmed more than the chain's verification period ago (AuditSettings.verificationPeriodMonths,
 *   default 12), never confirmed first, then the longest unconfirmed, paginated. The list filters and orders by
 *   `dataVerifiedAt` and `status`, so the caller must read them wherever they see customers (FORBIDDEN otherwise).
 * - `confirmCustomerDetails`: stamps `dataVerifiedAt = now` and `dataVerifiedById` = the caller; needs `update` on
 *   Customer.dataVerifiedAt at the customer's home store; logged in the personal data change log.
 */
import { badInput } from '../../errors/errors';
import { recordChanges } from '../../hash-chain/change-log';
import { assertListable } from '../../policies/filter-guard';
import { assertMay } from '../../policies/input-guard';
import { accessibleSql, SqlParams } from '../../policies/sql-condition';
import { CustomerConnection } from '../../schema/connection';
import { Customer } from '../../schema/core/customer.entity';
import { ChangeAction, ChangeLogKind, CustomerStatus } from '../../schema/enums';
import { isUuid } from '../../schema/uuid';
import { auditSettingsFor } from '../../audit/chain-audit-settings';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { afterPosition, pageSize, RECORD_PAGE } from '../page-args';
import { encodeCursor } from '../page-cursor';
import { CUSTOMER_COLUMNS, findVisibleCustomer } from '../visible-rows';

/** A row's position in the list: when last confirmed (microseconds since the epoch; null: never), then its id. */
interface Position {
  verifiedUs: string | null;
  id: string;
}

const VERIFIED_US = '(extract(epoch FROM c.data_verified_at) * 1000000)::bigint';

function parsePosition(decoded: string): Position | null {
  const match = /^due:(-?\d{1,20}|):([0-9a-f-]{36})$/.exec(decoded);
  if (!match || !isUuid(match[2])) return null;
  return { verifiedUs: match[1] === '' ? null : match[1], id: match[2] };
}

export async function listVerificationDue(ctx: AuthenticatedContext, args: { storeId?: string | null; first?: number | null; after?: string | null }): Promise<CustomerConnection> {
  const { principal, ability } = ctx;
  if (args.storeId !== undefined && args.storeId !== null && !isUuid(args.storeId)) throw badInput('storeId', 'is not a store id');
  assertListable(ability, {
    list: 'verificationDue', subject: 'Customer', orderedBy: 'dataVerifiedAt',
    filters: { status: 'status', ...(args.storeId ? { storeId: 'homeStoreId' } : {}) },
  });
  const first = pageSize(args.first, RECORD_PAGE);
  const after = afterPosition(args.after, parsePosition);
  const { verificationPeriodMonths } = await auditSettingsFor(ctx.core.manager, principal.chainId);

  const params = new SqlParams();
  const qb = ctx.core.getRepository(Customer).createQueryBuilder('c')
    .where('c.chainId = :chainId', { chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'Customer', CUSTOMER_COLUMNS, params, 'dataVerifiedAt'))
    .andWhere('c.status = :active', { active: CustomerStatus.ACTIVE })
    .andWhere('(c.data_verified_at IS NULL OR c.data_verified_at < now() - make_interval(months => :months))', { months: verificationPeriodMonths });
  if (args.storeId) qb.andWhere('c.home_store_id = :storeId', { storeId: args.storeId });
  qb.setParameters({ ...qb.getParameters(), ...params.values });
  const totalCount = await qb.getCount();
  if (after) {
    if (after.verifiedUs === null) {
      qb.andWhere('((c.data_verified_at IS NULL AND c.id > :afterId) OR c.data_verified_at IS NOT NULL)', { afterId: after.id });
    } else {
      qb.andWhere(`(${VERIFIED_US} > :afterUs OR (${VERIFIED_US} = :afterUs AND c.id > :afterId))`, { afterUs: after.verifiedUs, afterId: after.id });
    }
  }
  const { entities, raw } = await qb.addSelect(`${VERIFIED_US}::text`, 'verified_us')
    .orderBy('c.data_verified_at', 'ASC', 'NULLS FIRST').addOrderBy('c.id', 'ASC').limit(first + 1).getRawAndEntities();
  const positions = new Map((raw as { c_id: string; verified_us: string | null }[]).map((r) => [r.c_id, r.verified_us]));
  const nodes = entities.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(`due:${positions.get(node.id) ?? ''}:${node.id}`), node }));
  return {
    totalCount,
    edges,
    pageInfo: {
      hasNextPage: entities.length > first, hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

export async function confirmCustomerDetails(ctx: AuthenticatedContext, customerId: string): Promise<Customer> {
  const { principal, ability } = ctx;
  return ctx.core.transaction(async (tx) => {
    const customer = await findVisibleCustomer(tx, principal, ability, customerId, 'update');
    assertMay(ability, 'update', 'Customer', { chainId: customer.chainId, storeId: customer.homeStoreId, id: customer.id }, ['dataVerifiedAt']);
    if (customer.status !== CustomerStatus.ACTIVE) throw badInput('customerId', 'is not an active customer: only an active customer’s details are confirmed');
    const repo = tx.getRepository(Customer);
    await tx.query('UPDATE customer SET data_verified_at = now(), data_verified_by_id = $3, updated_at = now() WHERE id = $1 AND chain_id = $2', [customer.id, principal.chainId, principal.userId]);
    const updated = await repo.findOneByOrFail({ id: customer.id });
    await recordChanges(tx, ChangeLogKind.PERSONAL, principal, ctx.request, [{
      action: ChangeAction.UPDATE, subject: 'Customer', entity: Customer, recordId: customer.id, customerId: customer.id,
      storeId: updated.homeStoreId, before: customer, after: updated,
    }]);
    return updated;
  });
}
