/**
 * regions: the regions of the caller's chain they may read, and a region's stores.
 */
import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Region } from '../schema/core/region.entity';
import { Store } from '../schema/core/store.entity';
import { listRegions } from '../services/region-service';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => [Region], { nullable: false, description: 'Regions of the caller’s chain that the caller may read, by name (by id if the caller may not read every name).' })
  regions(@Authenticated() ctx: AuthenticatedContext): Promise<Region[]> {
    return listRegions(ctx);
  }

  @FieldResolver(() => [Store], { description: 'The region’s stores that the caller may read.' })
  stores(@Root() region: Region, @Ctx() ctx: AppContext): Promise<Store[]> {
    return ctx.loaders.storesOfRegion.load(region.id);
  }
}
