/**
 * The SQL that loads what an ability is built from: a user's grants (the permission entries of their role
 * assignments in force, with the stores each covers), their emergency accesses in force, and when either
 * next changes by the clock alone. `loadAbility` puts them through the pure rule-building of ability.ts
 * and emergency-rules.ts.
 */
import { DataSource, EntityManager } from 'typeorm';
import { abilityFromRules, AppAbility, GrantRow, Principal, rulesFor } from './ability';
import { emergencyRules, EmergencyGrant } from './emergency-rules';

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
