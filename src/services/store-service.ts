/**
 * The stores of the caller's chain as the caller may see them: `stores`, optionally those with a name.
 */
import { sortableBy } from '../policies/sortable';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { Store } from '../schema/core/store.entity';
import { AuthenticatedContext } from '../context/authenticated-context';
import { whereStoreNameIs } from './name-lookups';
import { STORE_COLUMNS } from './visible-rows';

export function listStores(ctx: AuthenticatedContext, name: string | null | undefined): Promise<Store[]> {
  const { principal, ability } = ctx;
  const params = new SqlParams();
  const qb = ctx.core.getRepository(Store).createQueryBuilder('s')
    .where('s.chainId = :chainId', { chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'Store', STORE_COLUMNS, params), params.values);
  if (name !== undefined && name !== null) whereStoreNameIs(qb, ability, name);
  return qb.orderBy(sortableBy(ability, 'Store', 'name') ? 's.name' : 's.id').getMany();
}
