/**
 * login, logout and me (src/services/session-service.ts).
 */
import { Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';
import { User } from '../schema/core/user.entity';
import { SessionPayload } from '../schema/session.type';
import { currentUser, signInWithPassword, signOut } from '../services/session-service';

@Resolver()
export class AuthResolver {
  @Mutation(() => SessionPayload, { description: 'Signs in; ends any other session of the same user.' })
  login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: AppContext): Promise<SessionPayload> {
    return signInWithPassword(ctx, email, password);
  }

  @Mutation(() => Boolean, { nullable: false, description: 'Ends the current session.' })
  logout(@Authenticated() ctx: AuthenticatedContext): Promise<boolean> {
    return signOut(ctx);
  }

  @Query(() => User, { description: 'The signed-in member of staff.' })
  me(@Authenticated() ctx: AuthenticatedContext): Promise<User> {
    return currentUser(ctx);
  }
}
