/**
 * login, logout and me.
 */
import { Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { endSession } from '../auth/authenticate';
import { login } from '../auth/login';
import { clearedSessionCookie, sessionCookie } from '../auth/session-token';
import { loadAbility } from '../policies/ability';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';
import { signIn } from '../context/sign-in';
import { User } from '../schema/core/user.entity';
import { SessionPayload } from '../schema/session.type';

@Resolver()
export class AuthResolver {
  @Mutation(() => SessionPayload, { description: 'Signs in; ends any other session of the same user.' })
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: AppContext): Promise<SessionPayload> {
    const session = await login(ctx.core, ctx.config, email, password, { address: ctx.request.clientAddress, userAgent: ctx.request.userAgent });
    ctx.responseCookies.push(sessionCookie(session.token, ctx.config.sessionMaxHours * 3600, ctx.config.production));
    // Login is alone in its operation (src/auth/sign-in-alone.ts): its own selection (`user`) is served as the new user.
    const principal = { userId: session.user.id, chainId: session.user.chainId, sessionId: session.sessionId };
    signIn(ctx, principal, await loadAbility(ctx.core, principal));
    return session;
  }

  @Mutation(() => Boolean, { nullable: false, description: 'Ends the current session.' })
  async logout(@Authenticated() ctx: AuthenticatedContext): Promise<boolean> {
    const { principal } = ctx;
    await endSession(ctx.core, principal.sessionId);
    ctx.responseCookies.push(clearedSessionCookie(ctx.config.production));
    return true;
  }

  @Query(() => User, { description: 'The signed-in member of staff.' })
  me(@Authenticated() ctx: AuthenticatedContext): Promise<User> {
    const { principal } = ctx;
    return ctx.core.getRepository(User).findOneByOrFail({ id: principal.userId });
  }
}
