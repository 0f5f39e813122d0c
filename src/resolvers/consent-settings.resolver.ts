/**
 * consentChannels, setConsentChannels, consentWordings, publishConsentWording: the chain's consent settings.
 */
import { Mutation, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ConsentChannelSetting } from '../schema/core/consent-proof.types';
import { ConsentWording } from '../schema/core/consent-wording.entity';
import { ConsentChannel } from '../schema/enums';
import { PublishConsentWordingInput } from '../schema/inputs/consent.inputs';
import { consentChannels, setConsentChannels } from '../services/consent-channels';
import { listConsentWordings, publishConsentWording } from '../services/consent-wordings';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class ConsentSettingsResolver {
  @Query(() => [ConsentChannelSetting], { nullable: false, description: 'All four consent channels and whether the chain uses each.' })
  consentChannels(@Authenticated() ctx: AuthenticatedContext): Promise<ConsentChannelSetting[]> {
    return consentChannels(ctx);
  }

  @Mutation(() => [ConsentChannelSetting], {
    nullable: false,
    description: 'Sets the channels the chain uses (the others are disabled: consent writes on them are refused, their history is kept). Chain-scoped; recorded in the security settings history.',
  })
  setConsentChannels(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('enabled', () => [ConsentChannel]) enabled: ConsentChannel[],
  ): Promise<ConsentChannelSetting[]> {
    return setConsentChannels(ctx, enabled);
  }

  @Query(() => [ConsentWording], { nullable: false, description: 'Published consent wordings of the chain (of one channel when given), newest first per channel.' })
  consentWordings(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('channel', () => ConsentChannel, { nullable: true }) channel?: ConsentChannel | null,
  ): Promise<ConsentWording[]> {
    return listConsentWordings(ctx, channel);
  }

  @Mutation(() => ConsentWording, { description: 'Publishes a new wording version for a channel. A published version never changes: publishing it again is refused.' })
  publishConsentWording(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('input', () => PublishConsentWordingInput) input: PublishConsentWordingInput,
  ): Promise<ConsentWording> {
    return publishConsentWording(ctx, input);
  }
}
