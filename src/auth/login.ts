/**
 * Login: reserves an attempt under the throttle (src/auth/login-throttle.ts: exact under concurrency), checks the password (argon2id),
 * and opens a session (src/auth/open-session.ts: it ends every other open session of the user). Unknown email,
 * wrong password, a disabled user and a service account (kind SERVICE: it acts through API tokens only)
 * get the same answer, after the same work, and the attempt counts as a failure toward the throttle; a
 * service account never gets a session.
 */
import { DataSource } from 'typeorm';
import { Config } from '../config/config';
import { badInput, unauthenticated } from '../errors/errors';
import { User } from '../schema/core/user.entity';
import { SessionScope, UserKind, UserStatus } from '../schema/enums';
import { emailHash, reserveAttempt } from './login-throttle';
import { configuredLimits, OpenedSession, openSession, SignInClient } from './open-session';
import { decoyHash, verifyPassword } from './password';

export async function login(
  core: DataSource,
  config: Config,
  email: string,
  password: string,
  client: SignInClient,
): Promise<OpenedSession> {
  const normalised = email.trim().toLowerCase();
  if (!normalised || normalised.length > 320) throw badInput('email', 'must be an email address');
  if (!password) throw badInput('password', 'must not be empty');
  if (password.length > 1024) throw badInput('password', 'must be at most 1024 characters');
  const hash = emailHash(normalised);
  const attemptId = await reserveAttempt(core, config, hash, client.address);
  const user = await core.getRepository(User).findOneBy({ email: normalised });
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !valid || user.status !== UserStatus.ACTIVE || user.kind !== UserKind.STAFF) {
    // The reserved attempt stays recorded as a failure.
    throw unauthenticated('Email or password is wrong.');
  }

  return openSession(core, user, client, { scope: SessionScope.FULL, secondFactor: null, attemptId, ...configuredLimits(config) });
}
