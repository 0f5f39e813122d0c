/**
 * Reauthentication: the answer of `reauthenticate` and `reauthenticateWithPasskey` (a fresh proof of identity on the
 * caller's session): when it was proved and until when sensitive acts are allowed without another.
 */
import { Field, ObjectType } from 'type-graphql';

@ObjectType('Reauthentication', { description: 'A fresh proof of identity on the current session.' })
export class Reauthentication {
  @Field(() => Date, { nullable: false, description: 'When the caller proved who they are.' })
  authenticatedAt: Date;

  @Field(() => Date, { nullable: false, description: 'Until when sensitive acts (breaking the glass, exports, role changes) are allowed without another proof (REAUTH_WINDOW_MINUTES).' })
  validUntil: Date;
}
