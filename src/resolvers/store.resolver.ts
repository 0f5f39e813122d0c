/**
 * stores: the stores the caller may read.
 */
import { Ctx, Query, Resolver } from 'type-graphql';
import { sortableBy } from '../policies/sortable';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { Store } from '../schema/core/store.entity';
import { AppContext, requireAuth } from '../context/app-context';

@Resolver(() => Store)
export class StoreResolver {
  @Query(() => [Store], { nullable: false, description: 'Stores the caller may see, by name (by id if the caller may not read every name).' })
  stores(@Ctx() ctx: AppContext): Promise<Store[]> {
    const { principal, ability } = requireAuth(ctx);
    const params = new SqlParams();
    return ctx.core.getRepository(Store).createQueryBuilder('s')
      .where('s.chainId = :chainId', { chainId: principal.chainId })
      .andWhere(accessibleSql(ability, 'read', 'Store', { chainId: 's.chain_id', storeId: 's.id', id: 's.id' }, params), params.values)
      .orderBy(sortableBy(ability, 'Store', 'name') ? 's.name' : 's.id').getMany();
  }
}
