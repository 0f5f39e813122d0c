/**
 * stores: the stores the caller may read.
 */
import { Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { sortableBy } from '../policies/sortable';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { Store } from '../schema/core/store.entity';
import { whereStoreNameIs } from '../services/name-lookups';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Store)
export class StoreResolver {
  @Query(() => [Store], { nullable: false, description: 'Stores the caller may see, by name (by id if the caller may not read every name); optionally only those with a name (case-insensitive, exact).' })
  stores(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('name', () => String, { nullable: true, description: 'Only stores with this name (case-insensitive, exact match, surrounding spaces ignored): [] when none you may see has it.' }) name?: string,
  ): Promise<Store[]> {
    const { principal, ability } = ctx;
    const params = new SqlParams();
    const qb = ctx.core.getRepository(Store).createQueryBuilder('s')
      .where('s.chainId = :chainId', { chainId: principal.chainId })
      .andWhere(accessibleSql(ability, 'read', 'Store', { chainId: 's.chain_id', storeId: 's.id', id: 's.id' }, params), params.values);
    if (name !== undefined && name !== null) whereStoreNameIs(qb, ability, name);
    return qb.orderBy(sortableBy(ability, 'Store', 'name') ? 's.name' : 's.id').getMany();
  }
}
