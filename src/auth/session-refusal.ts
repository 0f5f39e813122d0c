/**
 * Why a presented session token was refused, as the UNAUTHENTICATED message: a session ended by a
 * newer sign-in of the same user (the one-session rule, src/auth/login.ts) says "signed in elsewhere",
 * one ended by logout says so, and anything else (idle or absolute expiry, unknown token, inactive
 * user) keeps the generic message. Runs only when authentication failed. The message carries no
 * personal data: not where, when or from which device the other sign-in happened.
 */
import { DataSource } from 'typeorm';
import { hashSessionToken } from './session-token';

export const SESSION_SUPERSEDED_MESSAGE = 'Session ended: this account signed in elsewhere (one session at a time); sign in again to continue here.';
export const SESSION_LOGGED_OUT_MESSAGE = 'Session ended by logout; sign in again.';
export const SESSION_EXPIRED_MESSAGE = 'Session expired or ended; sign in again.';

export async function sessionRefusalMessage(core: DataSource, token: string): Promise<string> {
  const rows: { endedReason: string | null }[] = await core.query(
    'SELECT ended_reason AS "endedReason" FROM session WHERE token_hash = $1 AND ended_at IS NOT NULL',
    [hashSessionToken(token)],
  );
  switch (rows[0]?.endedReason) {
    case 'REPLACED':
      return SESSION_SUPERSEDED_MESSAGE;
    case 'LOGOUT':
      return SESSION_LOGGED_OUT_MESSAGE;
    default:
      return SESSION_EXPIRED_MESSAGE;
  }
}
