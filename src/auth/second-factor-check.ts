/**
 * Checks a second-factor code a user typed (a TOTP code, or one of their recovery codes) and, when it is good,
 * spends it: a TOTP time step is accepted once (only a step later than `user_totp.last_used_step`), a recovery code
 * once ever (`recovery_code.used_at`). Used by `verifyMfa` and `reauthenticate`. Run inside the caller's
 * transaction: the user's TOTP row is locked FOR UPDATE, and a recovery code is spent by an UPDATE that requires it
 * unused (its argon2id hash is checked first, without a lock), so of concurrent callers with one code exactly one
 * is told it is good.
 *
 * A spent recovery code raises a RECOVERY_CODE_USED security event in the same transaction (a plain insert here:
 * src/audit is a higher layer), so every way a recovery code is used is seen by the chain's reviewers.
 */
import { EntityManager } from 'typeorm';
import { SecurityEventKind } from '../schema/enums';
import { SecondFactorKind } from './open-session';
import { matchingStep } from './totp/totp-codes';
import { normaliseRecoveryCode, recoveryCodeMatches } from './totp/recovery-codes';

/** Longest text taken as a code (longer is never one); callers refuse longer input as BAD_USER_INPUT first. */
export const MAX_CODE_LENGTH = 64;
/** What a typed code may hold: digits, letters, spaces and dashes (a TOTP code, or a recovery code however grouped). */
export const CODE_CHARACTERS = /^[0-9A-Za-z -]+$/;

/** Which factor the code proved (TOTP or RECOVERY_CODE), or null when it is not good. Run inside the caller's transaction. */
export async function spendSecondFactorCode(tx: EntityManager, userId: string, code: string): Promise<Extract<SecondFactorKind, 'TOTP' | 'RECOVERY_CODE'> | null> {
  if (typeof code !== 'string' || code.length === 0 || code.length > MAX_CODE_LENGTH || !CODE_CHARACTERS.test(code)) return null;
  const compact = code.replace(/ +/g, '');
  if (/^\d{6}$/.test(compact)) return (await spendTotpCode(tx, userId, compact)) ? 'TOTP' : null;
  return (await spendRecoveryCode(tx, userId, code)) ? 'RECOVERY_CODE' : null;
}

async function spendTotpCode(tx: EntityManager, userId: string, code: string): Promise<boolean> {
  const rows: { secret: Buffer; lastUsedStep: string | null }[] = await tx.query(
    `SELECT secret, last_used_step::text AS "lastUsedStep" FROM user_totp
      WHERE user_id = $1 AND confirmed_at IS NOT NULL AND secret IS NOT NULL FOR UPDATE`,
    [userId],
  );
  const row = rows[0];
  if (!row) return false;
  const step = await matchingStep(row.secret, code);
  if (step === null || (row.lastUsedStep !== null && step <= Number(row.lastUsedStep))) return false;
  await tx.query('UPDATE user_totp SET last_used_step = $2 WHERE user_id = $1', [userId, step]);
  return true;
}

async function spendRecoveryCode(tx: EntityManager, userId: string, code: string): Promise<boolean> {
  const normalised = normaliseRecoveryCode(code);
  if (!normalised) return false;
  const unused: { id: string; codeHash: string }[] = await tx.query(
    'SELECT id, code_hash AS "codeHash" FROM recovery_code WHERE user_id = $1 AND used_at IS NULL ORDER BY id', [userId],
  );
  let matched: string | null = null;
  for (const candidate of unused) {
    if (await recoveryCodeMatches(candidate.codeHash, normalised)) {
      matched = candidate.id;
      break;
    }
  }
  if (!matched) return false;
  // Spent only if still unused: of concurrent spenders of one code, exactly one updates the row.
  const spent: { chainId: string }[] = await tx.query(
    `WITH spent AS (UPDATE recovery_code SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING user_id)
     SELECT u.chain_id AS "chainId" FROM spent JOIN staff_user u ON u.id = spent.user_id`,
    [matched],
  );
  if (spent.length === 0) return false;
  await tx.query(
    `INSERT INTO security_event (chain_id, kind, user_id, window_start, window_end, observed_count, threshold)
     VALUES ($1, $2, $3, now(), now(), 1, 1)`,
    [spent[0].chainId, SecurityEventKind.RECOVERY_CODE_USED, userId],
  );
  return true;
}
