/**
 * Input for creating an API token of a service account. Checked by src/services/api-token-service.ts
 * (BAD_USER_INPUT naming `input.userId`, `input.name` or `input.expiresAt`).
 */
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new API token for a service account.' })
export class CreateApiTokenInput {
  @Field(() => ID, { nullable: false, description: 'The service account (a user of kind SERVICE, active, of your chain).' })
  userId: string;

  @Field({ nullable: false, description: 'What it is for, 1 to 100 characters.' })
  name: string;

  @Field(() => Date, { nullable: false, description: 'When it stops working: in the future, at most 366 days ahead.' })
  expiresAt: Date;
}
