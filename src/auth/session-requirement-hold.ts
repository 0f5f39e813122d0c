/**
 * Holding open sessions to what their sign-in proved when the requirements change: after a role is given, changed
 * or the chain's auth policy is tightened, a FULL session whose user must now use a second factor the session did
 * not prove (or a passkey, when it proved something else) becomes an ENROLMENT session, in the caller's transaction.
 * `authenticate` reads the scope on every request, so the next request of that session may only enrol the factor
 * (docs/auth-policy.md). Called by the role change log (every role and assignment change) and `updateAuthPolicy`.
 */
import { EntityManager } from 'typeorm';
import { factorRoles, factorsForRoles } from './factor-requirements';
import { SecondFactorKind } from './open-session';

interface OpenSessionRoles {
  sessionId: string;
  secondFactor: SecondFactorKind | null;
  roleIds: string[];
}

/** Returns the ids of the sessions it turned into ENROLMENT sessions. */
export async function holdUnprovenSessions(tx: EntityManager, chainId: string): Promise<string[]> {
  const sessions: OpenSessionRoles[] = await tx.query(
    `SELECT s.id AS "sessionId", s.second_factor AS "secondFactor", array_agg(DISTINCT a.role_id::text) AS "roleIds"
       FROM session s
       JOIN role_assignment a ON a.user_id = s.user_id AND (a.valid_until IS NULL OR a.valid_until > now())
       JOIN role r ON r.id = a.role_id AND r.chain_id = $1
      WHERE s.chain_id = $1 AND s.ended_at IS NULL AND s.scope = 'FULL'
      GROUP BY s.id, s.second_factor`,
    [chainId],
  );
  if (sessions.length === 0) return [];
  const roles = await factorRoles(tx, chainId);
  const unproven = sessions.filter((session) => {
    const required = factorsForRoles(session.roleIds, roles);
    return (required.passkey && session.secondFactor !== 'PASSKEY') || (required.secondFactor && session.secondFactor === null);
  }).map((session) => session.sessionId);
  if (unproven.length > 0) await tx.query(`UPDATE session SET scope = 'ENROLMENT' WHERE id = ANY($1::uuid[]) AND ended_at IS NULL`, [unproven]);
  return unproven;
}
