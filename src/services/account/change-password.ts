/**
 * changePassword(current, new): the signed-in member of staff changes their own password (also in an ENROLMENT
 * session). No catalog permission: it is one's own account. A session only: an API token (a service account) has
 * no password (FORBIDDEN).
 *
 * Alone in its operation (src/auth/sign-in-alone.ts), like login: so it runs without the request's unit of work and
 * its throttle bookkeeping commits whatever the answer. Throttled like login (src/auth/login-throttle.ts): an
 * attempt is reserved under the user's email before `current` is checked and stays a failure when it is wrong; a
 * right one marks it succeeded. A wrong `current` is BAD_USER_INPUT
 * naming `current` ("is not your current password"); at the limit the throttle refuses (UNAUTHENTICATED, as login).
 * `new` must pass the password policy (src/auth/password-policy.ts, field `new`) and differ from `current`.
 *
 * In one transaction, under a lock of the user's row (of two concurrent changes from one current password exactly
 * one wins; the other is told `current` is no longer right): the argon2id hash of `new` is stored, every OTHER open
 * session of the user ends (ended_reason 'PASSWORD_CHANGED'; the caller's stays open), and the change is written to
 * the security settings history (setting `Password`: who, when, how many sessions ended; never a password or hash);
 * pending sign-in challenges of the old password end too (src/auth/mfa-challenge.ts endPendingChallenges).
 */
import { enrolledFactors, hasSecondFactor } from '../../auth/enrolled-factors';
import { endPendingChallenges } from '../../auth/mfa-challenge';
import { emailHash, markSucceeded, reserveAttempt } from '../../auth/login-throttle';
import { assertAcceptablePassword, normalisePassword } from '../../auth/password-policy';
import { hashPassword, verifyPassword } from '../../auth/password';
import { badInput, forbidden } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { User } from '../../schema/core/user.entity';
import { UserKind } from '../../schema/enums';
import { AuthenticatedContext } from '../../context/authenticated-context';

/** The longest `current` looked at (login's own limit): a longer one cannot be anyone's password. */
const CURRENT_MAX = 1024;
export const NOT_CURRENT_MESSAGE = 'is not your current password';

export async function changePassword(ctx: AuthenticatedContext, current: string, next: string): Promise<boolean> {
  const { principal } = ctx;
  if (ctx.credential?.kind !== 'SESSION') throw forbidden('changePassword needs a signed-in session: a service account has no password.');
  if (typeof current !== 'string' || current.length === 0) throw badInput('current', 'must not be empty');
  if (current.length > CURRENT_MAX) throw badInput('current', NOT_CURRENT_MESSAGE);
  if (typeof next !== 'string' || next.length === 0) throw badInput('new', 'must not be empty');
  const user = await ctx.core.getRepository(User).findOneByOrFail({ id: principal.userId });
  if (user.kind === UserKind.SERVICE) throw forbidden('A service account has no password.');

  // Alone in its operation (src/auth/sign-in-alone.ts): no request unit of work, so ctx.core is the app's own
  // DataSource and the reserved attempt commits at once, staying a failure when `current` is wrong.
  if (ctx.unitOfWork) throw new Error('changePassword must run alone in its operation (src/auth/sign-in-alone.ts)');
  const attemptId = await reserveAttempt(ctx.core, ctx.config, emailHash(user.email), ctx.request.clientAddress);

  return ctx.core.transaction(async (tx) => {
    const [locked]: { passwordHash: string | null }[] = await tx.query(
      'SELECT password_hash AS "passwordHash" FROM staff_user WHERE id = $1 FOR UPDATE', [user.id]);
    if (!locked?.passwordHash || !(await verifyPassword(locked.passwordHash, current))) throw badInput('current', NOT_CURRENT_MESSAGE);
    await markSucceeded(ctx.core.manager, attemptId);

    const factors = await enrolledFactors(tx, user.id);
    await assertAcceptablePassword(tx, next, {
      field: 'new', user: { name: user.name, email: user.email, chainId: user.chainId }, hasSecondFactor: hasSecondFactor(factors),
    });
    if (normalisePassword(next) === normalisePassword(current)) throw badInput('new', 'is your current password: choose a new one');

    await tx.query('UPDATE staff_user SET password_hash = $2 WHERE id = $1', [user.id, await hashPassword(next)]);
    const ended: unknown[] = await tx.query(
      `WITH ended AS (UPDATE session SET ended_at = now(), ended_reason = 'PASSWORD_CHANGED'
                       WHERE user_id = $1 AND id <> $2 AND ended_at IS NULL RETURNING 1)
       SELECT * FROM ended`,
      [user.id, principal.sessionId],
    );
    await endPendingChallenges(tx, user.id);
    await recordSecuritySettingChange(tx, principal, ctx.request, {
      setting: 'Password',
      before: { userId: user.id, passwordSet: true },
      after: { userId: user.id, passwordSet: true, changedBy: 'self', otherSessionsEnded: ended.length },
      weakened: [],
    });
    return true;
  });
}
