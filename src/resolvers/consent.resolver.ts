/**
 * recordConsentChange, and a consent's history.
 */
import { Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ConsentEvent } from '../schema/core/consent-event.entity';
import { Consent } from '../schema/core/consent.entity';
import { ConsentChangeInput } from '../schema/inputs/consent.inputs';
import { recordConsentChange } from '../services/consent-service';
import { AppContext, requireAuth } from '../server/context';

@Resolver(() => Consent)
export class ConsentResolver {
  @Mutation(() => Consent, { description: 'Records a grant or withdrawal; the history keeps every change.' })
  recordConsentChange(@Ctx() ctx: AppContext, @Arg('input', () => ConsentChangeInput) input: ConsentChangeInput): Promise<Consent> {
    const { principal, ability } = requireAuth(ctx);
    return recordConsentChange(ctx, principal, ability, input);
  }

  @FieldResolver(() => [ConsentEvent], { description: 'Every grant and withdrawal for this channel, newest first.' })
  history(@Root() consent: Consent, @Ctx() ctx: AppContext): Promise<ConsentEvent[]> {
    return ctx.loaders.consentHistory.load(consent);
  }
}
