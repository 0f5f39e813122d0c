/**
 * Session tokens: 32 random bytes, base64url. Only their SHA-256 is stored, so a leaked database
 * cannot be replayed as sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { API_TOKEN_PREFIX } from './api-token';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export const SESSION_COOKIE = 'visus_session';

/**
 * Reads the token from `Authorization: Bearer …` or, failing that, the session cookie. A cookie never carries
 * an API token (`vsa_…`, src/auth/api-token.ts): one found there is ignored, as if there were no cookie.
 */
export function tokenFromHeaders(authorization: string | undefined, cookie: string | undefined): string | null {
  if (authorization) {
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(authorization.trim());
    return match ? match[1] : null;
  }
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === SESSION_COOKIE) {
        const value = rest.join('=');
        return /^[A-Za-z0-9_-]{20,200}$/.test(value) && !value.startsWith(API_TOKEN_PREFIX) ? value : null;
      }
    }
  }
  return null;
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}
