/**
 * Which factors a user must sign in with, from their chain's auth policy (src/auth/chain-auth-policy.ts) and the roles
 * they hold now (`authPolicy`, docs/auth-policy.md): a second factor, and whether it must be a passkey. Every role
 * assignment counts, whatever its scope (chain, region or store), unless it has ended (`valid_until` past): one
 * that starts later counts already, so a user never holds a role its policy did not sign them in for.
 */
import { EntityManager } from 'typeorm';
import { AuthPolicy } from '../schema/core/auth-policy.entity';
import { defaultSecondFactorRoleIds } from './chain-auth-policy';

export interface FactorRequirement {
  /** The user must sign in with a second factor (TOTP, a recovery code, or a passkey). */
  secondFactor: boolean;
  /** The second factor must be a passkey (phishing-resistant). Implies `secondFactor`. */
  passkey: boolean;
}

/** The chain's roles that need a second factor, and those that need a passkey (the policy, or its defaults). */
export interface FactorRoles {
  secondFactor: ReadonlySet<string>;
  passkey: ReadonlySet<string>;
}

export async function factorRoles(db: EntityManager, chainId: string): Promise<FactorRoles> {
  const policy = await db.getRepository(AuthPolicy).findOneBy({ chainId });
  return {
    secondFactor: new Set(policy?.secondFactorRoleIds ?? (await defaultSecondFactorRoleIds(db, chainId))),
    passkey: new Set(policy?.passkeyRoleIds ?? []),
  };
}

/** What holding `roleIds` requires under the chain's factor roles. */
export function factorsForRoles(roleIds: readonly string[], roles: FactorRoles): FactorRequirement {
  const passkey = roleIds.some((id) => roles.passkey.has(id));
  return { secondFactor: passkey || roleIds.some((id) => roles.secondFactor.has(id)), passkey };
}

export async function requiredFactors(db: EntityManager, user: { id: string; chainId: string }): Promise<FactorRequirement> {
  const held: { roleId: string }[] = await db.query(
    `SELECT DISTINCT a.role_id AS "roleId" FROM role_assignment a JOIN role r ON r.id = a.role_id AND r.chain_id = $2
      WHERE a.user_id = $1 AND (a.valid_until IS NULL OR a.valid_until > now())`,
    [user.id, user.chainId],
  );
  if (held.length === 0) return { secondFactor: false, passkey: false };
  return factorsForRoles(held.map((row) => row.roleId), await factorRoles(db, user.chainId));
}
