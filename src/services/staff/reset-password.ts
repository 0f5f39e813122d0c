/**
 * resetUserPassword (`update User.password`, chain-wide): a member of staff forgot their password or it may be
 * known to someone else. In one transaction: their password stops working (password_hash NULL), their open sessions
 * end (ended_reason 'PASSWORD_RESET'), older unused invitations are revoked and a new one (24 h) is issued, shown
 * once. Refused for a service account (it never has a password), a deactivated user (reactivate first) and one's
 * own account (use changePassword), and FORBIDDEN when the target holds a right the caller does not (the invitation
 * would let the caller act as them: src/policies/escalation-guard.ts assertHoldsEverythingOf). History: `User` (passwordSet) and `Invitation`.
 */
import { User } from '../../schema/core/user.entity';
import { InvitationPayload } from '../../schema/core/staff.types';
import { UserKind, UserStatus } from '../../schema/enums';
import { badInput } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMay } from '../../policies/input-guard';
import { assertHoldsEverythingOf } from '../../policies/escalation-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { findVisible, USER_COLUMNS } from '../visible-rows';
import { issueInvitation } from './issue-invitation';
import { userRecord } from './user-record';
import { endSessionsOf } from './user-status';

export async function resetUserPassword(ctx: AuthenticatedContext, userId: string): Promise<InvitationPayload> {
  const { principal, ability } = ctx;
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'update', 'User', { chainId: principal.chainId }, ['password']);
    const user = await findVisible(tx, { entity: User, subjectName: 'User', alias: 'u', columns: USER_COLUMNS, lock: 'update' }, principal, ability, userId);
    if (user.kind === UserKind.SERVICE) throw badInput('userId', 'is a service account: it never has a password');
    if (user.status !== UserStatus.ACTIVE) throw badInput('userId', 'is deactivated: reactivate the user first');
    if (user.id === principal.userId) throw badInput('userId', 'is your own account: use changePassword');
    await assertHoldsEverythingOf(tx, principal, { userId: user.id, chainId: principal.chainId });
    const before = userRecord(user);
    await tx.query('UPDATE staff_user SET password_hash = NULL WHERE id = $1', [user.id]);
    const sessionsEnded = await endSessionsOf(tx, user.id, 'PASSWORD_RESET');
    const updated = await tx.getRepository(User).findOneByOrFail({ id: user.id });
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'User', before, after: { ...userRecord(updated), sessionsEnded }, weakened: [] });
    return issueInvitation(tx, principal, ctx.request, user);
  });
}
