/**
 * Inputs of the staff lifecycle: creating and updating users. Checked by src/services/staff/user-validation.ts
 * (BAD_USER_INPUT naming `input.name`, `input.email`, `input.profession`, `input.registrationNumber` or `input.kind`).
 */
import { Field, InputType } from 'type-graphql';
import { Profession, UserKind } from '../enums';

@InputType({ description: 'A new member of staff or service account.' })
export class CreateUserInput {
  @Field({ nullable: false, description: 'Name, 1 to 200 characters (trimmed), with a visible character.' })
  name: string;

  @Field({ nullable: false, description: 'Email address (stored lower-case); unique across every chain.' })
  email: string;

  @Field(() => Profession, { nullable: false, description: 'Profession: SERVICE_ACCOUNT exactly when kind is SERVICE.' })
  profession: Profession;

  @Field(() => String, { nullable: true, description: 'Professional registration number (e.g. GOC), up to 50 characters (trimmed; empty means none). Not for a service account.' })
  registrationNumber?: string | null;

  @Field(() => UserKind, { nullable: false, description: 'STAFF (gets an invitation to set a password) or SERVICE (never has a password; acts through API tokens).' })
  kind: UserKind;
}

@InputType({ description: 'Changes to a user: only the fields given change.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true, description: 'Name, 1 to 200 characters (trimmed), with a visible character.' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'Email address (stored lower-case); unique across every chain.' })
  email?: string;

  @Field(() => Profession, { nullable: true, description: 'Profession: SERVICE_ACCOUNT exactly when the user is a service account.' })
  profession?: Profession;

  @Field(() => String, { nullable: true, description: 'Professional registration number, up to 50 characters; null or empty removes it.' })
  registrationNumber?: string | null;
}
