/**
 * The matrix views for role managers: what one user may do at one store and which assignments
 * grant it; why one decision is granted or denied. Only for stores where the caller may read
 * assignments (elsewhere NOT_FOUND). The target user's
 * ability is built exactly as for their own requests (src/policies/ability.ts).
 */
import { EntityManager } from 'typeorm';
import { badInput, notFound } from '../../errors/errors';
import { abilityFromRules, AppAbility, Principal, rulesFor, scoped, SELF_RULE } from '../../policies/ability';
import { loadGrants } from '../../policies/grant-queries';
import { Action, catalogSubject } from '../../policies/catalog';
import { decide, grantedPermissions } from '../../policies/permission-matrix';
import { canReadField } from '../../policies/readable-fields';
import { RoleAssignment } from '../../schema/core/role-assignment.entity';
import { RolePermission } from '../../schema/core/role-permission.entity';
import { Role } from '../../schema/core/role.entity';
import { Store } from '../../schema/core/store.entity';
import { User } from '../../schema/core/user.entity';
import { EffectivePermission, Explanation } from '../../schema/roles/matrix.types';
import { isUuid } from '../../schema/uuid';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { matrixSubjectIds, MatrixSubjects } from './matrix-lookup';

export interface MatrixTarget {
  user: User;
  store: Store;
  ability: AppAbility;
}

/** Whether the caller may look at who holds what at a store: `read` on RoleAssignment there. */
export function mayViewAssignmentsAt(ability: AppAbility, chainId: string, storeId: string): boolean {
  return ability.can('read', scoped('RoleAssignment', { chainId, storeId }));
}

/**
 * The user and store (of the caller's chain, and a store where the caller may read assignments;
 * else NOT_FOUND) and the user's ability as built for them.
 */
export async function matrixTarget(tx: EntityManager, principal: Principal, callerAbility: AppAbility, userId: string, storeId: string): Promise<MatrixTarget> {
  const user = isUuid(userId) ? await tx.getRepository(User).findOneBy({ id: userId, chainId: principal.chainId }) : null;
  if (!user) throw notFound('User');
  const store = isUuid(storeId) ? await tx.getRepository(Store).findOneBy({ id: storeId, chainId: principal.chainId }) : null;
  if (!store || !mayViewAssignmentsAt(callerAbility, principal.chainId, store.id)) throw notFound('Store');
  const target = { userId: user.id, chainId: user.chainId, sessionId: '' };
  return { user, store, ability: abilityFromRules(rulesFor(target, await loadGrants(tx.connection, target))) };
}

async function assignmentsById(tx: EntityManager, ids: string[]): Promise<Map<string, RoleAssignment>> {
  const real = [...new Set(ids.filter((id) => id !== SELF_RULE && isUuid(id)))];
  if (!real.length) return new Map();
  const rows = await tx.getRepository(RoleAssignment).createQueryBuilder('a').where('a.id IN (:...ids)', { ids: real }).getMany();
  return new Map(rows.map((a) => [a.id, a]));
}

export async function effectivePermissions(ctx: AuthenticatedContext, subjects: MatrixSubjects): Promise<EffectivePermission[]> {
  const { principal, ability: callerAbility } = ctx;
  const { userId, storeId } = await matrixSubjectIds(ctx, subjects);
  const { store, ability } = await matrixTarget(ctx.core.manager, principal, callerAbility, userId, storeId);
  const granted = grantedPermissions(ability, { chainId: principal.chainId, storeId: store.id });
  const assignments = await assignmentsById(ctx.core.manager, granted.flatMap((g) => g.grantedBy));
  return granted.map((g) => ({
    subject: g.subject,
    action: g.action,
    field: g.field,
    grantedBy: g.grantedBy.map((id) => assignments.get(id)).filter((a): a is RoleAssignment => a !== undefined),
  }));
}

export interface ExplainQuestion extends MatrixSubjects {
  action: string;
  subject: string;
  field?: string | null;
}

/**
 * Why a user may or may not do one thing at a store. The question (subject, action, field) is checked
 * before the user or store is looked up by name, so bad input is reported whatever exists.
 */
export async function explain(ctx: AuthenticatedContext, args: ExplainQuestion): Promise<Explanation> {
  const { principal, ability: callerAbility } = ctx;
  const subject = catalogSubject(args.subject);
  if (!subject) throw badInput('subject', `"${args.subject}" is not a subject of the permission catalog`);
  if (!subject.actions.includes(args.action as Action)) throw badInput('action', `"${args.action}" is not an action on ${subject.name}`);
  if (args.field && !subject.fields.some((f) => f.name === args.field)) throw badInput('field', `"${args.field}" is not a field of ${subject.name}`);
  const ids = await matrixSubjectIds(ctx, args);
  const { user, store, ability } = await matrixTarget(ctx.core.manager, principal, callerAbility, ids.userId, ids.storeId);
  const decision = decide(ability, args.action as Action, subject.name, { chainId: principal.chainId, storeId: store.id }, args.field ?? undefined);
  // The reason names the user, the store and the role only to a caller who may read those names: a value
  // derived from a field is governed by that field's permission (otherwise "this user", "this store").
  const userName = canReadField(callerAbility, 'User', user, 'name') ? user.name : 'this user';
  const storeName = canReadField(callerAbility, 'Store', store, 'name') ? store.name : 'this store';
  const what = `${args.action} ${subject.name}${args.field ? `.${args.field}` : ''} at ${storeName}`;
  const assignment = decision.decidedBy ? (await assignmentsById(ctx.core.manager, [decision.decidedBy])).get(decision.decidedBy) ?? null : null;
  const role = assignment ? await ctx.core.getRepository(Role).findOneBy({ id: assignment.roleId }) : null;
  const roleName = role && canReadField(callerAbility, 'Role', role, 'name') ? `role "${role.name}"` : 'a role';
  const scope = assignment ? (assignment.scopeType === 'CHAIN' ? 'the whole chain' : assignment.scopeType === 'REGION' ? 'a region' : 'a store') : '';
  let entry: RolePermission | null = null;
  if (decision.rule && assignment) {
    entry = Object.assign(new RolePermission(), { action: decision.rule.action, subject: decision.rule.subject, fields: decision.rule.fields, roleId: assignment.roleId, chainId: principal.chainId });
  }
  const reason = decision.granted
    ? decision.decidedBy === SELF_RULE
      ? `Granted: every user may read their own staff record (${what}).`
      : `Granted: ${userName} holds ${roleName} for ${scope}, whose entry "${decision.rule?.action} ${decision.rule?.subject}${decision.rule?.fields ? ` (${decision.rule.fields.join(', ')})` : ''}" allows ${what}.`
    : decision.rule?.inverted
      ? `Denied by an explicit rule of ${roleName} (${what}).`
      : `Denied: no role that ${userName} holds in force at ${storeName} allows ${what}.`;
  return { granted: decision.granted, reason, assignment, entry };
}
