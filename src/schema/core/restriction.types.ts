/**
 * GraphQL types of restriction of processing (GDPR Art. 18) and objection to direct marketing (Art. 21):
 * a customer's current state with its history, built from the tables of
 * processing-restriction*.entity.ts and marketing-objection.entity.ts. Governed by the Consent fields
 * `restriction` and `objection` at the customer's home store (src/policies/type-policies.ts).
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { ConsentActor, ConsentSource } from '../enums';

/** Row scope for the permission model: the customer's chain and home store (not GraphQL fields). */
abstract class CustomerScoped {
  customerId: string;
  chainId: string;
  storeId: string;
}

@ObjectType('ProcessingRestrictionEvent', { description: 'One restriction of processing or its lifting, as it happened (append-only).' })
export class ProcessingRestrictionEventView extends CustomerScoped {
  @Field(() => ID) id: string;
  @Field({ description: 'True: processing was restricted; false: the restriction was lifted.' }) restricted: boolean;
  @Field() reason: string;
  @Field(() => ID, { nullable: true, description: 'The member of staff who recorded it.' }) recordedById: string | null;
  @Field(() => Date) occurredAt: Date;
}

@ObjectType('ProcessingRestriction', {
  description: 'Restriction of processing (GDPR Art. 18): while restricted, the customer is on no marketing list whatever their consents.',
})
export class ProcessingRestrictionView extends CustomerScoped {
  @Field() restricted: boolean;
  @Field(() => Date, { nullable: true, description: 'When the current state began (the latest restriction or lifting); null when never restricted.' })
  since: Date | null;
  @Field(() => String, { nullable: true, description: 'The reason given with the latest restriction or lifting; null when never restricted.' })
  reason: string | null;
  /** Filled by Customer.processingRestriction's history resolver. */
  history?: ProcessingRestrictionEventView[];
}

@ObjectType('MarketingObjectionEvent', { description: 'One objection to direct marketing, as recorded (append-only).' })
export class MarketingObjectionEventView extends CustomerScoped {
  @Field(() => ID) id: string;
  @Field(() => ConsentSource) source: ConsentSource;
  @Field(() => ConsentActor) actor: ConsentActor;
  @Field(() => ID, { nullable: true, description: 'The member of staff who recorded it.' }) recordedById: string | null;
  @Field(() => Date) occurredAt: Date;
}

@ObjectType('MarketingObjection', {
  description: 'Objection to direct marketing (GDPR Art. 21(2)): never lifted. An objection keeps the customer off every marketing list, and its suppression (keyed hashes of the email and phone) keeps anyone with the same contact details off them too.',
})
export class MarketingObjectionView extends CustomerScoped {
  @Field({ description: 'The customer has objected (at least once).' }) objected: boolean;
  @Field(() => Date, { nullable: true, description: 'When the customer first objected; null when never.' }) since: Date | null;
  @Field(() => ConsentSource, { nullable: true, description: 'Through which source the first objection came; null when never.' }) source: ConsentSource | null;
  @Field({
    description: 'Kept off marketing lists by an objection: their own, or a suppression of the chain matching their current email or phone (an objection recorded for someone with these contact details, even an erased or earlier customer record).',
  })
  suppressed: boolean;
}
