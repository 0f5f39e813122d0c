/**
 * Inputs for creating and changing customers. Validation (with errors naming the field) is done by
 * services/customer-validation.ts, not by decorators, so every message has the same form.
 */
import { LocalDate } from '../local-date';
import { Field, ID, InputType } from 'type-graphql';
import { Sex } from '../enums';

@InputType({ description: 'A new customer.' })
export class CreateCustomerInput {
  @Field(() => ID, { nullable: false }) homeStoreId: string;
  @Field({ nullable: false }) firstName: string;
  @Field({ nullable: false }) lastName: string;
  @Field(() => LocalDate, { nullable: false }) dateOfBirth: string;
  @Field(() => Sex) sex?: Sex | null;
  @Field(() => String) addressLine1?: string | null;
  @Field(() => String) addressLine2?: string | null;
  @Field(() => String) city?: string | null;
  @Field(() => String) postcode?: string | null;
  @Field(() => String) country?: string | null;
  @Field(() => String) phone?: string | null;
  @Field(() => String) email?: string | null;
}

@InputType({ description: 'Changes to a customer; fields left out stay as they are, null clears an optional field.' })
export class UpdateCustomerInput {
  @Field(() => ID) homeStoreId?: string | null;
  @Field(() => String) firstName?: string | null;
  @Field(() => String) lastName?: string | null;
  @Field(() => LocalDate) dateOfBirth?: string | null;
  @Field(() => Sex) sex?: Sex | null;
  @Field(() => String) addressLine1?: string | null;
  @Field(() => String) addressLine2?: string | null;
  @Field(() => String) city?: string | null;
  @Field(() => String) postcode?: string | null;
  @Field(() => String) country?: string | null;
  @Field(() => String) phone?: string | null;
  @Field(() => String) email?: string | null;
  @Field(() => Date, { description: 'When the customer confirmed their details.' }) dataVerifiedAt?: Date | null;
}
