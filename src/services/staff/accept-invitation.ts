/**
 * acceptInvitation(token, password): anonymous, alone in its operation (src/auth/sign-in-alone.ts). The invited
 * member of staff sets their own password with the one-time token and is signed in, like login.
 *
 * Throttled like login (src/auth/login-throttle.ts): the attempt is reserved under the email hash of the token's
 * user when the token is known, else under one fixed key shared by every unknown token, and always under the client
 * address. Unknown, used, revoked and expired tokens, a deactivated user and a service account get one
 * UNAUTHENTICATED message, and the attempt counts as a failure. A valid token marks the attempt succeeded at once
 * (the token proved who the caller is): a refused password (BAD_USER_INPUT, src/auth/password-policy.ts, field
 * `password`) does not count toward the throttle, and the token stays usable.
 *
 * Single use under concurrency: the invitation row is locked FOR UPDATE and re-checked in the transaction that sets
 * the password and marks it used; of two concurrent accepts exactly one wins. History (`User` passwordSet, and
 * `Invitation` usedAt) names the user as who, and the invitation's id as the session (no session exists yet).
 * The new session's scope: ENROLMENT when the policy requires a factor the user has not enrolled, and also when the
 * user has a second factor enrolled (an invitation is one factor: such a user gets full access only through login
 * and verifyMfa); otherwise FULL.
 */
import { emailHash, markSucceeded, reserveAttempt } from '../../auth/login-throttle';
import { hashInvitationToken, isInvitationToken } from '../../auth/invitation-token';
import { enrolledFactors, hasSecondFactor } from '../../auth/enrolled-factors';
import { requiredFactors } from '../../auth/factor-requirements';
import { openSession } from '../../auth/open-session';
import { assertAcceptablePassword } from '../../auth/password-policy';
import { hashPassword } from '../../auth/password';
import { sessionLimits } from '../../auth/session-limits';
import { sessionCookie } from '../../auth/session-token';
import { badInput, unauthenticated } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { loadAbility } from '../../policies/grant-queries';
import { User } from '../../schema/core/user.entity';
import { UserInvitation } from '../../schema/core/user-invitation.entity';
import { SessionScope, UserKind, UserStatus } from '../../schema/enums';
import { SessionPayload } from '../../schema/session.type';
import { AppContext } from '../../context/app-context';
import { signIn } from '../../context/sign-in';
import { invitationRecord, userRecord } from './user-record';

export const INVITATION_REFUSED_MESSAGE = 'Invitation not accepted: it is unknown, already used, replaced or expired; ask your manager for a new one.';
/** The throttle's key for tokens that match no invitation (one bucket for all of them). */
const UNKNOWN_TOKEN_KEY = 'visus.invitation:unknown';

function usable(invitation: UserInvitation | null, user: User | null, now: Date): boolean {
  return !!invitation && !!user && invitation.usedAt === null && invitation.revokedAt === null && invitation.expiresAt > now
    && user.status === UserStatus.ACTIVE && user.kind === UserKind.STAFF;
}

export async function acceptInvitation(ctx: AppContext, token: string, password: string): Promise<SessionPayload> {
  if (typeof password !== 'string' || password.length === 0) throw badInput('password', 'must not be empty');
  if (password.length > 4096) throw badInput('password', 'must be at most 256 characters');
  const presented = typeof token === 'string' ? token.trim() : '';
  const found = isInvitationToken(presented)
    ? await ctx.core.getRepository(UserInvitation).findOneBy({ tokenHash: hashInvitationToken(presented) })
    : null;
  const owner = found ? await ctx.core.getRepository(User).findOneBy({ id: found.userId }) : null;
  const attemptId = await reserveAttempt(ctx.core, ctx.config, emailHash(owner?.email ?? UNKNOWN_TOKEN_KEY), ctx.request.clientAddress);
  if (!usable(found, owner, new Date())) throw unauthenticated(INVITATION_REFUSED_MESSAGE);
  const invitation = found!;
  const user = owner!;
  await markSucceeded(ctx.core.manager, attemptId);

  const factors = await enrolledFactors(ctx.core.manager, user.id);
  await assertAcceptablePassword(ctx.core.manager, password, {
    field: 'password', user: { name: user.name, email: user.email, chainId: user.chainId }, hasSecondFactor: hasSecondFactor(factors),
  });
  const passwordHash = await hashPassword(password);

  const accepted = await ctx.core.transaction(async (tx) => {
    const locked = await tx.getRepository(UserInvitation).createQueryBuilder('i').where('i.id = :id', { id: invitation.id }).setLock('pessimistic_write').getOne();
    const current = await tx.getRepository(User).createQueryBuilder('u').where('u.id = :id', { id: user.id }).setLock('pessimistic_write').getOne();
    if (!usable(locked, current, new Date())) throw unauthenticated(INVITATION_REFUSED_MESSAGE);
    const before = { user: userRecord(current!), invitation: invitationRecord(locked!) };
    await tx.query('UPDATE staff_user SET password_hash = $2 WHERE id = $1', [user.id, passwordHash]);
    await tx.query('UPDATE user_invitation SET used_at = now() WHERE id = $1', [invitation.id]);
    const updatedUser = await tx.getRepository(User).findOneByOrFail({ id: user.id });
    const usedInvitation = await tx.getRepository(UserInvitation).findOneByOrFail({ id: invitation.id });
    const who = { userId: user.id, chainId: user.chainId, sessionId: invitation.id };
    await recordSecuritySettingChange(tx, who, ctx.request, { setting: 'Invitation', before: before.invitation, after: invitationRecord(usedInvitation), weakened: [] });
    await recordSecuritySettingChange(tx, who, ctx.request, { setting: 'User', before: before.user, after: userRecord(updatedUser), weakened: [] });
    return updatedUser;
  });

  const required = await requiredFactors(ctx.core.manager, { id: accepted.id, chainId: accepted.chainId });
  const lacking = (required.secondFactor && !hasSecondFactor(factors)) || (required.passkey && factors.passkeys === 0);
  const scope = lacking || hasSecondFactor(factors) ? SessionScope.ENROLMENT : SessionScope.FULL;
  const limits = await sessionLimits(ctx.core.manager, accepted.chainId, ctx.config);
  const client = { address: ctx.request.clientAddress, userAgent: ctx.request.userAgent };
  const session = await openSession(ctx.core, accepted, client, { scope, secondFactor: null, attemptId: null, ...limits });
  ctx.responseCookies.push(sessionCookie(session.token, limits.maxHours * 3600, ctx.config.production));
  const principal = { userId: accepted.id, chainId: accepted.chainId, sessionId: session.sessionId };
  signIn(ctx, principal, await loadAbility(ctx.core, principal), { kind: 'SESSION', scope, authenticatedAt: new Date(), secondFactor: null });
  return session;
}
