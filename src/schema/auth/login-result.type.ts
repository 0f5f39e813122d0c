/**
 * The answer to `login`: either a session (token, expiry, user, scope: as `Session`, and the token is also set as an
 * HttpOnly cookie) or, when the user has TOTP enrolled, `mfaRequired` with a short-lived `challenge` to hand to
 * `verifyMfa` (and no token, user or session yet).
 */
import { Field, ObjectType } from 'type-graphql';
import { User } from '../core/user.entity';
import { SessionScope } from '../enums';

@ObjectType('LoginResult', { description: 'A session, or a second factor still owed (mfaRequired: answer the challenge with verifyMfa).' })
export class LoginResult {
  @Field({ nullable: false, description: 'True when a second factor is owed: no session exists yet; call verifyMfa(challenge, code).' })
  mfaRequired: boolean;

  @Field(() => String, { nullable: true, description: 'When mfaRequired: the sign-in challenge (`vsc_…`), valid 5 minutes, single use.' })
  challenge: string | null;

  @Field(() => String, { nullable: true, description: 'Opaque bearer token; send as `Authorization: Bearer <token>`. Null when mfaRequired.' })
  token: string | null;

  @Field(() => Date, { nullable: true, description: 'When the session ends if unused (idle timeout); each request moves it. Null when mfaRequired.' })
  expiresAt: Date | null;

  @Field(() => User, { nullable: true, description: 'The signed-in member of staff. Null when mfaRequired.' })
  user: User | null;

  @Field(() => SessionScope, { nullable: true, description: 'FULL, or ENROLMENT (this session may only enrol a second factor). Null when mfaRequired.' })
  scope: SessionScope | null;
}
