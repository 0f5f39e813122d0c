/**
 * No lock-out: a chain always keeps at least one permanent, chain-wide assignment, held by an active
 * user, of a role able to manage roles (manage or update on Role, every field). Checked inside the
 * transaction of every role or assignment change, after the change, so a violating change rolls back.
 */
import { EntityManager } from 'typeorm';
import { forbidden } from '../errors/errors';

export async function assertChainKeepsRoleManager(tx: EntityManager, chainId: string): Promise<void> {
  const [{ n }]: { n: number }[] = await tx.query(
    `SELECT count(*)::int AS n
       FROM role_assignment ra
       JOIN staff_user u ON u.id = ra.user_id AND u.status = 'ACTIVE'
       JOIN role_permission rp ON rp.role_id = ra.role_id
      WHERE ra.chain_id = $1 AND ra.scope_type = 'CHAIN'
        AND (ra.valid_from IS NULL OR ra.valid_from <= now()) AND ra.valid_until IS NULL
        AND rp.subject = 'Role' AND rp.action IN ('manage', 'update') AND rp.fields IS NULL`,
    [chainId],
  );
  if (n === 0) throw forbidden('This would leave the chain without anyone able to manage roles; give the role to someone else first.');
}
