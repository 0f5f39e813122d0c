/**
 * API tokens for service accounts in tests. A service account (kind SERVICE, e.g. the demo BI user) cannot sign
 * in with a password; `issueApiToken` makes a token for it as the seed and `createApiToken` would (the hash stored,
 * the text returned), written as the databases' owner, so a suite can act as it without a chain manager's request.
 */
import { DataSource } from 'typeorm';
import { hashApiToken, newApiToken } from '../../src/auth/api-token';

export interface IssuedToken {
  id: string;
  token: string;
}

/** The id of the SERVICE user with this email, or null when there is none (a member of staff, or nobody). */
export async function serviceAccountId(owner: DataSource, email: string): Promise<string | null> {
  const rows: { id: string }[] = await owner.query(`SELECT id::text AS id FROM staff_user WHERE email = $1 AND kind = 'SERVICE'`, [email.trim().toLowerCase()]);
  return rows[0]?.id ?? null;
}

/** A new token of the user (default: valid for a day, created by the user itself). */
export async function issueApiToken(
  owner: DataSource, userId: string, options: { name?: string; expiresAt?: Date; createdById?: string } = {},
): Promise<IssuedToken> {
  const token = newApiToken();
  const [row]: { id: string }[] = await owner.query(
    `INSERT INTO api_token (chain_id, user_id, name, token_hash, created_by_id, expires_at)
     SELECT u.chain_id, u.id, $2, $3, $4, $5 FROM staff_user u WHERE u.id = $1 RETURNING id::text AS id`,
    [userId, options.name ?? 'test token', hashApiToken(token), options.createdById ?? userId, options.expiresAt ?? new Date(Date.now() + 86400_000)],
  );
  if (!row) throw new Error(`issueApiToken: no user ${userId}`);
  return { id: row.id, token };
}
