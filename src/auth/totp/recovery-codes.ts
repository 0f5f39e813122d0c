/**
 * Recovery codes (NIST SP 800-63B-4 §3.1.2 look-up secrets): ten per confirmed TOTP enrolment, each twelve characters
 * of Crockford's base32 (60 random bits, well above the 20 bits §3.1.2.1 asks of a throttled look-up secret) shown
 * as `xxxx-xxxx-xxxx`. Stored as an argon2id hash of the normalised code (src/auth/password.ts): a look-up secret of
 * under 112 bits is to be salted and hashed with a password hashing scheme (§3.1.2.2). Typing is forgiving:
 * case, dashes and spaces are ignored, and I/L read as 1, O as 0 (Crockford's rule).
 */
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../password';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 12;

export function newRecoveryCode(): string {
  const bytes = randomBytes(LENGTH);
  let text = '';
  for (const byte of bytes) text += ALPHABET[byte & 31];
  return `${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8, 12)}`;
}

/** The code as stored (hashed): lower case, no separators, Crockford's look-alikes mapped; null when it cannot be one. */
export function normaliseRecoveryCode(typed: string): string | null {
  const text = typed.toLowerCase().replace(/[ -]+/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
  if (text.length !== LENGTH) return null;
  for (const ch of text) if (!ALPHABET.includes(ch)) return null;
  return text;
}

export function hashRecoveryCode(normalised: string): Promise<string> {
  return hashPassword(normalised);
}

export function recoveryCodeMatches(hash: string, normalised: string): Promise<boolean> {
  return verifyPassword(hash, normalised);
}
