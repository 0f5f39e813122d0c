/**
 * login, verifyMfa, logout and me (src/services/session-service.ts, src/services/mfa/verify-mfa.ts).
 */
import { Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';
import { LoginResult } from '../schema/auth/login-result.type';
import { User } from '../schema/core/user.entity';
import { SessionPayload } from '../schema/session.type';
import { verifyMfa } from '../services/mfa/verify-mfa';
import { currentUser, signInWithPassword, signOut } from '../services/session-service';

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginResult, { description: 'Signs in with a password; ends any other session of the same user. A user with TOTP gets mfaRequired and a challenge for verifyMfa instead of a session.' })
  login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: AppContext): Promise<LoginResult> {
    return signInWithPassword(ctx, email, password);
  }

  @Mutation(() => SessionPayload, { description: 'Completes a login that answered mfaRequired: the challenge and a TOTP code or an unused recovery code. Ends any other session of the same user.' })
  verifyMfa(@Arg('challenge') challenge: string, @Arg('code') code: string, @Ctx() ctx: AppContext): Promise<SessionPayload> {
    return verifyMfa(ctx, challenge, code);
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
