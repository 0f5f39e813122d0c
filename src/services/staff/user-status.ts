/**
 * deactivateUser and reactivateUser (`update User.status`, chain-wide). Deactivating sets status DISABLED and, in
 * the same transaction, ends the user's open sessions (ended_reason 'DEACTIVATED'), revokes their API tokens and
 * their unused invitations: the next request with any of them is UNAUTHENTICATED. Never one's own account, and
 * never the chain's last role manager (src/policies/lockout-guard.ts, under the chain's role lock). Reactivating
 * sets status ACTIVE: sign-in works again with the same password (if they had one); revoked tokens stay revoked.
 * Each is written to the security settings history (`User`).
 */
import { EntityManager } from 'typeorm';
import { endPendingChallenges } from '../../auth/mfa-challenge';
import { User } from '../../schema/core/user.entity';
import { UserStatus } from '../../schema/enums';
import { badInput } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMay } from '../../policies/input-guard';
import { assertChainKeepsRoleManager, lockChainRoles } from '../../policies/lockout-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { findVisible, USER_COLUMNS } from '../visible-rows';
import { revokePendingInvitations } from './issue-invitation';
import { userRecord } from './user-record';

/** Ends every open session of the user, with the reason the holder is told, and their pending sign-in challenges. Returns how many sessions. */
export async function endSessionsOf(tx: EntityManager, userId: string, reason: string): Promise<number> {
  await endPendingChallenges(tx, userId);
  const rows: unknown[] = await tx.query(
    'WITH ended AS (UPDATE session SET ended_at = now(), ended_reason = $2 WHERE user_id = $1 AND ended_at IS NULL RETURNING 1) SELECT * FROM ended',
    [userId, reason],
  );
  return rows.length;
}

async function findUserToChange(ctx: AuthenticatedContext, tx: EntityManager, id: string): Promise<User> {
  const { principal, ability } = ctx;
  assertMay(ability, 'update', 'User', { chainId: principal.chainId }, ['status']);
  return findVisible(tx, { entity: User, subjectName: 'User', alias: 'u', columns: USER_COLUMNS, lock: 'update' }, principal, ability, id);
}

export async function deactivateUser(ctx: AuthenticatedContext, id: string): Promise<User> {
  const { principal } = ctx;
  return ctx.core.transaction(async (tx) => {
    // First, as every role and assignment change does: two concurrent deactivations cannot each leave the other's manager the last.
    await lockChainRoles(tx, principal.chainId);
    const user = await findUserToChange(ctx, tx, id);
    if (user.id === principal.userId) throw badInput('id', 'is your own account: ask another chain manager to deactivate it');
    if (user.status === UserStatus.DISABLED) throw badInput('id', 'is already deactivated');
    const before = userRecord(user);
    await tx.query(`UPDATE staff_user SET status = 'DISABLED' WHERE id = $1`, [user.id]);
    const sessionsEnded = await endSessionsOf(tx, user.id, 'DEACTIVATED');
    const revoked: unknown[] = await tx.query(
      'WITH revoked AS (UPDATE api_token SET revoked_at = now(), revoked_by_id = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING 1) SELECT * FROM revoked',
      [user.id, principal.userId],
    );
    await revokePendingInvitations(tx, principal, ctx.request, user.id);
    await assertChainKeepsRoleManager(tx, principal.chainId);
    const updated = await tx.getRepository(User).findOneByOrFail({ id: user.id });
    await recordSecuritySettingChange(tx, principal, ctx.request, {
      setting: 'User', before, after: { ...userRecord(updated), sessionsEnded, apiTokensRevoked: revoked.length }, weakened: [],
    });
    return updated;
  });
}

export async function reactivateUser(ctx: AuthenticatedContext, id: string): Promise<User> {
  const { principal } = ctx;
  return ctx.core.transaction(async (tx) => {
    const user = await findUserToChange(ctx, tx, id);
    if (user.status === UserStatus.ACTIVE) throw badInput('id', 'is already active');
    const before = userRecord(user);
    await tx.query(`UPDATE staff_user SET status = 'ACTIVE' WHERE id = $1`, [user.id]);
    const updated = await tx.getRepository(User).findOneByOrFail({ id: user.id });
    // Access is restored: a weakening of the chain's security posture, named so a reviewer finds it.
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'User', before, after: userRecord(updated), weakened: ['status'] });
    return updated;
  });
}
