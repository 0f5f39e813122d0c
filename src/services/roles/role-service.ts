/**
 * Roles of the caller's chain: list, read, create, change (name, description, entries) and delete.
 * Every change checks the catalog, refuses privilege escalation (entries, scope and time: entries added to
 * a role held by others are granted to each holder for the rest of their assignment, which must lie within
 * what the caller holds; src/policies/escalation-guard.ts) and lock-out, is recorded with its before and
 * after, and invalidates cached abilities — all in one transaction.
 */
import { EntityManager } from 'typeorm';
import { badInput, notFound } from '../../errors/errors';
import { Principal } from '../../policies/ability';
import { assertHoldsEntries, EntryLike, loadGranterRights, scopeTargets, TimeWindow } from '../../policies/escalation-guard';
import { assertMay, RowScope } from '../../policies/input-guard';
import { assertChainKeepsRoleManager, lockChainRoles } from '../../policies/lockout-guard';
import { accessibleSql, SqlParams } from '../../policies/sql-condition';
import { RoleAssignment } from '../../schema/core/role-assignment.entity';
import { RolePermission } from '../../schema/core/role-permission.entity';
import { Role } from '../../schema/core/role.entity';
import { CreateRoleInput, UpdateRoleInput } from '../../schema/inputs/role.inputs';
import { isUuid } from '../../schema/uuid';
import { recordRoleChange } from './role-change-log';
import { entryKey, validateEntries } from './role-entries';
import { storesOfScope } from './scope-stores';
import { AuthenticatedContext } from '../../context/authenticated-context';

export const ROLE_COLUMNS = { chainId: 'r.chain_id', storeId: 'NULL::uuid', id: 'r.id' };

export async function listRoles(ctx: AuthenticatedContext): Promise<Role[]> {
  const { principal, ability } = ctx;
  const params = new SqlParams();
  return ctx.core.getRepository(Role).createQueryBuilder('r')
    .where('r.chainId = :chainId', { chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'Role', ROLE_COLUMNS, params), params.values)
    .orderBy('r.name').getMany();
}

export async function findRole(tx: EntityManager, principal: Principal, id: string, lock = false): Promise<Role> {
  if (!isUuid(id)) throw notFound('Role');
  const qb = tx.getRepository(Role).createQueryBuilder('r').where('r.id = :id AND r.chainId = :chainId', { id, chainId: principal.chainId });
  if (lock) qb.setLock('pessimistic_write');
  const role = await qb.getOne();
  if (!role) throw notFound('Role');
  return role;
}

export async function getRole(ctx: AuthenticatedContext, id: string): Promise<Role> {
  const { principal, ability } = ctx;
  if (!isUuid(id)) throw notFound('Role');
  const params = new SqlParams();
  const role = await ctx.core.getRepository(Role).createQueryBuilder('r')
    .where('r.id = :id AND r.chainId = :chainId', { id, chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'Role', ROLE_COLUMNS, params), params.values)
    .getOne();
  if (!role) throw notFound('Role');
  return role;
}

interface RoleSnapshot extends Record<string, unknown> {
  name: string;
  description: string;
  permissions: EntryLike[];
}

async function snapshot(tx: EntityManager, role: Role): Promise<RoleSnapshot> {
  const entries = await tx.getRepository(RolePermission).find({ where: { roleId: role.id }, order: { action: 'ASC', subject: 'ASC' } });
  return { name: role.name, description: role.description, permissions: entries.map((e) => ({ action: e.action, subject: e.subject, fields: e.fields })) };
}

async function assertNameFree(tx: EntityManager, chainId: string, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.getRepository(Role).findOneBy({ chainId, name });
  if (clash && clash.id !== exceptId) throw badInput('input.name', 'another role of this chain has that name');
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw badInput('input.name', 'must be 1 to 100 characters');
  return trimmed;
}

function cleanDescription(description: string | null | undefined): string {
  const trimmed = (description ?? '').trim();
  if (trimmed.length > 1000) throw badInput('input.description', 'must be at most 1000 characters');
  return trimmed;
}

export async function createRole(ctx: AuthenticatedContext, input: CreateRoleInput): Promise<Role> {
  const { principal, ability } = ctx;
  const name = cleanName(input.name);
  const description = cleanDescription(input.description);
  const entries = validateEntries(input.permissions, 'input.permissions');
  return ctx.core.transaction(async (tx) => {
    await lockChainRoles(tx, principal.chainId);
    assertMay(ability, 'create', 'Role', { chainId: principal.chainId });
    await assertNameFree(tx, principal.chainId, name);
    const role = await tx.getRepository(Role).save({ chainId: principal.chainId, name, description });
    if (entries.length) await tx.getRepository(RolePermission).insert(entries.map((e) => ({ ...e, roleId: role.id })));
    await recordRoleChange(tx, { chainId: principal.chainId, actorId: principal.userId, action: 'ROLE_CREATED', roleId: role.id, after: await snapshot(tx, role) });
    return role;
  });
}

/** A holding of a role that new entries would reach: the row scopes it covers, and for how long from now. */
interface Holding {
  targets: RowScope[];
  window: TimeWindow;
}

/**
 * Where and until when a role is held (assignments not yet ended): adding an entry grants it at those row
 * scopes for the rest of each assignment, [max(now, validFrom), validUntil).
 */
async function heldAt(tx: EntityManager, role: Role): Promise<Holding[]> {
  const assignments = await tx.query(
    `SELECT scope_type AS "scopeType", region_id AS "regionId", store_id AS "storeId", valid_from AS "validFrom", valid_until AS "validUntil"
       FROM role_assignment WHERE role_id = $1 AND (valid_until IS NULL OR valid_until > now())`,
    [role.id],
  ) as Pick<RoleAssignment, 'scopeType' | 'regionId' | 'storeId' | 'validFrom' | 'validUntil'>[];
  const now = new Date();
  const holdings: Holding[] = [];
  for (const assignment of assignments) {
    const from = assignment.validFrom && assignment.validFrom > now ? assignment.validFrom : now;
    holdings.push({ targets: scopeTargets(role.chainId, await storesOfScope(tx, role.chainId, assignment)), window: { from, until: assignment.validUntil } });
  }
  return holdings;
}

export async function updateRole(ctx: AuthenticatedContext, id: string, input: UpdateRoleInput): Promise<Role> {
  const { principal, ability } = ctx;
  const name = input.name === undefined || input.name === null ? undefined : cleanName(input.name);
  const description = input.description === undefined ? undefined : cleanDescription(input.description);
  const entries = input.permissions === undefined || input.permissions === null ? undefined : validateEntries(input.permissions, 'input.permissions');
  if (name === undefined && description === undefined && entries === undefined) throw badInput('input', 'sets no field');
  return ctx.core.transaction(async (tx) => {
    await lockChainRoles(tx, principal.chainId);
    const role = await findRole(tx, principal, id, true);
    assertMay(ability, 'update', 'Role', { chainId: principal.chainId, id });
    const before = await snapshot(tx, role);
    if (name !== undefined) {
      await assertNameFree(tx, principal.chainId, name, role.id);
      role.name = name;
    }
    if (description !== undefined) role.description = description;
    await tx.getRepository(Role).update({ id: role.id }, { name: role.name, description: role.description });
    if (entries !== undefined) {
      const existing = new Set(before.permissions.map(entryKey));
      const added = entries.filter((e) => !existing.has(entryKey(e)));
      if (added.length) {
        const rights = await loadGranterRights(tx, principal);
        for (const holding of await heldAt(tx, role)) assertHoldsEntries(rights, added, holding.targets, holding.window);
      }
      await tx.getRepository(RolePermission).delete({ roleId: role.id });
      if (entries.length) await tx.getRepository(RolePermission).insert(entries.map((e) => ({ ...e, roleId: role.id })));
    }
    await assertChainKeepsRoleManager(tx, principal.chainId);
    await recordRoleChange(tx, { chainId: principal.chainId, actorId: principal.userId, action: 'ROLE_UPDATED', roleId: role.id, before, after: await snapshot(tx, role) });
    return role;
  });
}

export async function deleteRole(ctx: AuthenticatedContext, id: string, removeAssignments: boolean): Promise<boolean> {
  const { principal, ability } = ctx;
  return ctx.core.transaction(async (tx) => {
    await lockChainRoles(tx, principal.chainId);
    const role = await findRole(tx, principal, id, true);
    assertMay(ability, 'erase', 'Role', { chainId: principal.chainId, id });
    const assignments = await tx.getRepository(RoleAssignment).findBy({ roleId: role.id });
    if (assignments.length && !removeAssignments) {
      throw badInput('removeAssignments', `the role is held by ${assignments.length} assignment(s): revoke them first, or pass removeAssignments: true`);
    }
    for (const assignment of assignments) {
      assertMay(ability, 'erase', 'RoleAssignment', { chainId: principal.chainId, storeId: assignment.storeId ?? undefined });
      await recordRoleChange(tx, { chainId: principal.chainId, actorId: principal.userId, action: 'ASSIGNMENT_REVOKED', roleId: role.id, assignmentId: assignment.id, before: assignmentSnapshot(assignment) });
    }
    const before = await snapshot(tx, role);
    await tx.getRepository(RoleAssignment).delete({ roleId: role.id });
    await tx.getRepository(RolePermission).delete({ roleId: role.id });
    await tx.getRepository(Role).delete({ id: role.id });
    await assertChainKeepsRoleManager(tx, principal.chainId);
    await recordRoleChange(tx, { chainId: principal.chainId, actorId: principal.userId, action: 'ROLE_DELETED', roleId: role.id, before });
    return true;
  });
}

export function assignmentSnapshot(a: RoleAssignment): Record<string, unknown> {
  return {
    userId: a.userId, roleId: a.roleId, scopeType: a.scopeType, regionId: a.regionId, storeId: a.storeId,
    validFrom: a.validFrom?.toISOString() ?? null, validUntil: a.validUntil?.toISOString() ?? null,
  };
}
