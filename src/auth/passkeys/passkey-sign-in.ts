/**
 * Signing in with a passkey (`finishPasskeySignIn`) and re-authenticating with one (`reauthenticateWithPasskey`).
 *
 * Throttled like login (src/auth/login-throttle.ts): the attempt is reserved under the email hash of the
 * credential's owner when the credential is known, else under one fixed key shared by every unknown credential,
 * and always under the client address; every refusal leaves it counted as a failure. Then the challenge is spent
 * (src/auth/passkeys/challenges.ts: single use, even when the answer fails) and the assertion checked
 * (src/auth/passkeys/assertion.ts). Every refusal is one UNAUTHENTICATED message. A passkey with user verification
 * is multi-factor by itself: nextSignInStep(…, 'PASSKEY') opens a FULL session with second factor PASSKEY.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { DataSource, EntityManager } from 'typeorm';
import { Config } from '../../config/config';
import { unauthenticated } from '../../errors/errors';
import { User } from '../../schema/core/user.entity';
import { UserKind, UserStatus } from '../../schema/enums';
import { enrolledFactors } from '../enrolled-factors';
import { requiredFactors } from '../factor-requirements';
import { emailHash, markSucceeded, reserveAttempt } from '../login-throttle';
import { OpenedSession, openSession, SignInClient } from '../open-session';
import { markReauthenticated } from '../reauthentication-mark';
import { sessionLimits } from '../session-limits';
import { nextSignInStep } from '../sign-in-step';
import { checkAssertion, passkeyNamed } from './assertion';
import { spendChallenge } from './challenges';

export const PASSKEY_REFUSED_MESSAGE = 'Passkey not accepted; start again.';
/** The throttle's key for credentials that match no passkey (one bucket for all of them). */
const UNKNOWN_CREDENTIAL_KEY = 'visus.passkey:unknown';

const signsIn = (user: User | null): user is User => !!user && user.status === UserStatus.ACTIVE && user.kind === UserKind.STAFF;

async function reserveFor(core: DataSource, config: Config, response: AuthenticationResponseJSON, client: SignInClient): Promise<string> {
  const named = await passkeyNamed(core.manager, response);
  const owner = named ? await core.getRepository(User).findOneBy({ id: named.userId }) : null;
  return reserveAttempt(core, config, emailHash(owner?.email ?? UNKNOWN_CREDENTIAL_KEY), client.address);
}

/** Checks the assertion in `tx`; returns the credential's owner, or throws UNAUTHENTICATED. */
async function provedBy(tx: EntityManager, config: Config, response: AuthenticationResponseJSON, challenge: string): Promise<User> {
  const outcome = await checkAssertion(tx, config.webauthn, response, challenge);
  if (!outcome.ok) throw unauthenticated(PASSKEY_REFUSED_MESSAGE);
  const user = await tx.getRepository(User).findOneBy({ id: outcome.passkey.userId });
  if (!signsIn(user)) throw unauthenticated(PASSKEY_REFUSED_MESSAGE);
  return user;
}

export async function passkeySignIn(
  core: DataSource, config: Config, challengeId: string, response: AuthenticationResponseJSON, client: SignInClient,
): Promise<OpenedSession> {
  const attemptId = await reserveFor(core, config, response, client);
  const challenge = await spendChallenge(core.manager, challengeId, 'AUTHENTICATION', null);
  if (!challenge) throw unauthenticated(PASSKEY_REFUSED_MESSAGE);
  const user = await core.transaction((tx) => provedBy(tx, config, response, challenge));
  const [required, enrolled] = await Promise.all([requiredFactors(core.manager, user), enrolledFactors(core.manager, user.id)]);
  const step = nextSignInStep(required, enrolled, 'PASSKEY');
  if (step.kind !== 'OPEN') throw unauthenticated(PASSKEY_REFUSED_MESSAGE);
  const limits = await sessionLimits(core.manager, user.chainId, config);
  return openSession(core, user, client, { scope: step.scope, secondFactor: 'PASSKEY', attemptId, ...limits });
}

/**
 * The signed-in user proves who they are again with one of their own passkeys; another user's credential is
 * refused like a wrong one. Returns the session's new `authenticated_at`.
 */
export async function passkeyReauthentication(
  core: DataSource, config: Config, who: { userId: string; sessionId: string }, challengeId: string,
  response: AuthenticationResponseJSON, client: SignInClient,
): Promise<Date> {
  const caller = await core.getRepository(User).findOneByOrFail({ id: who.userId });
  const attemptId = await reserveAttempt(core, config, emailHash(caller.email), client.address);
  const challenge = await spendChallenge(core.manager, challengeId, 'AUTHENTICATION', null);
  if (!challenge) throw unauthenticated(PASSKEY_REFUSED_MESSAGE);
  return core.transaction(async (tx) => {
    const owner = await provedBy(tx, config, response, challenge);
    if (owner.id !== who.userId) throw unauthenticated(PASSKEY_REFUSED_MESSAGE);
    await markSucceeded(tx, attemptId);
    return markReauthenticated(tx, who.sessionId, 'PASSKEY');
  });
}
