/**
 * Inputs for recording a consent grant or withdrawal and for publishing a consent wording.
 */
import { Field, ID, InputType } from 'type-graphql';
import { ConsentActor, ConsentChannel, ConsentSource, LawfulBasis } from '../enums';

@InputType({ description: 'A grant or withdrawal of consent for one channel.' })
export class ConsentChangeInput {
  @Field(() => ID, { nullable: false }) customerId: string;
  @Field(() => ConsentChannel, { nullable: false }) channel: ConsentChannel;
  @Field({ nullable: false }) granted: boolean;
  @Field(() => ConsentSource, { nullable: false, description: 'How the customer gave the instruction. EMAIL_LINK is refused: only the unsubscribe link records it.' })
  source: ConsentSource;
  @Field({ nullable: false, description: 'Version of the wording shown to the customer: a version published for this channel (consentWordings).' }) wordingVersion: string;
  @Field(() => ConsentActor, {
    description: 'Only STAFF is accepted (the default): the signed-in member of staff records the change on the customer’s instruction. CUSTOMER is refused with BAD_USER_INPUT: a change is the customer’s own only through a customer channel (the unsubscribe link). Kept for compatibility.',
  })
  actor?: ConsentActor | null;
  @Field(() => LawfulBasis, {
    description: 'Lawful basis of a grant (default CONSENT). EMAIL and SMS: CONSENT or SOFT_OPT_IN; MAIL: CONSENT or LEGITIMATE_INTEREST; SOCIAL_MEDIA: CONSENT. A withdrawal records the basis of what it withdraws: leave it out (or give that basis).',
  })
  basis?: LawfulBasis | null;
  @Field(() => String, { description: 'SOFT_OPT_IN only (required then): the sale it came from, 1 to 100 characters.' })
  saleReference?: string | null;
  @Field(() => Boolean, { description: 'SOFT_OPT_IN only (required then, and must be true): the customer was offered a simple way to refuse.' })
  optOutOffered?: boolean | null;
}

@InputType({ description: 'A new consent wording version for one channel.' })
export class PublishConsentWordingInput {
  @Field(() => ConsentChannel, { nullable: false }) channel: ConsentChannel;
  @Field({ nullable: false, description: '1 to 50 characters, e.g. 2026-06. A version once published is immutable: publishing it again is refused.' }) version: string;
  @Field({ nullable: false, description: 'The exact text shown to the customer, 1 to 5,000 characters.' }) text: string;
}
