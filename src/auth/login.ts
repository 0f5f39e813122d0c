/**
 * Login: reserves an attempt under the throttle (src/auth/login-throttle.ts: exact under concurrency), checks the
 * password (argon2id), then asks the one table of what a sign-in leads to (src/auth/sign-in-step.ts) with what the
 * user enrolled and what their chain's policy requires:
 * - OPEN: a session (src/auth/open-session.ts: it ends every other open session of the user), FULL or ENROLMENT;
 * - SECOND_FACTOR (TOTP enrolled): no session, a challenge for `verifyMfa` (src/auth/mfa-challenge.ts). The attempt
 *   is withdrawn (neither failure nor success), so only a completed sign-in resets the email's failures and guessing
 *   codes behind a known password is throttled like guessing passwords;
 * - PASSKEY_REQUIRED: UNAUTHENTICATED with `extensions.reason` PASSKEY_REQUIRED (the password was right: the attempt
 *   is marked succeeded).
 * Unknown email, wrong password, a disabled user and a service account (kind SERVICE: it acts through API tokens
 * only) get the same answer, after the same work, and the attempt counts as a failure; a service account never gets
 * a session.
 */
import { GraphQLError } from 'graphql';
import { DataSource } from 'typeorm';
import { Config } from '../config/config';
import { badInput, unauthenticated } from '../errors/errors';
import { User } from '../schema/core/user.entity';
import { UserKind, UserStatus } from '../schema/enums';
import { enrolledFactors } from './enrolled-factors';
import { requiredFactors } from './factor-requirements';
import { emailHash, markSucceeded, reserveAttempt } from './login-throttle';
import { issueMfaChallenge } from './mfa-challenge';
import { OpenedSession, openSession, SignInClient } from './open-session';
import { decoyHash, verifyPassword } from './password';
import { SessionLimits, sessionLimits } from './session-limits';
import { nextSignInStep } from './sign-in-step';

export type LoginOutcome =
  | { kind: 'SESSION'; session: OpenedSession; limits: SessionLimits }
  | { kind: 'MFA_REQUIRED'; challenge: string; expiresAt: Date };

export function passkeyRequired(): GraphQLError {
  return new GraphQLError('Sign in with your passkey.', { extensions: { code: 'UNAUTHENTICATED', reason: 'PASSKEY_REQUIRED' } });
}

export async function login(
  core: DataSource,
  config: Config,
  email: string,
  password: string,
  client: SignInClient,
): Promise<LoginOutcome> {
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

  const step = nextSignInStep(await requiredFactors(core.manager, user), await enrolledFactors(core.manager, user.id), 'PASSWORD');
  if (step.kind === 'SECOND_FACTOR') {
    const { challenge, expiresAt } = await issueMfaChallenge(core, user, attemptId);
    return { kind: 'MFA_REQUIRED', challenge, expiresAt };
  }
  if (step.kind === 'PASSKEY_REQUIRED') {
    await markSucceeded(core.manager, attemptId);
    throw passkeyRequired();
  }
  const limits = await sessionLimits(core.manager, user.chainId, config);
  const session = await openSession(core, user, client, { scope: step.scope, secondFactor: null, attemptId, ...limits });
  return { kind: 'SESSION', session, limits };
}
