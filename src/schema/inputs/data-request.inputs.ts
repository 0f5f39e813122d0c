/**
 * Input for recording a data-subject request in the register (validated in src/services/data-requests/, errors
 * naming the field).
 */
import { Field, ID, InputType } from 'type-graphql';
import { DataRequestChannel, DataRequestType } from '../enums';

@InputType({ description: 'A data-subject request as received.' })
export class CreateDataRequestInput {
  @Field(() => ID, { nullable: false, description: 'The customer (data subject) the request is about.' }) customerId: string;
  @Field(() => DataRequestType, { nullable: false }) type: DataRequestType;
  @Field(() => Date, { nullable: false, description: 'When the request was received (not in the future); the legal clock starts on that day (UTC).' }) receivedAt: Date;
  @Field(() => DataRequestChannel, { nullable: false }) channel: DataRequestChannel;
  @Field(() => String, { description: 'What the customer asked for, in their words or a summary (at most 2000 characters).' }) notes?: string | null;
}
