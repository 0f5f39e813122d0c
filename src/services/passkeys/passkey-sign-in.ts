/**
 * Signing in with a passkey through the API: `beginPasskeySignIn(email)` (anonymous: options for
 * navigator.credentials.get, user verification required) and `finishPasskeySignIn` (alone in its operation,
 * like login: src/auth/sign-in-alone.ts; the checks are src/auth/passkeys/passkey-sign-in.ts), and
 * `reauthenticateWithPasskey` for the signed-in user.
 *
 * No enumeration: with an email, allowCredentials lists that user's passkeys; for an unknown email, a user
 * without passkeys, a deactivated user or a service account it lists one decoy credential id, derived from the
 * email with HMAC-SHA256 under a key of its own (derived from the process's suppression key), so it is stable
 * across requests and processes like a real one. Without an email, allowCredentials is empty: the browser
 * offers the discoverable passkeys it holds for this relying party.
 */
import { createHmac } from 'node:crypto';
import { issueChallenge } from '../../auth/passkeys/challenges';
import { passkeyReauthentication, passkeySignIn } from '../../auth/passkeys/passkey-sign-in';
import { webauthnLibrary } from '../../auth/passkeys/webauthn-library';
import { CEREMONY_TIMEOUT_MS } from '../../auth/passkeys/relying-party';
import { authenticationResponse } from '../../auth/passkeys/response-json';
import { sessionCookie } from '../../auth/session-token';
import { badInput } from '../../errors/errors';
import { loadAbility } from '../../policies/grant-queries';
import { assertSessionForPasskeys } from '../../policies/passkey-rules';
import { PasskeyOptions } from '../../schema/auth/passkey-options.type';
import { Reauthentication } from '../../schema/auth/reauthentication.type';
import { Passkey } from '../../schema/core/passkey.entity';
import { User } from '../../schema/core/user.entity';
import { UserKind, UserStatus } from '../../schema/enums';
import { SessionPayload } from '../../schema/session.type';
import { AppContext } from '../../context/app-context';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { signIn } from '../../context/sign-in';

type AllowedCredential = { id: string; transports?: string[] };

function decoyCredential(ctx: AppContext, email: string): AllowedCredential {
  const key = createHmac('sha256', ctx.config.suppressionKey).update('visus.passkey-decoy.key.v1').digest();
  const id = createHmac('sha256', key).update(email, 'utf8').digest();
  return { id: Buffer.from(id).toString('base64url'), transports: ['internal', 'hybrid'] };
}

async function allowedCredentials(ctx: AppContext, email: string | null | undefined): Promise<AllowedCredential[]> {
  if (email === undefined || email === null) return [];
  const normalised = email.trim().toLowerCase();
  if (!normalised || normalised.length > 320 || !/^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u.test(normalised)) throw badInput('email', 'must be an email address');
  const user = await ctx.core.getRepository(User).findOneBy({ email: normalised });
  const passkeys = user && user.status === UserStatus.ACTIVE && user.kind === UserKind.STAFF
    ? await ctx.core.getRepository(Passkey).find({ where: { userId: user.id }, order: { createdAt: 'ASC' } })
    : [];
  if (passkeys.length === 0) return [decoyCredential(ctx, normalised)];
  return passkeys.map((p) => ({ id: p.credentialId, transports: p.transports.length > 0 ? p.transports : undefined }));
}

export async function beginPasskeySignIn(ctx: AppContext, email: string | null | undefined): Promise<PasskeyOptions> {
  const allowCredentials = await allowedCredentials(ctx, email);
  const { generateAuthenticationOptions } = await webauthnLibrary();
  const options = await generateAuthenticationOptions({
    rpID: ctx.config.webauthn.rpId,
    allowCredentials,
    userVerification: 'required',
    timeout: CEREMONY_TIMEOUT_MS,
  });
  const issued = await issueChallenge(ctx.core.manager, 'AUTHENTICATION', options.challenge, null);
  return { challenge: issued.id, optionsJSON: JSON.stringify(options) };
}

export async function finishPasskeySignIn(ctx: AppContext, challenge: string, responseText: string): Promise<SessionPayload> {
  const response = authenticationResponse(responseText);
  const client = { address: ctx.request.clientAddress, userAgent: ctx.request.userAgent };
  const session = await passkeySignIn(ctx.core, ctx.config, challenge, response, client);
  // The cookie lives as long as the session may (the chain's session maximum).
  ctx.responseCookies.push(sessionCookie(session.token, Math.max(0, Math.round((session.maxExpiresAt.getTime() - Date.now()) / 1000)), ctx.config.production));
  const principal = { userId: session.user.id, chainId: session.user.chainId, sessionId: session.sessionId };
  signIn(ctx, principal, await loadAbility(ctx.core, principal), { kind: 'SESSION', scope: session.scope, authenticatedAt: new Date(), secondFactor: 'PASSKEY' });
  return session;
}

export async function reauthenticateWithPasskey(ctx: AuthenticatedContext, challenge: string, responseText: string): Promise<Reauthentication> {
  assertSessionForPasskeys(ctx.credential);
  const response = authenticationResponse(responseText);
  const client = { address: ctx.request.clientAddress, userAgent: ctx.request.userAgent };
  const authenticatedAt = await passkeyReauthentication(ctx.core, ctx.config, ctx.principal, challenge, response, client);
  return { authenticatedAt, validUntil: new Date(authenticatedAt.getTime() + ctx.config.reauthWindowMinutes * 60_000) };
}
