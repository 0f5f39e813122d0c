/**
 * stores: the stores the caller may read.
 */
import { Ctx, Query, Resolver } from 'type-graphql';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { Store } from '../schema/core/store.entity';
import { AppContext, requireAuth } from '../server/context';

@Resolver(() => Store)
export class StoreResolver {
  @Query(() => [Store], { nullable: false, description: 'Stores the caller may see, by name.' })
  stores(@Ctx() ctx: AppContext): Promise<Store[]> {
    const { principal, ability } = requireAuth(ctx);
    const params = new SqlParams();
    return ctx.core.getRepository(Store).createQueryBuilder('s')
      .where('s.chainId = :chainId', { chainId: principal.chainId })
      .andWhere(accessibleSql(ability, 'read', 'Store', { chainId: 's.chain_id', storeId: 's.id', id: 's.id' }, params), params.values)
      .orderBy('s.name').getMany();
  }
}
