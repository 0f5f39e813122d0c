/**
 * The seeded chains' auth policy (docs/auth-policy.md): an explicit policy that requires no second factor of any
 * role, so the README's examples sign in with a password alone (issue 13: the demo leaves MFA off). The session
 * limits stay unset (the process configuration's SESSION_IDLE_MINUTES and SESSION_MAX_HOURS). A chain created any
 * other way has no row, hence the defaults: a second factor for every role with clinical read or any export.
 */
import { EntityManager } from 'typeorm';

export async function seedOpenAuthPolicy(tx: EntityManager, chainId: string): Promise<void> {
  await tx.query(
    `INSERT INTO auth_policy (chain_id, second_factor_role_ids, passkey_role_ids) VALUES ($1, '{}', '{}') ON CONFLICT (chain_id) DO NOTHING`,
    [chainId],
  );
}
