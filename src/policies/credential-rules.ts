/**
 * What the presented credential allows beyond the permissions (docs/auth-policy.md), checked on every root field by
 * the operation guard (src/policies/operation-guard.ts) and by the HTTP export routes:
 * - an ENROLMENT session (a user whose role requires a second factor they have not enrolled, src/auth/sign-in-step.ts)
 *   may only use ENROLMENT_FIELDS: everything else is FORBIDDEN with extensions.reason SECOND_FACTOR_ENROLMENT_REQUIRED;
 * - a sensitive act (SENSITIVE_FIELDS, and the exports) needs a proof of identity on the session (sign-in or
 *   `reauthenticate`) within the re-authentication window (REAUTH_WINDOW_MINUTES, default 5), else UNAUTHENTICATED
 *   with extensions.reason REAUTHENTICATION_REQUIRED.
 * - an ENROLMENT session also reads nothing but its own staff record below those fields: its ability keeps only the
 *   built-in self rules (abilityForCredential), so `me` leads nowhere (me.roleAssignments.role.assignments.user…).
 * API tokens are exempt from both: they have no session and act only within their service account's grants.
 * Anonymous sign-in fields (their operation rule is `allow`) are never refused here.
 */
import { GraphQLError } from 'graphql';
import { SessionScope } from '../schema/enums';
import { AppAbility, abilityFromRules, SELF_RULE } from './ability';

/** What the schema guards need of the presented credential (src/auth/authenticate.ts `Credential` provides it). */
export type GuardCredential =
  | { kind: 'SESSION'; scope: SessionScope; authenticatedAt: Date }
  | { kind: 'API_TOKEN' };

export const SECOND_FACTOR_ENROLMENT_REQUIRED = 'SECOND_FACTOR_ENROLMENT_REQUIRED';
export const REAUTHENTICATION_REQUIRED = 'REAUTHENTICATION_REQUIRED';

/** The root fields an ENROLMENT session may use: its own account, signing out, and enrolling a second factor. */
export const ENROLMENT_FIELDS: ReadonlySet<string> = new Set([
  'me', 'logout', 'changePassword', 'reauthenticate',
  'beginTotpEnrollment', 'confirmTotpEnrollment',
  'beginPasskeyRegistration', 'finishPasskeyRegistration', 'passkeys',
]);

/** The root fields that need a recent proof of identity: breaking the glass, exports, changing roles, the auth policy and the clinical encryption policy, API tokens. */
export const SENSITIVE_FIELDS: ReadonlySet<string> = new Set([
  'requestEmergencyAccess',
  'createRole', 'updateRole', 'deleteRole', 'assignRole', 'revokeAssignment',
  'marketingList', 'updateAuthPolicy', 'updateClinicalEncryptionPolicy', 'createApiToken',
]);

export const ENROLMENT_MESSAGE = 'Your role requires a second factor you have not enrolled: this session may only enrol one. '
  + 'Enrol an authenticator app (beginTotpEnrollment, then confirmTotpEnrollment) or a passkey (beginPasskeyRegistration, then '
  + 'finishPasskeyRegistration; a role that requires a passkey needs a passkey), then sign in again.';

export const REAUTHENTICATION_MESSAGE = (windowMinutes: number): string =>
  `This needs a sign-in within the last ${windowMinutes} minutes: re-authenticate (reauthenticate with your password and code, or reauthenticateWithPasskey), then try again.`;

/** A refusal, for GraphQL (as an error) and HTTP (as a status and JSON body). */
export interface CredentialRefusal {
  status: 401 | 403;
  code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  reason: typeof SECOND_FACTOR_ENROLMENT_REQUIRED | typeof REAUTHENTICATION_REQUIRED;
  message: string;
}

export function enrolmentRefusal(credential: GuardCredential | null): CredentialRefusal | null {
  if (credential?.kind !== 'SESSION' || credential.scope !== SessionScope.ENROLMENT) return null;
  return { status: 403, code: 'FORBIDDEN', reason: SECOND_FACTOR_ENROLMENT_REQUIRED, message: ENROLMENT_MESSAGE };
}

/** The ability a request acts with: an ENROLMENT session's keeps only the self rules (its own staff record). */
export function abilityForCredential(ability: AppAbility, credential: GuardCredential | null): AppAbility {
  if (credential?.kind !== 'SESSION' || credential.scope !== SessionScope.ENROLMENT) return ability;
  return abilityFromRules(ability.rules.filter((rule) => rule.reason === SELF_RULE));
}

export function reauthenticationRefusal(credential: GuardCredential | null, windowMinutes: number, now = new Date()): CredentialRefusal | null {
  if (credential?.kind !== 'SESSION') return null;
  if (now.getTime() - credential.authenticatedAt.getTime() <= windowMinutes * 60_000) return null;
  return { status: 401, code: 'UNAUTHENTICATED', reason: REAUTHENTICATION_REQUIRED, message: REAUTHENTICATION_MESSAGE(windowMinutes) };
}

/** The refusal of a sensitive HTTP export: an ENROLMENT session (403), then a stale proof of identity (401). */
export function sensitiveExportRefusal(credential: GuardCredential | null, windowMinutes: number): CredentialRefusal | null {
  return enrolmentRefusal(credential) ?? reauthenticationRefusal(credential, windowMinutes);
}

export function refusalError(refusal: CredentialRefusal): GraphQLError {
  return new GraphQLError(refusal.message, { extensions: { code: refusal.code, reason: refusal.reason } });
}

/** The JSON body of an HTTP refusal, shaped like a GraphQL error response (as the export routes answer). */
export function refusalBody(refusal: CredentialRefusal): string {
  return JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.code, reason: refusal.reason } }] });
}
