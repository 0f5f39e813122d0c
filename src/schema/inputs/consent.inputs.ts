/**
 * Input for recording a consent grant or withdrawal.
 */
import { Field, ID, InputType } from 'type-graphql';
import { ConsentActor, ConsentChannel, ConsentSource } from '../enums';

@InputType({ description: 'A grant or withdrawal of consent for one channel.' })
export class ConsentChangeInput {
  @Field(() => ID, { nullable: false }) customerId: string;
  @Field(() => ConsentChannel, { nullable: false }) channel: ConsentChannel;
  @Field({ nullable: false }) granted: boolean;
  @Field(() => ConsentSource, { nullable: false, description: 'How the customer gave the instruction. EMAIL_LINK is refused: only the unsubscribe link records it.' })
  source: ConsentSource;
  @Field({ nullable: false, description: 'Version of the wording shown to the customer.' }) wordingVersion: string;
  @Field(() => ConsentActor, {
    description: 'Only STAFF is accepted (the default): the signed-in member of staff records the change on the customer’s instruction. CUSTOMER is refused with BAD_USER_INPUT: a change is the customer’s own only through a customer channel (the unsubscribe link). Kept for compatibility.',
  })
  actor?: ConsentActor | null;
}
