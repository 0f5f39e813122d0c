/**
 * restrictProcessing, liftRestriction, recordMarketingObjection; Customer.processingRestriction and
 * Customer.marketingObjection with their histories.
 */
import { Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Customer } from '../schema/core/customer.entity';
import {
  MarketingObjectionEventView, MarketingObjectionView, ProcessingRestrictionEventView, ProcessingRestrictionView,
} from '../schema/core/restriction.types';
import { ConsentSource } from '../schema/enums';
import { recordMarketingObjection } from '../services/consent/objection-service';
import { marketingObjectionOf } from '../services/consent/objection-state';
import { liftRestriction, restrictProcessing } from '../services/consent/restriction-service';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => ProcessingRestrictionView)
export class RestrictionResolver {
  @Mutation(() => ProcessingRestrictionView, {
    description: 'Restricts processing of the customer’s data (GDPR Art. 18): they are on no marketing list until it is lifted. Reason: 1 to 500 characters. Refused (BAD_USER_INPUT on customerId) when already restricted.',
  })
  restrictProcessing(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID) customerId: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<ProcessingRestrictionView> {
    return restrictProcessing(ctx, customerId, reason);
  }

  @Mutation(() => ProcessingRestrictionView, {
    description: 'Lifts the customer’s restriction of processing. Reason: 1 to 500 characters. Refused (BAD_USER_INPUT on customerId) when not restricted.',
  })
  liftRestriction(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID) customerId: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<ProcessingRestrictionView> {
    return liftRestriction(ctx, customerId, reason);
  }

  @FieldResolver(() => [ProcessingRestrictionEventView], { description: 'Every restriction and lifting, newest first.' })
  history(@Root() view: ProcessingRestrictionView, @Ctx() ctx: AppContext): Promise<ProcessingRestrictionEventView[]> {
    return ctx.loaders.processingRestrictionHistory.load(view);
  }
}

@Resolver(() => MarketingObjectionView)
export class MarketingObjectionResolver {
  @Mutation(() => MarketingObjectionView, {
    description: 'Records the customer’s objection to direct marketing (GDPR Art. 21(2)), never lifted, and suppresses their current email and phone (kept as keyed hashes, beyond erasure). A repeated objection is recorded as another event. Source EMAIL_LINK is refused.',
  })
  recordMarketingObjection(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID) customerId: string,
    @Arg('source', () => ConsentSource) source: ConsentSource,
  ): Promise<MarketingObjectionView> {
    return recordMarketingObjection(ctx, customerId, source);
  }

  @FieldResolver(() => [MarketingObjectionEventView], { description: 'Every objection recorded, newest first.' })
  history(@Root() view: MarketingObjectionView, @Ctx() ctx: AppContext): Promise<MarketingObjectionEventView[]> {
    return ctx.loaders.marketingObjectionHistory.load(view);
  }
}

@Resolver(() => Customer)
export class CustomerRestrictionResolver {
  @FieldResolver(() => ProcessingRestrictionView, { description: 'Restriction of processing (GDPR Art. 18): whether, since when, why, and its history.' })
  processingRestriction(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<ProcessingRestrictionView> {
    return ctx.loaders.processingRestriction.load(customer);
  }

  @FieldResolver(() => MarketingObjectionView, { description: 'Objection to direct marketing (GDPR Art. 21(2)) and suppression by contact details, with the history.' })
  marketingObjection(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<MarketingObjectionView> {
    return marketingObjectionOf(ctx, customer);
  }
}
