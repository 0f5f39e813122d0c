/**
 * Resolves a presented token to a principal in one statement. A session token: the session must be open,
 * not idle for longer than its own idle timeout (`session.idle_minutes`: the chain's auth policy when it was opened,
 * src/auth/session-limits.ts), and within its absolute lifetime; using it moves its idle
 * clock. An API token (`vsa_…`, src/auth/api-token.ts): not revoked, not expired, its user ACTIVE and of
 * kind SERVICE in the token's chain; using it moves `last_used_at`, and the principal's `sessionId` is the
 * token's id. The same statement reads the chain's authz version, which says whether a cached ability is stale.
 */
import { DataSource } from 'typeorm';
import { Config } from '../config/config';
import { Principal } from '../policies/ability';
import { hashApiToken, isApiToken } from './api-token';
import { SessionScope } from '../schema/enums';
import { SecondFactorKind } from './open-session';
import { hashSessionToken } from './session-token';

/**
 * What the presented credential says beyond who: for a session, its scope (an ENROLMENT session may only enrol a
 * second factor), when its holder last proved who they are, and with which second factor; an API token says nothing more.
 */
export type Credential =
  | { kind: 'SESSION'; scope: SessionScope; authenticatedAt: Date; secondFactor: SecondFactorKind | null }
  | { kind: 'API_TOKEN' };

export interface Authenticated {
  principal: Principal;
  credential: Credential;
  /** The chain's current authz version: cached abilities built for an older one are stale. */
  authzVersion: string;
}

interface SessionRow {
  userId: string;
  chainId: string;
  sessionId: string;
  scope: SessionScope;
  authenticatedAt: Date | string;
  secondFactor: SecondFactorKind | null;
  authzVersion: string;
}

export async function authenticate(core: DataSource, _config: Config, token: string): Promise<Authenticated | null> {
  if (isApiToken(token)) return authenticateApiToken(core, token);
  const rows: SessionRow[] = await core.query(
    // Wrapped in a CTE so the driver returns plain rows (it returns [rows, count] for a bare UPDATE).
    `WITH touched AS (UPDATE session s SET last_seen_at = now()
       FROM staff_user u
      WHERE s.token_hash = $1 AND s.ended_at IS NULL
        AND s.last_seen_at > now() - make_interval(mins => s.idle_minutes)
        AND s.max_expires_at > now()
        AND u.id = s.user_id AND u.status = 'ACTIVE'
      RETURNING s.user_id AS "userId", s.chain_id AS "chainId", s.id AS "sessionId", s.scope,
                s.authenticated_at AS "authenticatedAt", s.second_factor AS "secondFactor")
     SELECT t.*, c.authz_version AS "authzVersion" FROM touched t JOIN chain c ON c.id = t."chainId"`,
    [hashSessionToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    principal: { userId: row.userId, chainId: row.chainId, sessionId: row.sessionId },
    credential: { kind: 'SESSION', scope: row.scope, authenticatedAt: new Date(row.authenticatedAt), secondFactor: row.secondFactor },
    authzVersion: String(row.authzVersion),
  };
}

async function authenticateApiToken(core: DataSource, token: string): Promise<Authenticated | null> {
  const rows: { userId: string; chainId: string; sessionId: string; authzVersion: string }[] = await core.query(
    `WITH touched AS (UPDATE api_token t SET last_used_at = now()
       FROM staff_user u
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()
        AND u.id = t.user_id AND u.chain_id = t.chain_id AND u.status = 'ACTIVE' AND u.kind = 'SERVICE'
      RETURNING t.user_id AS "userId", t.chain_id AS "chainId", t.id AS "sessionId")
     SELECT t.*, c.authz_version AS "authzVersion" FROM touched t JOIN chain c ON c.id = t."chainId"`,
    [hashApiToken(token)],
  );
  const row = rows[0];
  return row ? { principal: { userId: row.userId, chainId: row.chainId, sessionId: row.sessionId }, credential: { kind: 'API_TOKEN' }, authzVersion: String(row.authzVersion) } : null;
}

/** Ends a signed-in session (logout). Given an API token's id it matches no session and ends nothing: a token ends only by revocation or expiry. */
export async function endSession(core: DataSource, sessionId: string): Promise<void> {
  await core.query(`UPDATE session SET ended_at = now(), ended_reason = 'LOGOUT' WHERE id = $1 AND ended_at IS NULL`, [sessionId]);
}
