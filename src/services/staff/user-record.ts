/**
 * What the security settings history keeps of a user (setting `User`) and of an invitation (setting
 * `Invitation`): their records, never a password, a hash or an invitation token.
 */
import { User } from '../../schema/core/user.entity';
import { UserInvitation } from '../../schema/core/user-invitation.entity';

export function userRecord(user: User): Record<string, unknown> {
  return {
    id: user.id, name: user.name, email: user.email, profession: user.profession, registrationNumber: user.registrationNumber,
    kind: user.kind, status: user.status, passwordSet: user.passwordHash !== null,
  };
}

export function invitationRecord(invitation: UserInvitation): Record<string, unknown> {
  return {
    id: invitation.id, userId: invitation.userId, createdById: invitation.createdById,
    expiresAt: invitation.expiresAt.toISOString(), usedAt: invitation.usedAt?.toISOString() ?? null, revokedAt: invitation.revokedAt?.toISOString() ?? null,
  };
}
