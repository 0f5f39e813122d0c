/**
 * Signing in and out through the API, and who the caller is: `login` (alone in its operation, it makes the
 * new user the caller for its own selection: src/context/sign-in.ts), `logout`, `me`.
 */
import { endSession } from '../auth/authenticate';
import { login } from '../auth/login';
import { clearedSessionCookie, sessionCookie } from '../auth/session-token';
import { loadAbility } from '../policies/grant-queries';
import { User } from '../schema/core/user.entity';
import { SessionPayload } from '../schema/session.type';
import { AppContext } from '../context/app-context';
import { AuthenticatedContext } from '../context/authenticated-context';
import { signIn } from '../context/sign-in';

export async function signInWithPassword(ctx: AppContext, email: string, password: string): Promise<SessionPayload> {
  const session = await login(ctx.core, ctx.config, email, password, { address: ctx.request.clientAddress, userAgent: ctx.request.userAgent });
  ctx.responseCookies.push(sessionCookie(session.token, ctx.config.sessionMaxHours * 3600, ctx.config.production));
  const principal = { userId: session.user.id, chainId: session.user.chainId, sessionId: session.sessionId };
  signIn(ctx, principal, await loadAbility(ctx.core, principal), { kind: 'SESSION', scope: session.scope, authenticatedAt: new Date(), secondFactor: null });
  return session;
}

export async function signOut(ctx: AuthenticatedContext): Promise<boolean> {
  await endSession(ctx.core, ctx.principal.sessionId);
  ctx.responseCookies.push(clearedSessionCookie(ctx.config.production));
  return true;
}

export function currentUser(ctx: AuthenticatedContext): Promise<User> {
  return ctx.core.getRepository(User).findOneByOrFail({ id: ctx.principal.userId });
}
