/**
 * stores: the stores the caller may read.
 */
import { Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Store } from '../schema/core/store.entity';
import { listStores } from '../services/store-service';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Store)
export class StoreResolver {
  @Query(() => [Store], { nullable: false, description: 'Stores the caller may see, by name (by id if the caller may not read every name); optionally only those with a name (case-insensitive, exact).' })
  stores(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('name', () => String, { nullable: true, description: 'Only stores with this name (case-insensitive, exact match, surrounding spaces ignored): [] when none you may see has it.' }) name?: string,
  ): Promise<Store[]> {
    return listStores(ctx, name);
  }
}
