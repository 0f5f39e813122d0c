/**
 * Why a presented session token was refused, as the UNAUTHENTICATED message: a session ended by a
 * newer sign-in of the same user (the one-session rule, src/auth/login.ts) says "signed in elsewhere",
 * one ended by logout, by deactivation (deactivateUser) by a password reset (resetUserPassword) or by the holder's own password change elsewhere (changePassword) says so, and anything else (idle or absolute expiry, unknown token, inactive
 * user) keeps the generic message. An API token (`vsa_…`) that was revoked or has expired says so; any
 * other refused one (unknown, or its service account deactivated) gets the generic API token message.
 * Runs only when authentication failed. The message carries no personal data: not where, when or from which
 * device the other sign-in happened, nor who revoked a token.
 */
import { DataSource } from 'typeorm';
import { hashApiToken, isApiToken } from './api-token';
import { hashSessionToken } from './session-token';

export const SESSION_SUPERSEDED_MESSAGE = 'Session ended: this account signed in elsewhere (one session at a time); sign in again to continue here.';
export const SESSION_LOGGED_OUT_MESSAGE = 'Session ended by logout; sign in again.';
export const SESSION_DEACTIVATED_MESSAGE = 'Session ended: this account was deactivated.';
export const SESSION_PASSWORD_RESET_MESSAGE = 'Session ended: this account’s password was reset; set a new one with your invitation.';
export const SESSION_PASSWORD_CHANGED_MESSAGE = 'Session ended: this account’s password was changed; sign in again with the new one.';
export const SESSION_EXPIRED_MESSAGE = 'Session expired or ended; sign in again.';

export const API_TOKEN_REVOKED_MESSAGE = 'API token revoked; ask a chain manager for a new one.';
export const API_TOKEN_EXPIRED_MESSAGE = 'API token expired; ask a chain manager for a new one.';
export const API_TOKEN_REFUSED_MESSAGE = 'API token not accepted (unknown, or its service account is not active).';

async function apiTokenRefusalMessage(core: DataSource, token: string): Promise<string> {
  const rows: { revoked: boolean; expired: boolean }[] = await core.query(
    'SELECT revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired FROM api_token WHERE token_hash = $1',
    [hashApiToken(token)],
  );
  if (rows[0]?.revoked) return API_TOKEN_REVOKED_MESSAGE;
  if (rows[0]?.expired) return API_TOKEN_EXPIRED_MESSAGE;
  return API_TOKEN_REFUSED_MESSAGE;
}

export async function sessionRefusalMessage(core: DataSource, token: string): Promise<string> {
  if (isApiToken(token)) return apiTokenRefusalMessage(core, token);
  const rows: { endedReason: string | null }[] = await core.query(
    'SELECT ended_reason AS "endedReason" FROM session WHERE token_hash = $1 AND ended_at IS NOT NULL',
    [hashSessionToken(token)],
  );
  switch (rows[0]?.endedReason) {
    case 'REPLACED':
      return SESSION_SUPERSEDED_MESSAGE;
    case 'LOGOUT':
      return SESSION_LOGGED_OUT_MESSAGE;
    case 'DEACTIVATED':
      return SESSION_DEACTIVATED_MESSAGE;
    case 'PASSWORD_RESET':
      return SESSION_PASSWORD_RESET_MESSAGE;
    case 'PASSWORD_CHANGED':
      return SESSION_PASSWORD_CHANGED_MESSAGE;
    default:
      return SESSION_EXPIRED_MESSAGE;
  }
}
