/**
 * Input for breaking the glass: whose health records, and why.
 */
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A request for emergency access to one customer’s health records.' })
export class RequestEmergencyAccessInput {
  @Field(() => ID, { nullable: false }) customerId: string;
  @Field({ nullable: false, description: 'Why, in writing (10-1000 characters); the chain’s reviewers read it.' }) reason: string;
}
