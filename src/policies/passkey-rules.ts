/**
 * Who may manage passkeys (docs/passkeys.md). Passkeys are one's own: every passkey field acts on the caller's
 * own account, so no catalog permission is involved; what matters is the credential the request came with.
 * - An API token (a service account) never has passkeys: FORBIDDEN.
 * - Registering a passkey when the user already has a second factor (TOTP or a passkey) needs a recent proof
 *   with a second factor on this session (sign-in, `reauthenticate` with a code, `reauthenticateWithPasskey`)
 *   within the re-authentication window: a stolen password-only or invitation session cannot add a factor to an
 *   account that has one. A user with no second factor yet may register from any session, ENROLMENT included
 *   (that is what an ENROLMENT session is for).
 * - Removing a passkey weakens the account: it needs a proof within the window, whatever the factor.
 * Refusals for a stale proof are UNAUTHENTICATED with extensions.reason 'REAUTHENTICATION_REQUIRED'.
 */
import { mayAddSecondFactor } from './second-factor-rules';
import { GraphQLError } from 'graphql';
import { forbidden } from '../errors/errors';

/** What the request's credential says (src/auth/authenticate.ts `Credential`, structurally). */
export type PasskeyCredentialFacts =
  | { kind: 'SESSION'; authenticatedAt: Date; secondFactor: string | null }
  | { kind: 'API_TOKEN' };

export function reauthenticationRequired(what: string): GraphQLError {
  return new GraphQLError(`Re-authentication required: prove who you are again (reauthenticate or reauthenticateWithPasskey), then ${what}.`, {
    extensions: { code: 'UNAUTHENTICATED', reason: 'REAUTHENTICATION_REQUIRED' },
  });
}

function recent(authenticatedAt: Date, windowMinutes: number, now: Date): boolean {
  return now.getTime() - authenticatedAt.getTime() <= windowMinutes * 60_000;
}

/** Passkeys belong to members of staff signed in with a session; narrows the credential to a session. */
export function assertSessionForPasskeys(credential: PasskeyCredentialFacts | null): asserts credential is Extract<PasskeyCredentialFacts, { kind: 'SESSION' }> {
  if (!credential || credential.kind !== 'SESSION') throw forbidden('Passkeys belong to members of staff: an API token has none.');
}

export function assertMayRegisterPasskey(
  credential: PasskeyCredentialFacts | null, hasSecondFactor: boolean, windowMinutes: number, now = new Date(),
): void {
  assertSessionForPasskeys(credential);
  // The one rule for adding any second factor (src/policies/second-factor-rules.ts).
  if (!mayAddSecondFactor(credential, hasSecondFactor, windowMinutes, now)) throw reauthenticationRequired('register the passkey');
}

export function assertMayRemovePasskey(credential: PasskeyCredentialFacts | null, windowMinutes: number, now = new Date()): void {
  assertSessionForPasskeys(credential);
  if (!recent(credential.authenticatedAt, windowMinutes, now)) throw reauthenticationRequired('remove the passkey');
}
