/**
 * No lock-out: a chain always keeps at least one permanent, chain-wide assignment, held by an active
 * user, of a role that can manage both roles and assignments (`manage` on Role and on RoleAssignment,
 * every field). Checked inside the transaction of every role or assignment change, after the change,
 * so a violating change rolls back; the transaction holds the chain's lock (lockChainRoles), so two
 * concurrent changes cannot each leave the other's manager as the last one.
 */
import { EntityManager } from 'typeorm';
import { forbidden } from '../errors/errors';

/** Serialises role and assignment changes of one chain: call first in each such transaction. */
export async function lockChainRoles(tx: EntityManager, chainId: string): Promise<void> {
  await tx.query('SELECT 1 FROM chain WHERE id = $1 FOR UPDATE', [chainId]);
}

export async function assertChainKeepsRoleManager(tx: EntityManager, chainId: string): Promise<void> {
  const [{ n }]: { n: number }[] = await tx.query(
    `SELECT count(*)::int AS n
       FROM role_assignment ra
       JOIN staff_user u ON u.id = ra.user_id AND u.status = 'ACTIVE'
      WHERE ra.chain_id = $1 AND ra.scope_type = 'CHAIN'
        AND (ra.valid_from IS NULL OR ra.valid_from <= now()) AND ra.valid_until IS NULL
        AND EXISTS (SELECT 1 FROM role_permission rp WHERE rp.role_id = ra.role_id AND rp.subject = 'Role' AND rp.action = 'manage' AND rp.fields IS NULL)
        AND EXISTS (SELECT 1 FROM role_permission rp WHERE rp.role_id = ra.role_id AND rp.subject = 'RoleAssignment' AND rp.action = 'manage' AND rp.fields IS NULL)`,
    [chainId],
  );
  if (n === 0) throw forbidden('This would leave the chain without anyone able to manage roles and assignments; give that role to someone else first.');
}
