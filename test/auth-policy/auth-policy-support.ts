/**
 * Shared steps of the auth-policy suites: ageing a session's proof of identity or idle clock by owner SQL (as if
 * minutes had passed), changing the chain's policy through the API, and reading an error's reason.
 */
import { createHash } from 'node:crypto';
import { GraphQLResult } from '../support/graphql-client';
import type { TestApp } from '../support/test-app';

/** A session token is stored as its SHA-256 (docs/api.md, sessions). */
const tokenHash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export const POLICY_FIELDS = 'secondFactorRoleIds passkeyRoleIds idleTimeoutMinutes sessionMaxHours isDefault updatedAt';
export const UPDATE_POLICY = `mutation($input: UpdateAuthPolicyInput!) { updateAuthPolicy(input: $input) { ${POLICY_FIELDS} } }`;
export const REAUTHENTICATE = 'mutation($p: String!, $c: String) { reauthenticate(password: $p, code: $c) { authenticatedAt validUntil } }';

export interface PolicyData {
  secondFactorRoleIds: string[];
  passkeyRoleIds: string[];
  idleTimeoutMinutes: number;
  sessionMaxHours: number;
  isDefault: boolean;
  updatedAt: string | null;
}

/** Moves the session's last proof of identity `minutes` into the past. */
export async function ageAuthentication(app: TestApp, token: string, minutes: number): Promise<void> {
  await app.ownerCore.query(`UPDATE session SET authenticated_at = now() - make_interval(secs => $2::float8 * 60) WHERE token_hash = $1`, [tokenHash(token), minutes]);
}

/** Moves the session's idle clock `minutes` into the past. */
export async function ageIdle(app: TestApp, token: string, minutes: number): Promise<void> {
  await app.ownerCore.query(`UPDATE session SET last_seen_at = now() - make_interval(secs => $2::float8 * 60) WHERE token_hash = $1`, [tokenHash(token), minutes]);
}

export async function sessionRow(app: TestApp, token: string): Promise<{ idleMinutes: number; maxExpiresAt: Date; createdAt: Date; scope: string }> {
  const [row] = await app.ownerCore.query(
    `SELECT idle_minutes AS "idleMinutes", max_expires_at AS "maxExpiresAt", created_at AS "createdAt", scope FROM session WHERE token_hash = $1`,
    [tokenHash(token)],
  );
  return row;
}

export async function roleId(app: TestApp, chainName: string, roleName: string): Promise<string> {
  const [row] = await app.ownerCore.query(
    'SELECT r.id::text AS id FROM role r JOIN chain c ON c.id = r.chain_id WHERE c.name = $1 AND r.name = $2', [chainName, roleName],
  );
  if (!row) throw new Error(`no role ${roleName} in ${chainName}`);
  return row.id;
}

export function reasons(result: GraphQLResult<unknown>): (string | undefined)[] {
  return (result.errors ?? []).map((e) => (e.extensions as { reason?: string } | undefined)?.reason);
}
