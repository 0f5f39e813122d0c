/**
 * Issuing an invitation (createUser for a member of staff, resetUserPassword), inside the caller's transaction:
 * revokes the user's older unused invitations, stores the new one's SHA-256 with a 24-hour expiry, and writes both
 * to the security settings history (setting `Invitation`). Returns the token text, shown this once.
 */
import { EntityManager } from 'typeorm';
import { hashInvitationToken, INVITATION_VALID_HOURS, newInvitationToken } from '../../auth/invitation-token';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { Principal } from '../../policies/ability';
import { RequestInfo } from '../../context/request-info';
import { UserInvitation } from '../../schema/core/user-invitation.entity';
import { InvitationPayload } from '../../schema/core/staff.types';
import { invitationRecord } from './user-record';

/** Revokes every unused, unrevoked invitation of the user, each written to the history. */
export async function revokePendingInvitations(tx: EntityManager, principal: Principal, request: RequestInfo, userId: string): Promise<void> {
  const pending = await tx.getRepository(UserInvitation).createQueryBuilder('i')
    .where('i.user_id = :userId AND i.used_at IS NULL AND i.revoked_at IS NULL', { userId })
    .orderBy('i.created_at').setLock('pessimistic_write').getMany();
  for (const invitation of pending) {
    const before = invitationRecord(invitation);
    await tx.query('UPDATE user_invitation SET revoked_at = now() WHERE id = $1', [invitation.id]);
    const revoked = await tx.getRepository(UserInvitation).findOneByOrFail({ id: invitation.id });
    await recordSecuritySettingChange(tx, principal, request, { setting: 'Invitation', before, after: invitationRecord(revoked), weakened: [] });
  }
}

export async function issueInvitation(tx: EntityManager, principal: Principal, request: RequestInfo, user: { id: string; chainId: string }): Promise<InvitationPayload> {
  await revokePendingInvitations(tx, principal, request, user.id);
  const token = newInvitationToken();
  const expiresAt = new Date(Date.now() + INVITATION_VALID_HOURS * 3600_000);
  const inserted = await tx.getRepository(UserInvitation).insert({
    chainId: user.chainId, userId: user.id, tokenHash: hashInvitationToken(token), createdById: principal.userId, expiresAt,
  });
  const invitation = await tx.getRepository(UserInvitation).findOneByOrFail({ id: String(inserted.identifiers[0].id) });
  await recordSecuritySettingChange(tx, principal, request, { setting: 'Invitation', before: {}, after: invitationRecord(invitation), weakened: [] });
  return { token, expiresAt: invitation.expiresAt };
}
