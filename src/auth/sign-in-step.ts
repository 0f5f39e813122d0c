/**
 * What a sign-in leads to, from what the user proved, what their chain's auth policy requires of them
 * (src/auth/factor-requirements.ts) and what they have enrolled (src/auth/enrolled-factors.ts). One table, used by
 * `login`, `verifyMfa`, `finishPasskeySignIn` and `acceptInvitation`, so every way in follows the same rules:
 *
 * | proved                         | result                                                                   |
 * |--------------------------------|--------------------------------------------------------------------------|
 * | a passkey (user-verified)      | FULL: a passkey with user verification is multi-factor by itself (NIST SP 800-63B-4 §2.2, AAL2) |
 * | password, TOTP enrolled        | SECOND_FACTOR: a short-lived challenge, answered by `verifyMfa`          |
 * | password, passkeys only        | PASSKEY_REQUIRED: sign in with the passkey (a password alone never opens a session once a second factor exists) |
 * | password, nothing enrolled     | FULL, or ENROLMENT when the policy requires a second factor             |
 * | password + TOTP/recovery code  | FULL, or PASSKEY_REQUIRED / ENROLMENT when the policy requires a passkey |
 *
 * An ENROLMENT session may only enrol what is missing (src/policies/credential-rules.ts lists its fields).
 */
import { SessionScope } from '../schema/enums';
import { EnrolledFactors } from './enrolled-factors';
import { FactorRequirement } from './factor-requirements';

export type ProvedFactors = 'PASSWORD' | 'PASSWORD_AND_CODE' | 'PASSKEY';

export type SignInStep =
  | { kind: 'OPEN'; scope: SessionScope }
  | { kind: 'SECOND_FACTOR' }
  | { kind: 'PASSKEY_REQUIRED' };

const open = (scope: SessionScope): SignInStep => ({ kind: 'OPEN', scope });

export function nextSignInStep(required: FactorRequirement, enrolled: EnrolledFactors, proved: ProvedFactors): SignInStep {
  if (proved === 'PASSKEY') return open(SessionScope.FULL);
  if (proved === 'PASSWORD') {
    if (enrolled.totp) return { kind: 'SECOND_FACTOR' };
    if (enrolled.passkeys > 0) return { kind: 'PASSKEY_REQUIRED' };
    return open(required.secondFactor || required.passkey ? SessionScope.ENROLMENT : SessionScope.FULL);
  }
  // Password and a TOTP or recovery code.
  if (!required.passkey) return open(SessionScope.FULL);
  return enrolled.passkeys > 0 ? { kind: 'PASSKEY_REQUIRED' } : open(SessionScope.ENROLMENT);
}
