/**
 * Role assignments: give a user a role at the chain, a region or a store (optionally from / until
 * a time), and revoke one. The caller must be allowed to assign at that scope and must hold every
 * entry of the role there themselves, for the whole window they give (src/policies/escalation-guard.ts:
 * a right held until Friday is granted until Friday at the latest); revoking may not leave the chain
 * without a role manager.
 */
import { EntityManager } from 'typeorm';
import { badInput, notFound } from '../../errors/errors';
import { assertHoldsEntries, loadGranterRights, scopeTargets } from '../../policies/escalation-guard';
import { assertMay } from '../../policies/input-guard';
import { assertChainKeepsRoleManager, lockChainRoles } from '../../policies/lockout-guard';
import { Region } from '../../schema/core/region.entity';
import { RoleAssignment } from '../../schema/core/role-assignment.entity';
import { RolePermission } from '../../schema/core/role-permission.entity';
import { Store } from '../../schema/core/store.entity';
import { User } from '../../schema/core/user.entity';
import { ScopeType } from '../../schema/enums';
import { AssignRoleInput } from '../../schema/inputs/role.inputs';
import { isUuid } from '../../schema/uuid';
import { recordRoleChange } from './role-change-log';
import { assignmentSnapshot, findRole } from './role-service';
import { storesOfScope } from './scope-stores';
import { AuthenticatedContext } from '../../context/authenticated-context';

async function findChainRow<E extends { id: string; chainId: string }>(tx: EntityManager, entity: new () => E, chainId: string, id: string | null | undefined): Promise<E | null> {
  if (!id || !isUuid(id)) return null;
  return tx.getRepository(entity).findOneBy({ id, chainId } as never);
}

function checkScopeShape(input: AssignRoleInput): void {
  if (input.scopeType === ScopeType.CHAIN && (input.regionId || input.storeId)) throw badInput('input.scopeType', 'a CHAIN assignment takes no regionId or storeId');
  if (input.scopeType === ScopeType.REGION && (!input.regionId || input.storeId)) throw badInput('input.regionId', 'a REGION assignment needs regionId (and no storeId)');
  if (input.scopeType === ScopeType.STORE && (!input.storeId || input.regionId)) throw badInput('input.storeId', 'a STORE assignment needs storeId (and no regionId)');
  if (input.validFrom && input.validUntil && !(input.validUntil > input.validFrom)) throw badInput('input.validUntil', 'must be after validFrom');
  if (input.validUntil && input.validUntil.getTime() <= Date.now()) throw badInput('input.validUntil', 'must be in the future');
}

export async function assignRole(ctx: AuthenticatedContext, input: AssignRoleInput): Promise<RoleAssignment> {
  const { principal, ability } = ctx;
  checkScopeShape(input);
  const chainId = principal.chainId;
  return ctx.core.transaction(async (tx) => {
    await lockChainRoles(tx, principal.chainId);
    const user = await findChainRow(tx, User, chainId, input.userId);
    if (!user) throw notFound('User');
    const role = await findRole(tx, principal, input.roleId);
    if (input.scopeType === ScopeType.REGION && !(await findChainRow(tx, Region, chainId, input.regionId))) throw badInput('input.regionId', 'is not a region of this chain');
    if (input.scopeType === ScopeType.STORE && !(await findChainRow(tx, Store, chainId, input.storeId))) throw badInput('input.storeId', 'is not a store of this chain');
    const scope = { scopeType: input.scopeType, regionId: input.regionId ?? null, storeId: input.storeId ?? null };
    const targets = scopeTargets(chainId, await storesOfScope(tx, chainId, scope));
    // What the caller holds now, read in this transaction (an assignment of theirs revoked a moment ago, even
    // earlier in this request, no longer counts): the right to assign there, every entry, for the whole window.
    const rights = await loadGranterRights(tx, principal);
    for (const target of targets) {
      assertMay(ability, 'create', 'RoleAssignment', target);
      assertMay(rights.ability, 'create', 'RoleAssignment', target);
    }
    const entries = await tx.getRepository(RolePermission).findBy({ roleId: role.id });
    const window = { from: input.validFrom ?? new Date(), until: input.validUntil ?? null };
    assertHoldsEntries(rights, entries, targets, window);
    const repo = tx.getRepository(RoleAssignment);
    const assignment = repo.create({
      chainId, userId: user.id, roleId: role.id, ...scope,
      validFrom: input.validFrom ?? null, validUntil: input.validUntil ?? null, createdById: principal.userId,
    });
    await repo.insert(assignment);
    const saved = await repo.findOneByOrFail({ id: assignment.id });
    await recordRoleChange(tx, { chainId, actorId: principal.userId, action: 'ASSIGNMENT_CREATED', roleId: role.id, assignmentId: saved.id, after: assignmentSnapshot(saved) });
    return saved;
  });
}

export async function revokeAssignment(ctx: AuthenticatedContext, id: string): Promise<boolean> {
  const { principal, ability } = ctx;
  return ctx.core.transaction(async (tx) => {
    await lockChainRoles(tx, principal.chainId);
    const assignment = await findChainRow(tx, RoleAssignment, principal.chainId, id);
    if (!assignment) throw notFound('Role assignment');
    const targets = scopeTargets(principal.chainId, await storesOfScope(tx, principal.chainId, assignment));
    for (const target of targets) assertMay(ability, 'erase', 'RoleAssignment', target);
    await tx.getRepository(RoleAssignment).delete({ id: assignment.id });
    await assertChainKeepsRoleManager(tx, principal.chainId);
    await recordRoleChange(tx, { chainId: principal.chainId, actorId: principal.userId, action: 'ASSIGNMENT_REVOKED', roleId: assignment.roleId, assignmentId: assignment.id, before: assignmentSnapshot(assignment) });
    return true;
  });
}
