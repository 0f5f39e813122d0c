/**
 * reauthenticate(password, code): a fresh proof of identity on the caller's own session, so that sensitive acts
 * (src/policies/credential-rules.ts) are allowed again for the re-authentication window (docs/auth-policy.md).
 * The caller's password, and — when they have an authenticator app (TOTP) enrolled — its current code or one of their
 * recovery codes (src/auth/second-factor-check.ts spends it). A user whose only second factor is a passkey uses
 * `reauthenticateWithPasskey`: a password alone never re-authenticates a user who has a second factor.
 *
 * Throttled like login (src/auth/login-throttle.ts), under the caller's email: a wrong password, a missing or wrong
 * code (also a code from a user with no authenticator app: nothing can check it) counts as a failed sign-in (UNAUTHENTICATED, one message for all); BAD_USER_INPUT only for malformed input.
 * Alone in its operation (src/auth/sign-in-alone.ts), so the failed attempt is committed whatever else happens and
 * nothing else in the request runs on the old or new proof. API tokens have no session: FORBIDDEN.
 */
import { enrolledFactors } from '../../auth/enrolled-factors';
import { emailHash, markSucceeded, reserveAttempt } from '../../auth/login-throttle';
import { decoyHash, verifyPassword } from '../../auth/password';
import { markReauthenticated } from '../../auth/reauthentication-mark';
import { spendSecondFactorCode } from '../../auth/second-factor-check';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { badInput, forbidden, unauthenticated } from '../../errors/errors';
import { Reauthentication } from '../../schema/auth/reauthentication.type';
import { User } from '../../schema/core/user.entity';

export const REAUTHENTICATION_REFUSED_MESSAGE = 'Password or code is wrong.';
export const PASSKEY_REAUTHENTICATION_MESSAGE = 'Your account signs in with a passkey: re-authenticate with it (reauthenticateWithPasskey).';

function checkInput(password: unknown, code: unknown): string | null {
  if (typeof password !== 'string' || password.length === 0) throw badInput('password', 'must not be empty');
  if (password.length > 1024) throw badInput('password', 'must be at most 1024 characters');
  if (code === undefined || code === null) return null;
  if (typeof code !== 'string' || code.trim().length === 0) throw badInput('code', 'must not be empty when given');
  if (code.length > 64) throw badInput('code', 'must be at most 64 characters');
  return code.trim();
}

export async function reauthenticate(ctx: AuthenticatedContext, password: string, code?: string | null): Promise<Reauthentication> {
  if (ctx.credential?.kind !== 'SESSION') throw forbidden('An API token has no session to re-authenticate: it needs no re-authentication.');
  const presentedCode = checkInput(password, code);
  const { principal } = ctx;
  const user = await ctx.core.getRepository(User).findOneByOrFail({ id: principal.userId });
  const factors = await enrolledFactors(ctx.core.manager, user.id);
  if (!factors.totp && factors.passkeys > 0) throw unauthenticated(PASSKEY_REAUTHENTICATION_MESSAGE);

  const attemptId = await reserveAttempt(ctx.core, ctx.config, emailHash(user.email), ctx.request.clientAddress);
  const valid = await verifyPassword(user.passwordHash ?? (await decoyHash()), password);
  // The reserved attempt stays recorded as a failure.
  if (!valid || !user.passwordHash) throw unauthenticated(REAUTHENTICATION_REFUSED_MESSAGE);
  if (factors.totp && presentedCode === null) throw unauthenticated(`${REAUTHENTICATION_REFUSED_MESSAGE} Your account has an authenticator app: send its current code (or a recovery code) as \`code\`.`);
  // A code the account has nothing to check it against is a wrong code, not one to ignore.
  if (!factors.totp && presentedCode !== null) throw unauthenticated(REAUTHENTICATION_REFUSED_MESSAGE);

  const authenticatedAt = await ctx.core.transaction(async (tx) => {
    const factor = factors.totp ? await spendSecondFactorCode(tx, user.id, presentedCode!) : null;
    if (factors.totp && !factor) return null;
    await markSucceeded(tx, attemptId);
    return markReauthenticated(tx, principal.sessionId, factor);
  });
  if (!authenticatedAt) throw unauthenticated(REAUTHENTICATION_REFUSED_MESSAGE);
  ctx.credential = { ...ctx.credential, authenticatedAt };
  return { authenticatedAt, validUntil: new Date(authenticatedAt.getTime() + ctx.config.reauthWindowMinutes * 60_000) };
}
