/**
 * Turns a user's grants (the permission entries of their role assignments in force) into CASL rules and
 * one ability: pure rule-building, no SQL (the grants are loaded by grant-queries.ts). Each entry becomes
 * a rule whose conditions confine it to the assignment's scope: the chain, or the stores a region or store
 * assignment covers (resolved when loaded; adding a store bumps the chain's authz version, so it is covered
 * from the next request on). Each rule's `reason` names its assignment. Every user may also read their own
 * staff record and their own emergency accesses.
 */
import { createMongoAbility, MongoAbility, RawRuleOf, subject as asSubject } from '@casl/ability';
import { ScopeType } from '../schema/enums';
import { Action } from './catalog';

export type AppAbility = MongoAbility<[Action, string | Record<string, unknown>]>;
export type AppRule = RawRuleOf<AppAbility>;

export interface Principal {
  userId: string;
  chainId: string;
  /** The session or API token the request was authenticated by: a `session` id, or an `api_token` id for a service account. */
  sessionId: string;
}

/** One permission entry of one assignment in force now, as read from the database. */
export interface GrantRow {
  /** The assignment that grants it (null for grants built outside the database, e.g. in tests). */
  assignmentId?: string | null;
  scopeType: ScopeType;
  action: string;
  subject: string;
  fields: string[] | null;
  storeIds: string[] | null;
  /** The assignment's window (null: since always / no end); the escalation guard bounds what the holder grants by it. */
  validFrom?: Date | null;
  validUntil?: Date | null;
}

export const SELF_READABLE_USER_FIELDS = ['id', 'name', 'email', 'profession', 'registrationNumber', 'status', 'kind'];
/** What everyone reads of their own emergency accesses (not how often they were used: that is for reviewers). */
export const SELF_READABLE_EMERGENCY_FIELDS = ['id', 'userId', 'customerId', 'storeId', 'reason', 'grantedAt', 'expiresAt', 'inForce'];
/** The `reason` of the built-in rule that lets every user read their own staff record. */
export const SELF_RULE = 'self';

export function rulesFor(principal: Principal, grants: GrantRow[]): AppRule[] {
  // An entry with an empty field list grants no field at all (fail closed), not every field.
  const rules: AppRule[] = grants.filter((grant) => grant.fields === null || grant.fields.length > 0).map((grant) => ({
    action: grant.action as Action,
    subject: grant.subject,
    fields: grant.fields ?? undefined,
    // The granting assignment, so `explain` can name it.
    reason: grant.assignmentId ?? undefined,
    conditions:
      grant.scopeType === ScopeType.CHAIN
        ? { chainId: principal.chainId }
        : { chainId: principal.chainId, storeId: { $in: grant.storeIds ?? [] } },
  }));
  rules.push({ action: 'read', subject: 'User', fields: SELF_READABLE_USER_FIELDS, conditions: { id: principal.userId }, reason: SELF_RULE });
  // …and their own emergency accesses (what they asked for, until when).
  rules.push({
    action: 'read', subject: 'EmergencyAccess', fields: SELF_READABLE_EMERGENCY_FIELDS,
    conditions: { chainId: principal.chainId, userId: principal.userId }, reason: SELF_RULE,
  });
  return rules;
}

export function abilityFromRules(rules: AppRule[]): AppAbility {
  return createMongoAbility<AppAbility>(rules);
}

/** Tags a row (or a plain scope object) with its catalog subject so CASL checks its conditions. */
export function scoped<T extends Record<string, unknown> | object>(subjectName: string, row: T): T {
  return asSubject(subjectName, row as Record<string, unknown>) as T;
}
