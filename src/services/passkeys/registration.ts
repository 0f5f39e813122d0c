/**
 * Registering a passkey for the signed-in member of staff: `beginPasskeyRegistration` (options for
 * navigator.credentials.create: a discoverable credential with user verification, the user's passkeys excluded)
 * and `finishPasskeyRegistration` (the attestation verified by @simplewebauthn/server against the challenge,
 * WEBAUTHN_ORIGIN and WEBAUTHN_RP_ID, user verification required; attestation 'none' is accepted: Visus does
 * not restrict authenticator models). Who may register: src/policies/passkey-rules.ts. The challenge is bound
 * to the session that asked and spent by the finish. Written, in the same transaction, to the security settings
 * history (setting `Passkey`, src/services/passkeys/passkey-record.ts).
 */
import { enrolledFactors, hasSecondFactor } from '../../auth/enrolled-factors';
import { issueChallenge, spendChallenge } from '../../auth/passkeys/challenges';
import { CEREMONY_TIMEOUT_MS, RP_NAME, SUPPORTED_ALGORITHMS, userHandleOf } from '../../auth/passkeys/relying-party';
import { registrationResponse } from '../../auth/passkeys/response-json';
import { webauthnLibrary } from '../../auth/passkeys/webauthn-library';
import { UNIQUE_VIOLATION, violatedConstraint } from '../../db/constraint-violation';
import { badInput } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMayRegisterPasskey, assertSessionForPasskeys } from '../../policies/passkey-rules';
import { PasskeyOptions } from '../../schema/auth/passkey-options.type';
import { Passkey } from '../../schema/core/passkey.entity';
import { User } from '../../schema/core/user.entity';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { passkeyRecord } from './passkey-record';

/** A passkey's name: 1 to 100 characters after trimming, a visible one, no control characters. */
export function validPasskeyName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0) throw badInput('name', 'must not be empty');
  if ([...trimmed].length > 100) throw badInput('name', 'must be at most 100 characters');
  if (/\p{Cc}/u.test(trimmed)) throw badInput('name', 'must not contain control characters');
  return trimmed;
}

async function assertMayRegister(ctx: AuthenticatedContext): Promise<void> {
  const enrolled = await enrolledFactors(ctx.core.manager, ctx.principal.userId);
  assertMayRegisterPasskey(ctx.credential, hasSecondFactor(enrolled), ctx.config.reauthWindowMinutes);
}

export async function beginPasskeyRegistration(ctx: AuthenticatedContext): Promise<PasskeyOptions> {
  await assertMayRegister(ctx);
  const user = await ctx.core.getRepository(User).findOneByOrFail({ id: ctx.principal.userId });
  const existing = await ctx.core.getRepository(Passkey).find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
  const { generateRegistrationOptions } = await webauthnLibrary();
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: ctx.config.webauthn.rpId,
    userName: user.email,
    userDisplayName: user.name,
    userID: userHandleOf(user.id),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
  const issued = await issueChallenge(ctx.core.manager, 'REGISTRATION', options.challenge, { userId: user.id, sessionId: ctx.principal.sessionId });
  return { challenge: issued.id, optionsJSON: JSON.stringify(options) };
}

export async function finishPasskeyRegistration(ctx: AuthenticatedContext, challengeId: string, responseText: string, name: string): Promise<Passkey> {
  const { principal } = ctx;
  assertSessionForPasskeys(ctx.credential);
  const passkeyName = validPasskeyName(name);
  const response = registrationResponse(responseText);
  await assertMayRegister(ctx);
  const challenge = await spendChallenge(ctx.core.manager, challengeId, 'REGISTRATION', { userId: principal.userId, sessionId: principal.sessionId });
  if (!challenge) throw badInput('challenge', 'is unknown, already used, expired or not this session’s: begin the registration again');
  const { verifyRegistrationResponse } = await webauthnLibrary();
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: ctx.config.webauthn.origin,
      expectedRPID: ctx.config.webauthn.rpId,
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    });
  } catch {
    verified = null;
  }
  if (!verified?.verified || !verified.registrationInfo.userVerified) {
    throw badInput('response', 'is not a valid passkey registration for this challenge, origin and relying party');
  }
  const info = verified.registrationInfo;
  return ctx.core.transaction(async (tx) => {
    // Serialises the user's passkey changes (and counts: removePasskey takes the same lock).
    await tx.query('SELECT 1 FROM staff_user WHERE id = $1 FOR UPDATE', [principal.userId]);
    const taken = await tx.getRepository(Passkey).findOneBy({ credentialId: info.credential.id });
    if (taken) throw badInput('response', 'is a passkey already registered');
    const inserted = await tx.getRepository(Passkey).insert({
      chainId: principal.chainId,
      userId: principal.userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? response.response.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: passkeyName,
      lastUsedAt: null,
    }).catch((error: unknown) => {
      // Registered at the same moment by another request: the unique credential id decides.
      if (violatedConstraint(error, UNIQUE_VIOLATION)) throw badInput('response', 'is a passkey already registered');
      throw error;
    });
    const passkey = await tx.getRepository(Passkey).findOneByOrFail({ id: String(inserted.identifiers[0].id) });
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'Passkey', before: {}, after: passkeyRecord(passkey), weakened: [] });
    return passkey;
  });
}
