/**
 * TOTP codes (RFC 6238 as authenticator apps use it: HMAC-SHA-1, 6 digits, 30-second steps) through otplib 13's
 * TOTP engine (@otplib/totp, with node:crypto plugins: src/auth/totp/otplib-plugins.ts):
 * new secrets (20 random bytes), the `otpauth://` URI an app scans, and checking a code against a secret with a
 * window of one step either side, answering the time step it matched (the caller refuses a step already used).
 * Secrets are handled as raw bytes; base32 only at the edge (the URI, the secret shown once).
 */
import { createGuardrails, generateSecret } from '@otplib/core';
import { verify } from '@otplib/totp';
import { nodeCrypto, rfc4648Base32 } from './otplib-plugins';

export const TOTP_ISSUER = 'Visus';
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Bytes of a new secret (160 bits, RFC 4226 §4's recommendation). */
export const NEW_SECRET_BYTES = 20;
/**
 * otplib refuses secrets under 16 bytes by default. Stored secrets are checked with a floor of 10 bytes so the demo
 * user's published secret JBSWY3DPEHPK3PXP (10 bytes) works; every secret this server issues has 20.
 */
const GUARDRAILS = createGuardrails({ MIN_SECRET_BYTES: 10 });
const base32 = rfc4648Base32;

export function newTotpSecret(): Buffer {
  return Buffer.from(base32.decode(generateSecret({ length: NEW_SECRET_BYTES, crypto: nodeCrypto, base32 })));
}

export function toBase32(secret: Buffer): string {
  return base32.encode(new Uint8Array(secret), { padding: false });
}

export function fromBase32(text: string): Buffer {
  return Buffer.from(base32.decode(text));
}

/** `otpauth://totp/Visus:<email>?secret=…&issuer=Visus&algorithm=SHA1&digits=6&period=30`. */
export function otpauthUri(email: string, secret: Buffer): string {
  const label = `${encodeURIComponent(TOTP_ISSUER)}:${encodeURIComponent(email)}`;
  return `otpauth://totp/${label}?secret=${toBase32(secret)}&issuer=${encodeURIComponent(TOTP_ISSUER)}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_SECONDS}`;
}

/** Whether `code` looks like a TOTP code (six digits, spaces ignored). */
export function isTotpShaped(code: string): boolean {
  return /^[0-9 ]+$/.test(code) && /^\d{6}$/.test(code.replace(/ +/g, ''));
}

/** The time step `code` is valid for (now, or one step either side), or null. */
export async function matchingStep(secret: Buffer, code: string, now: Date = new Date()): Promise<number | null> {
  const token = code.replace(/ +/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret: new Uint8Array(secret), token, guardrails: GUARDRAILS, crypto: nodeCrypto, base32, epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS, period: TOTP_PERIOD_SECONDS, digits: TOTP_DIGITS, algorithm: 'sha1',
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
