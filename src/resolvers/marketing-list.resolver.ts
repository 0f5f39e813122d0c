/**
 * marketingList: a page of a consent-filtered marketing list with its manifest (src/services/marketing/).
 */
import { ID, Int, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ConsentChannel } from '../schema/enums';
import { MarketingListConnection } from '../schema/marketing/marketing-list.types';
import { marketingList } from '../services/marketing/marketing-list-service';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class MarketingListResolver {
  @Query(() => MarketingListConnection, {
    nullable: false,
    description: 'Customers of the caller’s list scope (export MarketingList and read Customer) who may be sent marketing on the channel, in id order, with the whole list’s manifest (docs/marketing-lists.md).',
  })
  marketingList(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('channel', () => ConsentChannel) channel: ConsentChannel,
    @Arg('storeIds', () => [ID], { nullable: true, description: 'Only customers of these home stores (each in the caller’s list scope, else NOT_FOUND).' }) storeIds?: string[],
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-100 (default 50).' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<MarketingListConnection> {
    return marketingList(ctx, { channel, storeIds, first, after });
  }
}
