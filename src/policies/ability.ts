/**
 * Turns a user's role assignments in force into one CASL ability. Each permission entry of each
 * assigned role becomes a rule whose conditions confine it to the assignment's scope: the chain, or
 * the stores a region or store assignment covers (resolved when built; adding a store bumps the
 * chain's authz version, so it is covered from the next request on). Each rule's `reason` names
 * its assignment. Every user may also read their own staff record and their own emergency accesses.
 */
import { createMongoAbility, MongoAbility, RawRuleOf, subject as asSubject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import { ScopeType } from '../schema/enums';
import { Action } from './catalog';
import { emergencyRules, EmergencyGrant } from './emergency-rules';

export type AppAbility = MongoAbility<[Action, string | Record<string, unknown>]>;
export type AppRule = RawRuleOf<AppAbility>;

export interface Principal {
  userId: string;
  chainId: string;
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

export const SELF_READABLE_USER_FIELDS = ['id', 'name', 'email', 'profession', 'registrationNumber', 'status'];
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

/** SQL (over `role_assignment ra` and `store s`): the assignment covers the store: its chain, its region, or the store itself. */
export const ASSIGNMENT_COVERS_STORE_SQL = `(s.chain_id = ra.chain_id
  AND (ra.scope_type = 'CHAIN'
    OR (ra.scope_type = 'REGION' AND s.region_id = ra.region_id)
    OR (ra.scope_type = 'STORE' AND s.id = ra.store_id)))`;

/** SQL (over `role_assignment ra`): the stores an assignment covers; NULL for a chain-wide one. */
export const ASSIGNMENT_STORE_IDS_SQL = `CASE WHEN ra.scope_type = 'CHAIN' THEN NULL ELSE
  ARRAY(SELECT s.id FROM store s WHERE ${ASSIGNMENT_COVERS_STORE_SQL}) END`;

/** SQL (over `role_assignment ra`): the assignment is in force now. */
export const ASSIGNMENT_IN_FORCE_SQL = `(ra.valid_from IS NULL OR ra.valid_from <= now()) AND (ra.valid_until IS NULL OR ra.valid_until > now())`;

/** The grants of a user's assignments in force now (validFrom <= now < validUntil). */
export async function loadGrants(core: DataSource | EntityManager, principal: Pick<Principal, 'userId' | 'chainId'>): Promise<GrantRow[]> {
  return core.query(
    `SELECT ra.id AS "assignmentId", ra.scope_type AS "scopeType", rp.action, rp.subject, rp.fields,
            ${ASSIGNMENT_STORE_IDS_SQL} AS "storeIds", ra.valid_from AS "validFrom", ra.valid_until AS "validUntil"
       FROM role_assignment ra
       JOIN role r ON r.id = ra.role_id AND r.chain_id = ra.chain_id
       JOIN role_permission rp ON rp.role_id = r.id
      WHERE ra.user_id = $1 AND ra.chain_id = $2 AND ${ASSIGNMENT_IN_FORCE_SQL}
      ORDER BY ra.created_at, ra.id, rp.id`,
    [principal.userId, principal.chainId],
  );
}

/** The user's emergency (break-the-glass) accesses in force now. */
export async function loadEmergencyGrants(core: DataSource, principal: Pick<Principal, 'userId' | 'chainId'>): Promise<EmergencyGrant[]> {
  return core.query(
    `SELECT id, customer_id AS "customerId" FROM emergency_access
      WHERE user_id = $1 AND chain_id = $2 AND granted_at <= now() AND expires_at > now() ORDER BY granted_at, id`,
    [principal.userId, principal.chainId],
  );
}

/**
 * When the user's permissions next change by the clock alone: an assignment starts or ends, or an
 * emergency access expires.
 */
export async function nextValidityBoundary(core: DataSource, principal: Pick<Principal, 'userId' | 'chainId'>): Promise<Date | null> {
  const [row]: { next: Date | null }[] = await core.query(
    `SELECT min(t) AS next FROM (
        SELECT v.t FROM role_assignment ra, LATERAL (VALUES (ra.valid_from), (ra.valid_until)) AS v(t)
         WHERE ra.user_id = $1 AND ra.chain_id = $2
        UNION ALL
        SELECT ea.expires_at FROM emergency_access ea WHERE ea.user_id = $1 AND ea.chain_id = $2
      ) AS boundaries(t) WHERE t > now()`,
    [principal.userId, principal.chainId],
  );
  return row?.next ?? null;
}

/** The user's ability: their role assignments in force, plus their emergency accesses in force. */
export async function loadAbility(core: DataSource, principal: Principal): Promise<AppAbility> {
  const [grants, emergencies] = await Promise.all([loadGrants(core, principal), loadEmergencyGrants(core, principal)]);
  return abilityFromRules([...rulesFor(principal, grants), ...emergencyRules(principal, emergencies)]);
}

/** Tags a row (or a plain scope object) with its catalog subject so CASL checks its conditions. */
export function scoped<T extends Record<string, unknown> | object>(subjectName: string, row: T): T {
  return asSubject(subjectName, row as Record<string, unknown>) as T;
}
