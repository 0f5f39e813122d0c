/**
 * Checks a second-factor code a user typed (a TOTP code, or one of their recovery codes) and, when it is good,
 * spends it: a TOTP time step is accepted once, a recovery code once ever. Used by `verifyMfa` and `reauthenticate`.
 *
 * PLACEHOLDER until TOTP lands (issue 13): no code is ever good.
 */
import { EntityManager } from 'typeorm';
import { SecondFactorKind } from './open-session';

/** Which factor the code proved (TOTP or RECOVERY_CODE), or null when it is not good. Run inside the caller's transaction. */
export async function spendSecondFactorCode(_tx: EntityManager, _userId: string, _code: string): Promise<Extract<SecondFactorKind, 'TOTP' | 'RECOVERY_CODE'> | null> {
  return null;
}
