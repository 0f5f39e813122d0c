/**
 * Which second factors a user has enrolled: a confirmed TOTP authenticator (src/auth/totp/), passkeys
 * (src/auth/passkeys/, table passkey). Password rules (8 characters with a second factor, 15 without) and sign-in read it.
 *
 * The TOTP part is a PLACEHOLDER until TOTP lands (issue 13): never enrolled.
 */
import { EntityManager } from 'typeorm';

export interface EnrolledFactors {
  totp: boolean;
  passkeys: number;
}

export async function enrolledFactors(db: EntityManager, userId: string): Promise<EnrolledFactors> {
  const [passkeys]: { count: string }[] = await db.query('SELECT count(*) AS count FROM passkey WHERE user_id = $1', [userId]);
  return { totp: false, passkeys: Number(passkeys.count) };
}

export function hasSecondFactor(factors: EnrolledFactors): boolean {
  return factors.totp || factors.passkeys > 0;
}
