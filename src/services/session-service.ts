/**
 * Signing in and out through the API, and who the caller is: `login` (alone in its operation, it makes the
 * new user the caller for its own selection: src/context/sign-in.ts; or, when the user owes a second factor,
 * answers a challenge and signs nobody in), `logout`, `me`. `verifyMfa` is in src/services/mfa/verify-mfa.ts.
 */
import { endSession } from '../auth/authenticate';
import { login } from '../auth/login';
import { clearedSessionCookie, sessionCookie } from '../auth/session-token';
import { loadAbility } from '../policies/grant-queries';
import { User } from '../schema/core/user.entity';
import { LoginResult } from '../schema/auth/login-result.type';
import { AppContext } from '../context/app-context';
import { AuthenticatedContext } from '../context/authenticated-context';
import { signIn } from '../context/sign-in';

export async function signInWithPassword(ctx: AppContext, email: string, password: string): Promise<LoginResult> {
  const outcome = await login(ctx.core, ctx.config, email, password, { address: ctx.request.clientAddress, userAgent: ctx.request.userAgent });
  if (outcome.kind === 'MFA_REQUIRED') {
    return { mfaRequired: true, challenge: outcome.challenge, token: null, expiresAt: null, user: null, scope: null };
  }
  const { session, limits } = outcome;
  ctx.responseCookies.push(sessionCookie(session.token, limits.maxHours * 3600, ctx.config.production));
  const principal = { userId: session.user.id, chainId: session.user.chainId, sessionId: session.sessionId };
  signIn(ctx, principal, await loadAbility(ctx.core, principal), { kind: 'SESSION', scope: session.scope, authenticatedAt: new Date(), secondFactor: null });
  return { mfaRequired: false, challenge: null, token: session.token, expiresAt: session.expiresAt, user: session.user, scope: session.scope };
}

export async function signOut(ctx: AuthenticatedContext): Promise<boolean> {
  await endSession(ctx.core, ctx.principal.sessionId);
  ctx.responseCookies.push(clearedSessionCookie(ctx.config.production));
  return true;
}

export function currentUser(ctx: AuthenticatedContext): Promise<User> {
  return ctx.core.getRepository(User).findOneByOrFail({ id: ctx.principal.userId });
}
