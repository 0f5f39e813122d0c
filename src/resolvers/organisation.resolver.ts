/**
 * The organisation writes: createRegion, createStore, updateStore. Services in src/services/organisation/.
 */
import { ID, Mutation, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Region } from '../schema/core/region.entity';
import { Store } from '../schema/core/store.entity';
import { CreateRegionInput, CreateStoreInput, UpdateStoreInput } from '../schema/inputs/organisation.inputs';
import { createRegion } from '../services/organisation/create-region';
import { createStore } from '../services/organisation/create-store';
import { updateStore } from '../services/organisation/update-store';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class OrganisationResolver {
  @Mutation(() => Region, { description: 'Creates a region of your chain (no stores yet); its name is unique in the chain.' })
  createRegion(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => CreateRegionInput) input: CreateRegionInput): Promise<Region> {
    return createRegion(ctx, input);
  }

  @Mutation(() => Store, { description: 'Creates an open store in a region of your chain; chain- and region-wide role assignments cover it from the next request on.' })
  createStore(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => CreateStoreInput) input: CreateStoreInput): Promise<Store> {
    return createStore(ctx, input);
  }

  @Mutation(() => Store, { description: 'Changes a store’s name, address, town, phone, region (chain-wide grants only) or opens/closes it. A closed store keeps its data.' })
  updateStore(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateStoreInput) input: UpdateStoreInput,
  ): Promise<Store> {
    return updateStore(ctx, id, input);
  }
}
