/**
 * Records a change to a role or an assignment (who, when, before, after) and bumps the chain's
 * authz version, in the caller's transaction: cached abilities are rebuilt on their next request.
 */
import { holdUnprovenSessions } from '../../auth/session-requirement-hold';
import { EntityManager } from 'typeorm';

export type RoleChangeAction = 'ROLE_CREATED' | 'ROLE_UPDATED' | 'ROLE_DELETED' | 'ASSIGNMENT_CREATED' | 'ASSIGNMENT_REVOKED';

export interface RoleChangeRecord {
  chainId: string;
  actorId: string;
  action: RoleChangeAction;
  roleId?: string | null;
  assignmentId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export async function recordRoleChange(tx: EntityManager, change: RoleChangeRecord): Promise<void> {
  await tx.query(
    `INSERT INTO role_change (chain_id, actor_id, action, role_id, assignment_id, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [change.chainId, change.actorId, change.action, change.roleId ?? null, change.assignmentId ?? null,
      change.before === undefined || change.before === null ? null : JSON.stringify(change.before),
      change.after === undefined || change.after === null ? null : JSON.stringify(change.after)],
  );
  await bumpAuthzVersion(tx, change.chainId);
  // A role given or widened may now require a second factor some open sessions did not prove.
  await holdUnprovenSessions(tx, change.chainId);
}

/** Invalidates every cached ability of the chain, in every API process (see policies/ability-cache.ts). */
export async function bumpAuthzVersion(tx: EntityManager, chainId: string): Promise<void> {
  await tx.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = $1', [chainId]);
}
