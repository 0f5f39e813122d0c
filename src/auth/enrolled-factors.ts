/**
 * Which second factors a user has enrolled: a confirmed TOTP authenticator (src/auth/totp/), passkeys
 * (src/auth/passkeys/). Password rules (8 characters with a second factor, 15 without) and sign-in read it.
 *
 * PLACEHOLDER until TOTP and passkeys land (issue 13): nothing is enrolled.
 */
import { EntityManager } from 'typeorm';

export interface EnrolledFactors {
  totp: boolean;
  passkeys: number;
}

export async function enrolledFactors(_db: EntityManager, _userId: string): Promise<EnrolledFactors> {
  return { totp: false, passkeys: 0 };
}

export function hasSecondFactor(factors: EnrolledFactors): boolean {
  return factors.totp || factors.passkeys > 0;
}
