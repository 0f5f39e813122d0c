/**
 * A chain's auth policy as it applies now (docs/auth-policy.md): the stored row (src/schema/core/auth-policy.entity.ts)
 * with every rule it leaves unset filled with its default. Read by sign-in (requiredFactors, sessionLimits) and by
 * the `authPolicy` API (src/services/auth-policy/).
 *
 * Defaults (a chain without a row, or a null column):
 * - second factor: every role of the chain with an entry granting `read` (or `manage`) on a clinical subject, or
 *   `export` (or `manage`) on any subject that can be exported: derived from the roles' entries each time, so a new
 *   role with clinical read is covered at once;
 * - passkey: no role;
 * - idle timeout and session maximum: the process configuration (SESSION_IDLE_MINUTES 15, SESSION_MAX_HOURS 12).
 * Role ids in a stored list that no longer name a role of the chain (a deleted role) are dropped.
 */
import { EntityManager } from 'typeorm';
import { Config } from '../config/config';
import { CATALOG } from '../policies/catalog';
import { AuthPolicy } from '../schema/core/auth-policy.entity';

export interface EffectiveAuthPolicy {
  chainId: string;
  secondFactorRoleIds: string[];
  passkeyRoleIds: string[];
  idleTimeoutMinutes: number;
  sessionMaxHours: number;
  /** No row stored: every rule is its default. */
  isDefault: boolean;
  updatedAt: Date | null;
}

const CLINICAL_SUBJECTS = CATALOG.filter((subject) => subject.clinical).map((subject) => subject.name);
const EXPORTABLE_SUBJECTS = CATALOG.filter((subject) => subject.actions.includes('export')).map((subject) => subject.name);

/** The roles of the chain that need a second factor by default: clinical read, or any export. */
export async function defaultSecondFactorRoleIds(db: EntityManager, chainId: string): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT DISTINCT r.id FROM role r JOIN role_permission p ON p.role_id = r.id
      WHERE r.chain_id = $1
        AND ((p.action IN ('read', 'manage') AND p.subject = ANY($2::text[]))
          OR (p.action IN ('export', 'manage') AND p.subject = ANY($3::text[])))
      ORDER BY r.id`,
    [chainId, CLINICAL_SUBJECTS, EXPORTABLE_SUBJECTS],
  );
  return rows.map((row) => row.id);
}

async function chainRoleIds(db: EntityManager, chainId: string): Promise<Set<string>> {
  const rows: { id: string }[] = await db.query('SELECT id FROM role WHERE chain_id = $1', [chainId]);
  return new Set(rows.map((row) => row.id));
}

export async function chainAuthPolicy(db: EntityManager, chainId: string, config: Config): Promise<EffectiveAuthPolicy> {
  const row = await db.getRepository(AuthPolicy).findOneBy({ chainId });
  const roles = await chainRoleIds(db, chainId);
  const known = (ids: string[]): string[] => ids.filter((id) => roles.has(id)).sort();
  return {
    chainId,
    secondFactorRoleIds: row?.secondFactorRoleIds ? known(row.secondFactorRoleIds) : await defaultSecondFactorRoleIds(db, chainId),
    passkeyRoleIds: known(row?.passkeyRoleIds ?? []),
    idleTimeoutMinutes: row?.idleTimeoutMinutes ?? config.sessionIdleMinutes,
    sessionMaxHours: row?.sessionMaxHours ?? config.sessionMaxHours,
    isDefault: !row,
    updatedAt: row?.updatedAt ?? null,
  };
}
