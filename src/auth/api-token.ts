/**
 * API token text: `vsa_` followed by 43 base64url characters (32 random bytes). Only its SHA-256 is stored
 * (api_token.token_hash). The prefix tells an API token from a session token (exactly 43 base64url
 * characters, src/auth/session-token.ts) by its shape alone, so one presented token is looked up in one place.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_TOKEN_PREFIX = 'vsa_';
const API_TOKEN = /^vsa_[A-Za-z0-9_-]{43}$/;

export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Whether a presented token has the shape of an API token (a session token never has). */
export function isApiToken(token: string): boolean {
  return API_TOKEN.test(token);
}

export function hashApiToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
