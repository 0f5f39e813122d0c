/**
 * What the security settings history (setting `SecondFactor`) records about a user's second factor: whether TOTP is
 * on, when the authenticator in use was confirmed (a replacement shows as a new date), and how many recovery codes are
 * left. Never the secret, a code or a hash.
 */
import { EntityManager } from 'typeorm';

export interface SecondFactorRecord extends Record<string, unknown> {
  totp: boolean;
  totpConfirmedAt: string | null;
  recoveryCodesLeft: number;
}

export async function recoveryCodesLeft(tx: EntityManager, userId: string): Promise<number> {
  const [row]: { n: string }[] = await tx.query('SELECT count(*) AS n FROM recovery_code WHERE user_id = $1 AND used_at IS NULL', [userId]);
  return Number(row.n);
}

export async function secondFactorRecord(tx: EntityManager, userId: string): Promise<SecondFactorRecord> {
  const rows: { confirmedAt: Date }[] = await tx.query(
    'SELECT confirmed_at AS "confirmedAt" FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL AND secret IS NOT NULL', [userId],
  );
  const confirmedAt = rows[0] ? new Date(rows[0].confirmedAt).toISOString() : null;
  return { totp: confirmedAt !== null, totpConfirmedAt: confirmedAt, recoveryCodesLeft: await recoveryCodesLeft(tx, userId) };
}
