/**
 * Login: reserves an attempt under the throttle (src/auth/login-throttle.ts: exact under concurrency), checks the password (argon2id), ends every other open session
 * of the user (one browser at a time) and opens a new one, in one transaction. Unknown email,
 * wrong password, a disabled user and a service account (kind SERVICE: it acts through API tokens only)
 * get the same answer, after the same work, and the attempt counts as a failure toward the throttle; a
 * service account never gets a session.
 */
import { DataSource } from 'typeorm';
import { Config } from '../config/config';
import { badInput, unauthenticated } from '../errors/errors';
import { Session } from '../schema/core/session.entity';
import { User } from '../schema/core/user.entity';
import { UserKind, UserStatus } from '../schema/enums';
import { emailHash, markSucceeded, reserveAttempt } from './login-throttle';
import { decoyHash, verifyPassword } from './password';
import { hashSessionToken, newSessionToken } from './session-token';

export interface OpenedSession {
  sessionId: string;
  token: string;
  expiresAt: Date;
  user: User;
}

export async function login(
  core: DataSource,
  config: Config,
  email: string,
  password: string,
  client: { address: string | null; userAgent: string | null },
): Promise<OpenedSession> {
  const normalised = email.trim().toLowerCase();
  if (!normalised || normalised.length > 320) throw badInput('email', 'must be an email address');
  if (!password || password.length > 1024) throw badInput('password', 'must not be empty');
  const hash = emailHash(normalised);
  const attemptId = await reserveAttempt(core, config, hash, client.address);
  const user = await core.getRepository(User).findOneBy({ email: normalised });
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !valid || user.status !== UserStatus.ACTIVE || user.kind !== UserKind.STAFF) {
    // The reserved attempt stays recorded as a failure.
    throw unauthenticated('Email or password is wrong.');
  }

  const token = newSessionToken();
  const now = new Date();
  const maxExpiresAt = new Date(now.getTime() + config.sessionMaxHours * 3600_000);
  const sessionId = await core.transaction(async (tx) => {
    // Serialise concurrent logins of one user, so exactly one session stays open.
    await tx.query('SELECT 1 FROM staff_user WHERE id = $1 FOR UPDATE', [user.id]);
    // A session still live is REPLACED (its holder is told "signed in elsewhere"); one already past its idle
    // or absolute limit is closed as EXPIRED, so an old token says "expired" whatever its user did since.
    await tx.query(
      `UPDATE session SET ended_at = now(),
              ended_reason = CASE WHEN last_seen_at > now() - make_interval(mins => $2) AND max_expires_at > now()
                                  THEN 'REPLACED' ELSE 'EXPIRED' END
        WHERE user_id = $1 AND ended_at IS NULL`,
      [user.id, config.sessionIdleMinutes],
    );
    await markSucceeded(tx, attemptId);
    const inserted = await tx.getRepository(Session).insert({
      userId: user.id,
      chainId: user.chainId,
      tokenHash: hashSessionToken(token),
      lastSeenAt: now,
      maxExpiresAt,
      clientAddress: client.address,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    return (inserted.identifiers[0] as { id: string }).id;
  });
  return { sessionId, token, expiresAt: idleExpiry(now, config, maxExpiresAt), user };
}

export function idleExpiry(lastSeenAt: Date, config: Config, maxExpiresAt: Date): Date {
  const idle = new Date(lastSeenAt.getTime() + config.sessionIdleMinutes * 60_000);
  return idle < maxExpiresAt ? idle : maxExpiresAt;
}
