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
  @Field(() => ConsentSource, { nullable: false }) source: ConsentSource;
  @Field({ nullable: false, description: 'Version of the wording shown to the customer.' }) wordingVersion: string;
  @Field(() => ConsentActor, { description: 'Defaults to STAFF (recorded by the signed-in user on the customer’s instruction).' })
  actor?: ConsentActor | null;
}
