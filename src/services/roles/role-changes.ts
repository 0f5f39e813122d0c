/**
 * The history of changes to roles and assignments (`roleChanges`), newest first, optionally of one role.
 */
import { badInput } from '../../errors/errors';
import { assertListable, givenFilters } from '../../policies/filter-guard';
import { accessibleSql, SqlParams } from '../../policies/sql-condition';
import { RoleChange } from '../../schema/core/role-change.entity';
import { isUuid } from '../../schema/uuid';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { HISTORY_PAGE, pageSize } from '../page-args';

export function listRoleChanges(ctx: AuthenticatedContext, filter: { roleId?: string | null; first?: number | null }): Promise<RoleChange[]> {
  const { principal, ability } = ctx;
  const first = pageSize(filter.first, HISTORY_PAGE);
  const roleId = filter.roleId ?? null;
  if (roleId && !isUuid(roleId)) throw badInput('roleId', 'is not a role id');
  assertListable(ability, { list: 'roleChanges', subject: 'RoleChange', orderedBy: 'id', filters: givenFilters({ roleId }, { roleId: 'roleId' }) });
  const params = new SqlParams();
  const qb = ctx.core.getRepository(RoleChange).createQueryBuilder('c')
    .where('c.chainId = :chainId', { chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'RoleChange', { chainId: 'c.chain_id', storeId: 'NULL::uuid', id: 'c.id' }, params), params.values);
  if (roleId) qb.andWhere('c.roleId = :roleId', { roleId });
  return qb.orderBy('c.id', 'DESC').limit(first).getMany();
}
