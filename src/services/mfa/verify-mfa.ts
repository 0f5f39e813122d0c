/**
 * verifyMfa(challenge, code): anonymous, alone in its operation (src/auth/sign-in-alone.ts). Completes a login that
 * answered `mfaRequired`: the code is a TOTP code or an unused recovery code (src/auth/second-factor-check.ts spends
 * it). Throttled like login: each call reserves an attempt under the challenge's user's email (one fixed key for
 * unknown challenges) and the client address (src/auth/login-throttle.ts); a wrong code stays a failure.
 *
 * The challenge row is locked FOR UPDATE while the code is checked and the challenge is spent, so of concurrent calls
 * with one challenge at most one succeeds; concurrent calls with one TOTP code on two challenges are serialised by
 * the user's TOTP row (one step is accepted once). A wrong code counts on the challenge; the fifth kills it and
 * raises a SECOND_FACTOR_FAILURES security event. Unknown, expired, used and dead challenges, and a user no longer
 * active, get one UNAUTHENTICATED answer.
 *
 * Success asks nextSignInStep(…, 'PASSWORD_AND_CODE') what it opens (FULL, ENROLMENT when the policy wants a passkey
 * not yet registered, or PASSKEY_REQUIRED) and opens the session with second factor TOTP or RECOVERY_CODE. A spent
 * recovery code is recorded in the security settings history (setting SecondFactor: how many codes are left) under
 * the new session.
 */
import { enrolledFactors } from '../../auth/enrolled-factors';
import { requiredFactors } from '../../auth/factor-requirements';
import { emailHash, markSucceeded, reserveAttempt } from '../../auth/login-throttle';
import { passkeyRequired } from '../../auth/login';
import { hashMfaChallenge, isMfaChallenge, MFA_CHALLENGE_MAX_FAILURES } from '../../auth/mfa-challenge';
import { SecondFactorKind, openSession } from '../../auth/open-session';
import { CODE_CHARACTERS, MAX_CODE_LENGTH, spendSecondFactorCode } from '../../auth/second-factor-check';
import { sessionLimits } from '../../auth/session-limits';
import { sessionCookie } from '../../auth/session-token';
import { nextSignInStep } from '../../auth/sign-in-step';
import { insertSecurityEvent, lockSecurityEvents } from '../../audit/security-event-log';
import { badInput, unauthenticated } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { loadAbility } from '../../policies/grant-queries';
import { MfaChallenge } from '../../schema/core/mfa-challenge.entity';
import { User } from '../../schema/core/user.entity';
import { SecurityEventKind, UserKind, UserStatus } from '../../schema/enums';
import { SessionPayload } from '../../schema/session.type';
import { AppContext } from '../../context/app-context';
import { signIn } from '../../context/sign-in';
import { secondFactorRecord } from './second-factor-record';

export const CHALLENGE_REFUSED_MESSAGE = 'Sign-in challenge unknown, expired or already used: sign in again.';
const UNKNOWN_CHALLENGE_KEY = 'visus.mfa-challenge:unknown';

function usable(challenge: MfaChallenge | null, user: User | null, now: Date): boolean {
  return !!challenge && !!user && challenge.usedAt === null && challenge.expiresAt > now
    && user.status === UserStatus.ACTIVE && user.kind === UserKind.STAFF;
}

type Outcome = { kind: 'REFUSED' } | { kind: 'WRONG'; dead: boolean } | { kind: 'PROVED'; factor: Extract<SecondFactorKind, 'TOTP' | 'RECOVERY_CODE'> };

export async function verifyMfa(ctx: AppContext, challenge: string, code: string): Promise<SessionPayload> {
  const presented = typeof challenge === 'string' ? challenge.trim() : '';
  if (!presented) throw badInput('challenge', 'must not be empty');
  if (presented.length > 200) throw badInput('challenge', 'must be at most 200 characters');
  if (!/^[\x21-\x7e]+$/.test(presented)) throw badInput('challenge', 'must be the challenge login answered (vsc_…)');
  if (typeof code !== 'string' || !code.trim()) throw badInput('code', 'must not be empty');
  if (code.length > MAX_CODE_LENGTH) throw badInput('code', `must be at most ${MAX_CODE_LENGTH} characters`);
  if (!CODE_CHARACTERS.test(code)) throw badInput('code', 'must be the 6-digit code of your authenticator app or one of your recovery codes');

  const found = isMfaChallenge(presented) ? await ctx.core.getRepository(MfaChallenge).findOneBy({ tokenHash: hashMfaChallenge(presented) }) : null;
  const owner = found ? await ctx.core.getRepository(User).findOneBy({ id: found.userId }) : null;
  const attemptId = await reserveAttempt(ctx.core, ctx.config, emailHash(owner?.email ?? UNKNOWN_CHALLENGE_KEY), ctx.request.clientAddress);
  if (!usable(found, owner, new Date())) throw unauthenticated(CHALLENGE_REFUSED_MESSAGE);
  const user = owner!;

  const outcome = await ctx.core.transaction(async (tx): Promise<Outcome> => {
    const locked = await tx.getRepository(MfaChallenge).createQueryBuilder('c').where('c.id = :id', { id: found!.id }).setLock('pessimistic_write').getOne();
    if (!usable(locked, user, new Date())) return { kind: 'REFUSED' };
    const factor = await spendSecondFactorCode(tx, user.id, code);
    if (factor) {
      await tx.query('UPDATE mfa_challenge SET used_at = now() WHERE id = $1', [locked!.id]);
      return { kind: 'PROVED', factor };
    }
    const failures = locked!.failures + 1;
    const dead = failures >= MFA_CHALLENGE_MAX_FAILURES;
    await tx.query('UPDATE mfa_challenge SET failures = $2, used_at = CASE WHEN $3 THEN now() ELSE used_at END WHERE id = $1', [locked!.id, failures, dead]);
    if (dead) {
      await lockSecurityEvents(tx, user.chainId, user.id, SecurityEventKind.SECOND_FACTOR_FAILURES);
      await insertSecurityEvent(tx, {
        chainId: user.chainId, userId: user.id, kind: SecurityEventKind.SECOND_FACTOR_FAILURES,
        windowStart: locked!.createdAt, windowEnd: new Date(), observedCount: failures, threshold: MFA_CHALLENGE_MAX_FAILURES,
      });
    }
    return { kind: 'WRONG', dead };
  });
  if (outcome.kind === 'REFUSED') throw unauthenticated(CHALLENGE_REFUSED_MESSAGE);
  if (outcome.kind === 'WRONG') {
    throw unauthenticated(outcome.dead ? 'The code is wrong, and too many wrong codes were tried: sign in again.' : 'The code is wrong.');
  }

  const step = nextSignInStep(await requiredFactors(ctx.core.manager, user), await enrolledFactors(ctx.core.manager, user.id), 'PASSWORD_AND_CODE');
  if (step.kind !== 'OPEN') {
    await markSucceeded(ctx.core.manager, attemptId);
    throw passkeyRequired();
  }
  const limits = await sessionLimits(ctx.core.manager, user.chainId, ctx.config);
  const client = { address: ctx.request.clientAddress, userAgent: ctx.request.userAgent };
  const session = await openSession(ctx.core, user, client, { scope: step.scope, secondFactor: outcome.factor, attemptId, ...limits });
  const principal = { userId: user.id, chainId: user.chainId, sessionId: session.sessionId };
  if (outcome.factor === 'RECOVERY_CODE') {
    await ctx.core.transaction(async (tx) => {
      const after = await secondFactorRecord(tx, user.id);
      await recordSecuritySettingChange(tx, principal, ctx.request, {
        setting: 'SecondFactor', before: { ...after, recoveryCodesLeft: after.recoveryCodesLeft + 1 }, after, weakened: [],
      });
    });
  }
  ctx.responseCookies.push(sessionCookie(session.token, limits.maxHours * 3600, ctx.config.production));
  signIn(ctx, principal, await loadAbility(ctx.core, principal), { kind: 'SESSION', scope: step.scope, authenticatedAt: new Date(), secondFactor: outcome.factor });
  return session;
}
