/**
 * stores: the stores the caller may read.
 */
import { Query, Resolver } from 'type-graphql';
import { sortableBy } from '../policies/sortable';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { Store } from '../schema/core/store.entity';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Store)
export class StoreResolver {
  @Query(() => [Store], { nullable: false, description: 'Stores the caller may see, by name (by id if the caller may not read every name).' })
  stores(@Authenticated() ctx: AuthenticatedContext): Promise<Store[]> {
    const { principal, ability } = ctx;
    const params = new SqlParams();
    return ctx.core.getRepository(Store).createQueryBuilder('s')
      .where('s.chainId = :chainId', { chainId: principal.chainId })
      .andWhere(accessibleSql(ability, 'read', 'Store', { chainId: 's.chain_id', storeId: 's.id', id: 's.id' }, params), params.values)
      .orderBy(sortableBy(ability, 'Store', 'name') ? 's.name' : 's.id').getMany();
  }
}
