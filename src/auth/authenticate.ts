/**
 * Resolves a presented token to a principal in one statement. A session token: the session must be open,
 * not idle for longer than its own idle timeout (`session.idle_minutes`: the chain's auth policy when it was opened,
 * src/auth/session-limits.ts), and within its absolute lifetime; using it moves its idle
 * clock. An API token (`vsa_…`, src/auth/api-token.ts): not revoked, not expired, its user ACTIVE and of
 * kind SERVICE in the token's chain; using it moves `last_used_at`, and the principal's `sessionId` is the
 * token's id. The same statement reads the chain's authz version, which says whether a cached ability is stale.
 *
 * The clock moves at most every TOUCH_EVERY_SECONDS (a session: at most every 5% of its idle timeout when that is
 * shorter, 3 s for a 1-minute timeout): a request within that time of the last recorded use writes nothing, so a
 * busy session's requests are reads (no row version, no WAL record, no commit to flush to disk on every page).
 * The cost is on the safe side only: a session may end up to that many seconds before its idle timeout counted
 * from its very last request, never after it. The write re-checks that the session is still open (the token not
 * revoked): a sign-out committed while the statement ran leaves the ended row as it was.
 */
import { DataSource } from 'typeorm';
import { Config } from '../config/config';
import { Principal } from '../policies/ability';
import { hashApiToken, isApiToken } from './api-token';
import { SessionScope } from '../schema/enums';
import { SecondFactorKind } from './open-session';
import { hashSessionToken } from './session-token';

/** How stale `last_seen_at` / `last_used_at` may get before a request moves it (far below any idle timeout, which is in minutes). */
const TOUCH_EVERY_SECONDS = 15;

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
    `WITH live AS (SELECT s.id, s.user_id, s.chain_id, s.scope, s.authenticated_at, s.second_factor, s.last_seen_at, s.idle_minutes
       FROM session s JOIN staff_user u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.ended_at IS NULL
        AND s.last_seen_at > now() - make_interval(mins => s.idle_minutes)
        AND s.max_expires_at > now()
        AND u.status = 'ACTIVE'),
     touched AS (UPDATE session s SET last_seen_at = now() FROM live
      WHERE s.id = live.id AND s.ended_at IS NULL AND live.last_seen_at < now() - make_interval(secs => least(${TOUCH_EVERY_SECONDS}, live.idle_minutes * 3)))
     SELECT l.user_id AS "userId", l.chain_id AS "chainId", l.id AS "sessionId", l.scope,
            l.authenticated_at AS "authenticatedAt", l.second_factor AS "secondFactor", c.authz_version AS "authzVersion"
       FROM live l JOIN chain c ON c.id = l.chain_id`,
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
    `WITH live AS (SELECT t.id, t.user_id, t.chain_id, t.last_used_at
       FROM api_token t JOIN staff_user u ON u.id = t.user_id AND u.chain_id = t.chain_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()
        AND u.status = 'ACTIVE' AND u.kind = 'SERVICE'),
     touched AS (UPDATE api_token t SET last_used_at = now() FROM live
      WHERE t.id = live.id AND t.revoked_at IS NULL AND (live.last_used_at IS NULL OR live.last_used_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS})))
     SELECT l.user_id AS "userId", l.chain_id AS "chainId", l.id AS "sessionId", c.authz_version AS "authzVersion"
       FROM live l JOIN chain c ON c.id = l.chain_id`,
    [hashApiToken(token)],
  );
  const row = rows[0];
  return row ? { principal: { userId: row.userId, chainId: row.chainId, sessionId: row.sessionId }, credential: { kind: 'API_TOKEN' }, authzVersion: String(row.authzVersion) } : null;
}

/** Ends a signed-in session (logout). Given an API token's id it matches no session and ends nothing: a token ends only by revocation or expiry. */
export async function endSession(core: DataSource, sessionId: string): Promise<void> {
  await core.query(`UPDATE session SET ended_at = now(), ended_reason = 'LOGOUT' WHERE id = $1 AND ended_at IS NULL`, [sessionId]);
}
