/**
 * Opening a session once a user has proved who they are (a password at `login`, a password and a second factor at
 * `verifyMfa`, a new password at `acceptInvitation`): ends every other open session of the user (one browser at a
 * time) and inserts the new one, in one transaction that also marks the throttled sign-in attempt succeeded.
 * Only the token's SHA-256 is stored; the token is returned once.
 */
import { DataSource } from 'typeorm';
import { Session } from '../schema/core/session.entity';
import { User } from '../schema/core/user.entity';
import { SessionScope } from '../schema/enums';
import { markSucceeded } from './login-throttle';
import { hashSessionToken, newSessionToken } from './session-token';

export interface OpenedSession {
  sessionId: string;
  token: string;
  expiresAt: Date;
  /** The absolute end of the session (the chain's session maximum): the cookie's lifetime. */
  maxExpiresAt: Date;
  user: User;
  scope: SessionScope;
}

/** The second factor a sign-in used, or null for a password alone. */
export type SecondFactorKind = 'TOTP' | 'RECOVERY_CODE' | 'PASSKEY';

export interface SessionTerms {
  scope: SessionScope;
  secondFactor: SecondFactorKind | null;
  /** The throttled sign-in attempt (src/auth/login-throttle.ts) this session completes, if any. */
  attemptId: string | null;
  /** Idle timeout and absolute lifetime for this session (the chain's auth policy; the config's defaults otherwise). */
  idleMinutes: number;
  maxHours: number;
}

export interface SignInClient {
  address: string | null;
  userAgent: string | null;
}


export async function openSession(core: DataSource, user: User, client: SignInClient, terms: SessionTerms): Promise<OpenedSession> {
  const token = newSessionToken();
  const now = new Date();
  const maxExpiresAt = new Date(now.getTime() + terms.maxHours * 3600_000);
  const sessionId = await core.transaction(async (tx) => {
    // Serialise concurrent logins of one user, so exactly one session stays open.
    await tx.query('SELECT 1 FROM staff_user WHERE id = $1 FOR UPDATE', [user.id]);
    // A session still live is REPLACED (its holder is told "signed in elsewhere"); one already past its idle
    // or absolute limit is closed as EXPIRED, so an old token says "expired" whatever its user did since.
    // Each session is judged by its own idle limit (session.idle_minutes, the policy at its sign-in).
    await tx.query(
      `UPDATE session SET ended_at = now(),
              ended_reason = CASE WHEN last_seen_at > now() - make_interval(mins => idle_minutes) AND max_expires_at > now()
                                  THEN 'REPLACED' ELSE 'EXPIRED' END
        WHERE user_id = $1 AND ended_at IS NULL`,
      [user.id],
    );
    if (terms.attemptId) await markSucceeded(tx, terms.attemptId);
    const inserted = await tx.getRepository(Session).insert({
      userId: user.id,
      chainId: user.chainId,
      tokenHash: hashSessionToken(token),
      lastSeenAt: now,
      idleMinutes: terms.idleMinutes,
      maxExpiresAt,
      authenticatedAt: now,
      scope: terms.scope,
      secondFactor: terms.secondFactor,
      clientAddress: client.address,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    return (inserted.identifiers[0] as { id: string }).id;
  });
  return { sessionId, token, expiresAt: idleExpiry(now, terms.idleMinutes, maxExpiresAt), maxExpiresAt, user, scope: terms.scope };
}

export function idleExpiry(lastSeenAt: Date, idleMinutes: number, maxExpiresAt: Date): Date {
  const idle = new Date(lastSeenAt.getTime() + idleMinutes * 60_000);
  return idle < maxExpiresAt ? idle : maxExpiresAt;
}
