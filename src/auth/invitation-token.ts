/**
 * Invitation token text: `vsi_` followed by 43 base64url characters (32 random bytes). Only its SHA-256 is
 * stored (user_invitation.token_hash). It is never a bearer token: only `acceptInvitation` takes it.
 */
import { createHash, randomBytes } from 'node:crypto';

export const INVITATION_TOKEN_PREFIX = 'vsi_';
const INVITATION_TOKEN = /^vsi_[A-Za-z0-9_-]{43}$/;
/** How long an invitation can be accepted. */
export const INVITATION_VALID_HOURS = 24;

export function newInvitationToken(): string {
  return `${INVITATION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Whether a presented text has the shape of an invitation token. */
export function isInvitationToken(token: string): boolean {
  return INVITATION_TOKEN.test(token);
}

export function hashInvitationToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
