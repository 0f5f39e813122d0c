/**
 * The answers of the staff lifecycle: `Invitation` (the one-time token text, shown once to the admin who made it)
 * and `CreatedUser` (the new user, and their invitation when they are a member of staff).
 */
import { Field, ObjectType } from 'type-graphql';
import { User } from './user.entity';

@ObjectType('Invitation', { description: 'A one-time invitation: give the token to its member of staff, who sets their own password with acceptInvitation. Shown only here, once.' })
export class InvitationPayload {
  @Field({ nullable: false, description: 'The invitation token (`vsi_…`). Not shown again: only its SHA-256 is kept.' })
  token: string;

  @Field(() => Date, { nullable: false, description: 'When it stops working (24 hours after it was issued).' })
  expiresAt: Date;
}

@ObjectType('CreatedUser', { description: 'A new user, and (for a member of staff) their invitation.' })
export class CreatedUser {
  @Field(() => User, { nullable: false })
  user: User;

  @Field(() => InvitationPayload, { nullable: true, description: 'The invitation to set a password; null for a service account (kind SERVICE), which never has one.' })
  invitation: InvitationPayload | null;
}
