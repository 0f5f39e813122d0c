/**
 * Who may add a second factor (an authenticator app, or a passkey: src/policies/passkey-rules.ts asks this same rule):
 * a user with no second factor yet, from any session (ENROLMENT included); a user who already has one (TOTP or a
 * passkey) only from a session that proved a second factor within the re-authentication window. So an invitation
 * session (resetUserPassword hands the token to an admin) or a stolen password cannot add a factor to an account
 * that has one, and cannot turn it into a way past that factor.
 */

/** What the rule needs of the session (src/auth/authenticate.ts `Credential`, structurally). */
export interface SecondFactorProof { authenticatedAt: Date; secondFactor: string | null }

export function mayAddSecondFactor(session: SecondFactorProof, hasSecondFactor: boolean, windowMinutes: number, now = new Date()): boolean {
  if (!hasSecondFactor) return true;
  return session.secondFactor !== null && now.getTime() - session.authenticatedAt.getTime() <= windowMinutes * 60_000;
}
