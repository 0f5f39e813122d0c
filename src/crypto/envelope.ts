/**
 * AES-256-GCM (node:crypto) for the clinical free text and for wrapping data keys. A field value is stored
 * as the text envelope `enc:v1:<data key id>:<base64 of 12-byte IV | ciphertext | 16-byte tag>`, so every
 * copy (the row, its change log entries) says which key opens it. The additional authenticated data binds a
 * value to its place (`<record type>.<field>:<record id>`): moved to another row or field, it fails to open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const ENVELOPE_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** IV | ciphertext | tag of `plaintext` under `key`, authenticated with `aad`. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** The plaintext of `sealed` (from `seal`); throws when the key, the aad or the bytes are wrong. */
export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);
}

/** The text envelope of `plaintext` under the data key `keyId`. */
export function sealText(keyId: string, key: Buffer, plaintext: string, aad: string): string {
  return `${ENVELOPE_PREFIX}${keyId}:${seal(key, Buffer.from(plaintext, 'utf8'), aad).toString('base64')}`;
}

/** The data key id and sealed bytes of a text envelope. */
export function parseEnvelope(envelope: string): { keyId: string; sealed: Buffer } {
  const rest = envelope.slice(ENVELOPE_PREFIX.length);
  const colon = rest.indexOf(':');
  if (!envelope.startsWith(ENVELOPE_PREFIX) || colon < 0) throw new Error('not an encrypted value');
  return { keyId: rest.slice(0, colon), sealed: Buffer.from(rest.slice(colon + 1), 'base64') };
}

/** The additional authenticated data of a field value. */
export function fieldAad(recordType: string, field: string, recordId: string): string {
  return `${recordType}.${field}:${recordId}`;
}
