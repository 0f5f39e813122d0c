/**
 * Which second factors a user has enrolled: a confirmed TOTP authenticator (src/auth/totp/, table user_totp),
 * passkeys (src/auth/passkeys/, table passkey). Password rules (8 characters with a second factor, 15 without) and
 * sign-in read it. An enrolment begun but not confirmed is not a factor.
 */
import { EntityManager } from 'typeorm';

export interface EnrolledFactors {
  totp: boolean;
  passkeys: number;
}

export async function enrolledFactors(db: EntityManager, userId: string): Promise<EnrolledFactors> {
  const totp: unknown[] = await db.query('SELECT 1 FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL AND secret IS NOT NULL', [userId]);
  const [passkeys]: { count: string }[] = await db.query('SELECT count(*) AS count FROM passkey WHERE user_id = $1', [userId]);
  return { totp: totp.length > 0, passkeys: Number(passkeys.count) };
}

export function hasSecondFactor(factors: EnrolledFactors): boolean {
  return factors.totp || factors.passkeys > 0;
}
