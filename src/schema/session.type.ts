/**
 * The answer to login: the session token (also set as an HttpOnly cookie) and when it lapses if unused.
 */
import { Field, ObjectType } from 'type-graphql';
import { User } from './core/user.entity';
import { SessionScope } from './enums';

@ObjectType('Session', { description: 'A signed-in session.' })
export class SessionPayload {
  @Field({ nullable: false, description: 'Opaque bearer token; send as `Authorization: Bearer <token>`.' })
  token: string;

  @Field(() => Date, { nullable: false, description: 'When the session ends if unused (idle timeout); each request moves it.' })
  expiresAt: Date;

  @Field(() => User, { nullable: false })
  user: User;

  @Field(() => SessionScope, { nullable: false, description: 'FULL, or ENROLMENT: the user’s role requires a second factor they have not enrolled; this session may only enrol it.' })
  scope: SessionScope;
}
