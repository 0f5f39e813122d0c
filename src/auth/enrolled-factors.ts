/**
 * Which second factors a user has enrolled: a confirmed TOTP authenticator (src/auth/totp/, table user_totp),
 * passkeys (src/auth/passkeys/). Password rules (8 characters with a second factor, 15 without) and sign-in read it.
 * An enrolment begun but not confirmed is not a factor.
 *
 * The passkeys part is a PLACEHOLDER until passkeys land (issue 13): none are counted.
 */
import { EntityManager } from 'typeorm';

export interface EnrolledFactors {
  totp: boolean;
  passkeys: number;
}

export async function enrolledFactors(db: EntityManager, userId: string): Promise<EnrolledFactors> {
  const rows: unknown[] = await db.query('SELECT 1 FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL AND secret IS NOT NULL', [userId]);
  return { totp: rows.length > 0, passkeys: 0 };
}

export function hasSecondFactor(factors: EnrolledFactors): boolean {
  return factors.totp || factors.passkeys > 0;
}
