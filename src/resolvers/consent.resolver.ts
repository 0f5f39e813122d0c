/**
 * recordConsentChange, issueUnsubscribeLink, and a consent's history.
 */
import { Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ConsentEvent } from '../schema/core/consent-event.entity';
import { Consent } from '../schema/core/consent.entity';
import { UnsubscribeLinkView } from '../schema/core/unsubscribe-link.types';
import { ConsentChannel } from '../schema/enums';
import { ConsentChangeInput } from '../schema/inputs/consent.inputs';
import { recordConsentChange } from '../services/consent-service';
import { issueUnsubscribeLink } from '../services/unsubscribe-links';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Consent)
export class ConsentResolver {
  @Mutation(() => Consent, { description: 'Records a grant or withdrawal; the history keeps every change.' })
  recordConsentChange(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => ConsentChangeInput) input: ConsentChangeInput): Promise<Consent> {
    return recordConsentChange(ctx, input);
  }

  @Mutation(() => UnsubscribeLinkView, {
    description: 'Issues a single-use link by which the customer withdraws their consent for the channel themself (recorded as actor CUSTOMER, source EMAIL_LINK). Needs update on the channel and read of Consent.unsubscribeLink at the customer’s home store. The URL is shown only now.',
  })
  issueUnsubscribeLink(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID, { nullable: false }) customerId: string,
    @Arg('channel', () => ConsentChannel, { nullable: false }) channel: ConsentChannel,
  ): Promise<UnsubscribeLinkView> {
    return issueUnsubscribeLink(ctx, customerId, channel);
  }

  @FieldResolver(() => [ConsentEvent], { description: 'Every grant and withdrawal for this channel, newest first.' })
  history(@Root() consent: Consent, @Ctx() ctx: AppContext): Promise<ConsentEvent[]> {
    return ctx.loaders.consentHistory.load(consent);
  }
}
