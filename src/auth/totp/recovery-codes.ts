/**
 * Recovery codes (NIST SP 800-63B-4 §3.1.2 look-up secrets): ten per confirmed TOTP enrolment, each twelve characters
 * of Crockford's base32 (60 random bits) shown as `xxxx-xxxx-xxxx`. Only the SHA-256 of the normalised code is
 * stored: with 60 random bits (and throttled guessing) a salted slow hash adds nothing. Typing is forgiving:
 * case, dashes and spaces are ignored, and I/L read as 1, O as 0 (Crockford's rule).
 */
import { createHash, randomBytes } from 'node:crypto';

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

export function hashRecoveryCode(normalised: string): Buffer {
  return createHash('sha256').update(`visus.recovery_code.v1:${normalised}`, 'utf8').digest();
}
