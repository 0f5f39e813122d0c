/**
 * Turns a user's role assignments into one CASL ability. Each permission entry of each assigned
 * role becomes a rule whose conditions confine it to the assignment's scope: the chain, or the
 * stores a region or store assignment covers (resolved now, so a store added to a region is
 * covered from the next request on). Every user may also read their own staff record.
 */
import { createMongoAbility, MongoAbility, RawRuleOf, subject as asSubject } from '@casl/ability';
import { DataSource } from 'typeorm';
import { ScopeType } from '../schema/enums';
import { Action } from './catalog';

export type AppAbility = MongoAbility<[Action, string | Record<string, unknown>]>;
export type AppRule = RawRuleOf<AppAbility>;

export interface Principal {
  userId: string;
  chainId: string;
  sessionId: string;
}

/** One effective permission entry of one assignment, as read from the database. */
export interface GrantRow {
  scopeType: ScopeType;
  action: string;
  subject: string;
  fields: string[] | null;
  storeIds: string[] | null;
}

export const SELF_READABLE_USER_FIELDS = ['id', 'name', 'email', 'profession', 'registrationNumber', 'status'];

export function rulesFor(principal: Principal, grants: GrantRow[]): AppRule[] {
  // An entry with an empty field list grants no field at all (fail closed), not every field.
  const rules: AppRule[] = grants.filter((grant) => grant.fields === null || grant.fields.length > 0).map((grant) => ({
    action: grant.action as Action,
    subject: grant.subject,
    fields: grant.fields ?? undefined,
    conditions:
      grant.scopeType === ScopeType.CHAIN
        ? { chainId: principal.chainId }
        : { chainId: principal.chainId, storeId: { $in: grant.storeIds ?? [] } },
  }));
  rules.push({ action: 'read', subject: 'User', fields: SELF_READABLE_USER_FIELDS, conditions: { id: principal.userId } });
  return rules;
}

export function abilityFromRules(rules: AppRule[]): AppAbility {
  return createMongoAbility<AppAbility>(rules);
}

export async function loadGrants(core: DataSource, principal: Principal): Promise<GrantRow[]> {
  return core.query(
    `SELECT ra.scope_type AS "scopeType", rp.action, rp.subject, rp.fields,
            CASE WHEN ra.scope_type = 'CHAIN' THEN NULL ELSE
              ARRAY(SELECT s.id FROM store s
                     WHERE s.chain_id = ra.chain_id
                       AND ((ra.scope_type = 'REGION' AND s.region_id = ra.region_id)
                         OR (ra.scope_type = 'STORE' AND s.id = ra.store_id))) END AS "storeIds"
       FROM role_assignment ra
       JOIN role r ON r.id = ra.role_id AND r.chain_id = ra.chain_id
       JOIN role_permission rp ON rp.role_id = r.id
      WHERE ra.user_id = $1 AND ra.chain_id = $2`,
    [principal.userId, principal.chainId],
  );
}

export async function loadAbility(core: DataSource, principal: Principal): Promise<AppAbility> {
  return abilityFromRules(rulesFor(principal, await loadGrants(core, principal)));
}

/** Tags a row (or a plain scope object) with its catalog subject so CASL checks its conditions. */
export function scoped<T extends Record<string, unknown> | object>(subjectName: string, row: T): T {
  return asSubject(subjectName, row as Record<string, unknown>) as T;
}
