/**
 * Consent proof on customers and events: Customer.consentsAsOf, Customer.termsAcceptances, recordTermsAcceptance,
 * and ConsentEvent.proof (the event joined with the exact wording it names).
 */
import { Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ConsentEvent } from '../schema/core/consent-event.entity';
import { ConsentProof, ConsentState } from '../schema/core/consent-proof.types';
import { Customer } from '../schema/core/customer.entity';
import { TermsAcceptance } from '../schema/core/terms-acceptance.entity';
import { ConsentSource, LegalDocument } from '../schema/enums';
import { recordTermsAcceptance } from '../services/terms-acceptances';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Customer)
export class CustomerConsentProofResolver {
  @FieldResolver(() => [ConsentState], { description: 'Each of the four channels as it stood at `at`: the latest consent event up to then (none: not granted, no basis).' })
  consentsAsOf(@Root() customer: Customer, @Arg('at', () => Date) at: Date, @Ctx() ctx: AppContext): Promise<ConsentState[]> {
    return ctx.loaders.consentsAsOf.load({ customer, at });
  }

  @FieldResolver(() => [TermsAcceptance], { description: 'Acceptances of the terms and the privacy notice, newest first.' })
  termsAcceptances(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<TermsAcceptance[]> {
    return ctx.loaders.termsAcceptances.load(customer);
  }

  @Mutation(() => TermsAcceptance, { description: 'Records that the customer accepted a version of the terms or the privacy notice (source IN_STORE unless given; EMAIL_LINK refused).' })
  recordTermsAcceptance(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID) customerId: string,
    @Arg('document', () => LegalDocument) document: LegalDocument,
    @Arg('version', () => String) version: string,
    @Arg('source', () => ConsentSource, { nullable: true }) source?: ConsentSource | null,
  ): Promise<TermsAcceptance> {
    return recordTermsAcceptance(ctx, customerId, document, version, source);
  }
}

@Resolver(() => ConsentEvent)
export class ConsentEventProofResolver {
  @FieldResolver(() => ConsentProof, { description: 'The proof of this event: the exact wording, when, by whom, the source and the lawful basis.' })
  async proof(@Root() event: ConsentEvent, @Ctx() ctx: AppContext): Promise<ConsentProof> {
    const wording = await ctx.loaders.consentWording.load(`${event.channel}|${event.wordingVersion}`);
    return Object.assign(new ConsentProof(), {
      wordingVersion: event.wordingVersion, wordingText: wording?.text ?? null, wordingPublishedAt: wording?.publishedAt ?? null,
      recordedAt: event.changedAt, actor: event.actor, recordedById: event.recordedById, source: event.source, basis: event.basis,
      saleReference: event.saleReference, optOutOffered: event.optOutOffered,
      chainId: event.chainId, storeId: event.storeId, customerId: event.customerId,
    });
  }
}
