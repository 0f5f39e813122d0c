/**
 * Checking a passkey assertion (finishPasskeySignIn, reauthenticateWithPasskey) inside the caller's transaction:
 * the credential is looked up by its id and locked FOR UPDATE, so concurrent assertions of one credential see each
 * other's counters; the answer must sign the spent challenge, come from WEBAUTHN_ORIGIN for WEBAUTHN_RP_ID, carry
 * user presence and user verification, name the credential's owner as user handle (when it names one), and move
 * the signature counter forward (when the authenticator keeps one: a counter that does not increase means a
 * cloned authenticator, refused and logged). On success the counter and `last_used_at` are stored.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { EntityManager } from 'typeorm';
import { WebAuthnSettings } from '../../config/webauthn';
import { logger } from '../../logging/logger';
import { Passkey } from '../../schema/core/passkey.entity';
import { userHandleText } from './relying-party';
import { webauthnLibrary } from './webauthn-library';

export type AssertionOutcome = { ok: true; passkey: Passkey } | { ok: false; reason: string };

/** The stored passkey a response names (not locked), or null. */
export function passkeyNamed(db: EntityManager, response: AuthenticationResponseJSON): Promise<Passkey | null> {
  return db.getRepository(Passkey).findOneBy({ credentialId: response.id });
}

export async function checkAssertion(
  tx: EntityManager, settings: WebAuthnSettings, response: AuthenticationResponseJSON, expectedChallenge: string,
): Promise<AssertionOutcome> {
  if (response.id !== response.rawId) return { ok: false, reason: 'id and rawId differ' };
  const passkey = await tx.getRepository(Passkey).createQueryBuilder('p')
    .where('p.credential_id = :id', { id: response.id }).setLock('pessimistic_write').getOne();
  if (!passkey) return { ok: false, reason: 'unknown credential' };
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== '' && handle !== userHandleText(passkey.userId)) {
    return { ok: false, reason: 'user handle is not the credential owner' };
  }
  const { verifyAuthenticationResponse } = await webauthnLibrary();
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: settings.origin,
      expectedRPID: settings.rpId,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'not verifiable';
    if (/counter/i.test(reason)) logger.warn({ passkeyId: passkey.id, userId: passkey.userId }, 'passkey signature counter did not increase: possible cloned authenticator');
    return { ok: false, reason };
  }
  if (!verified.verified || !verified.authenticationInfo.userVerified) return { ok: false, reason: 'not verified' };
  await tx.query('UPDATE passkey SET counter = $2, backed_up = $3, last_used_at = now() WHERE id = $1', [
    passkey.id, verified.authenticationInfo.newCounter, verified.authenticationInfo.credentialBackedUp,
  ]);
  return { ok: true, passkey };
}

