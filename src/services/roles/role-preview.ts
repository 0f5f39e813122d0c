/**
 * Dry run of a role change: for every user holding the role (assignments in force now), at every
 * store of the chain where the caller may see assignments, the permissions they would gain or lose if the proposed entries replaced the
 * role's current ones. Nothing is written.
 */
import { abilityFromRules, GrantRow, rulesFor } from '../../policies/ability';
import { ASSIGNMENT_IN_FORCE_SQL, ASSIGNMENT_STORE_IDS_SQL, loadGrants } from '../../policies/grant-queries';
import { grantedPermissions, keyOf } from '../../policies/permission-matrix';
import { Store } from '../../schema/core/store.entity';
import { User } from '../../schema/core/user.entity';
import { PermissionChange, PermissionChangeKind } from '../../schema/roles/matrix.types';
import { UpdateRoleInput } from '../../schema/inputs/role.inputs';
import { validateEntries } from './role-entries';
import { mayViewAssignmentsAt } from './matrix-service';
import { getRole } from './role-service';
import { AuthenticatedContext } from '../../context/authenticated-context';

export async function previewRoleChange(ctx: AuthenticatedContext, roleId: string, input: UpdateRoleInput): Promise<PermissionChange[]> {
  const { principal, ability: callerAbility } = ctx;
  const manager = ctx.core.manager;
  const role = await getRole(ctx, roleId);
  const proposed = input.permissions ? validateEntries(input.permissions, 'input.permissions') : null;
  if (!proposed) return [];
  const holders: { userId: string }[] = await manager.query(
    `SELECT DISTINCT ra.user_id AS "userId" FROM role_assignment ra WHERE ra.role_id = $1 AND ${ASSIGNMENT_IN_FORCE_SQL}`,
    [role.id],
  );
  // Only the stores where the caller may see who holds what.
  const stores = (await manager.getRepository(Store).find({ where: { chainId: principal.chainId }, order: { name: 'ASC' } }))
    .filter((store) => mayViewAssignmentsAt(callerAbility, principal.chainId, store.id));
  const users = new Map((await manager.getRepository(User).findBy({ chainId: principal.chainId })).map((u) => [u.id, u]));
  const changes: PermissionChange[] = [];
  for (const { userId } of holders) {
    const target = { userId, chainId: principal.chainId, sessionId: '' };
    const grants = await loadGrants(ctx.core, target);
    // This user's assignments of the role, with the stores they cover: the proposed entries replace
    // the role's current ones on each (also when the role has no entries yet).
    const roleAssignments: Omit<GrantRow, 'action' | 'subject' | 'fields'>[] = await manager.query(
      `SELECT ra.id AS "assignmentId", ra.scope_type AS "scopeType", ${ASSIGNMENT_STORE_IDS_SQL} AS "storeIds"
         FROM role_assignment ra WHERE ra.role_id = $1 AND ra.user_id = $2 AND ${ASSIGNMENT_IN_FORCE_SQL}`,
      [role.id, userId],
    );
    const ofRole = new Set(roleAssignments.map((a) => a.assignmentId));
    const others = grants.filter((g) => !g.assignmentId || !ofRole.has(g.assignmentId));
    const replaced: GrantRow[] = roleAssignments.flatMap((assignment) =>
      proposed.map((entry) => ({ ...assignment, action: entry.action, subject: entry.subject, fields: entry.fields })));
    const before = abilityFromRules(rulesFor(target, grants));
    const after = abilityFromRules(rulesFor(target, [...others, ...replaced]));
    for (const store of stores) {
      const scope = { chainId: principal.chainId, storeId: store.id };
      const was = new Map(grantedPermissions(before, scope).map((p) => [keyOf(p), p]));
      const will = new Map(grantedPermissions(after, scope).map((p) => [keyOf(p), p]));
      for (const [key, p] of will) if (!was.has(key)) changes.push({ user: users.get(userId) ?? null, store, subject: p.subject, action: p.action, field: p.field, change: PermissionChangeKind.GAINED });
      for (const [key, p] of was) if (!will.has(key)) changes.push({ user: users.get(userId) ?? null, store, subject: p.subject, action: p.action, field: p.field, change: PermissionChangeKind.LOST });
    }
  }
  return changes;
}
