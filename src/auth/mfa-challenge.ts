/**
 * The sign-in challenge `login` hands out when the user owes a second factor: `vsc_` followed by 43 base64url
 * characters (32 random bytes), valid MFA_CHALLENGE_MINUTES, single use, answered by `verifyMfa`. Only its SHA-256
 * is stored (mfa_challenge.token_hash). It is never a bearer token. A challenge is half a sign-in (the password was
 * proved): whatever ends the user's sessions (reset, deactivation, a changed password) also ends their pending
 * challenges (endPendingChallenges).
 */
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

export const MFA_CHALLENGE_PREFIX = 'vsc_';
const MFA_CHALLENGE = /^vsc_[A-Za-z0-9_-]{43}$/;
export const MFA_CHALLENGE_MINUTES = 5;
/** Wrong codes a challenge survives: the fifth kills it (the user signs in again). */
export const MFA_CHALLENGE_MAX_FAILURES = 5;

export function newMfaChallenge(): string {
  return `${MFA_CHALLENGE_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function isMfaChallenge(text: string): boolean {
  return MFA_CHALLENGE.test(text);
}

export function hashMfaChallenge(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Stores a new challenge for the user and withdraws the login's throttled attempt (src/auth/login-throttle.ts), in one
 * transaction: the password was right, so the attempt is no failure, but it is no success either: only a completed
 * sign-in resets the email's failure count, so signing in again and again never buys more guesses at the code.
 */
export async function issueMfaChallenge(core: DataSource, user: { id: string; chainId: string }, attemptId: string): Promise<{ challenge: string; expiresAt: Date }> {
  const challenge = newMfaChallenge();
  const expiresAt = new Date(Date.now() + MFA_CHALLENGE_MINUTES * 60_000);
  await core.transaction(async (tx) => {
    await tx.query('INSERT INTO mfa_challenge (user_id, chain_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)', [user.id, user.chainId, hashMfaChallenge(challenge), expiresAt]);
    await tx.query('DELETE FROM login_attempt WHERE id = $1', [attemptId]);
  });
  return { challenge, expiresAt };
}

/** Spends every pending challenge of the user (the password they proved no longer counts). Returns how many. */
export async function endPendingChallenges(tx: EntityManager, userId: string): Promise<number> {
  const rows: unknown[] = await tx.query(
    'WITH ended AS (UPDATE mfa_challenge SET used_at = now() WHERE user_id = $1 AND used_at IS NULL RETURNING 1) SELECT * FROM ended',
    [userId],
  );
  return rows.length;
}
