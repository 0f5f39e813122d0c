/**
 * Which factors a user must sign in with, from their chain's auth policy and the roles they hold now
 * (`authPolicy`, src/services/auth-policy/): a second factor, and whether it must be a passkey.
 *
 * PLACEHOLDER until the auth policy lands (issue 13): nothing is required.
 */
import { EntityManager } from 'typeorm';

export interface FactorRequirement {
  /** The user must sign in with a second factor (TOTP, a recovery code, or a passkey). */
  secondFactor: boolean;
  /** The second factor must be a passkey (phishing-resistant). Implies `secondFactor`. */
  passkey: boolean;
}

export async function requiredFactors(_db: EntityManager, _user: { id: string; chainId: string }): Promise<FactorRequirement> {
  return { secondFactor: false, passkey: false };
}
