/**
 * Client-side encryption of SOAP notes (issue 15, item 4; docs/clinical-encryption.md), for the practice's own
 * apps: WebCrypto only (globalThis.crypto.subtle: browsers and Node 20), no server code. The practice keeps the key;
 * the API stores and returns only what this module makes.
 *
 * Format "AES-256-GCM" (version 1):
 * - key: a 256-bit AES-GCM key of the practice, named by a key id (1-100 of A-Z a-z 0-9 . _ : -) the practice chooses;
 * - plaintext: the UTF-8 JSON object `{"subjective":…,"objective":…,"assessment":…,"plan":…}` (each a string or null);
 * - iv: 12 random bytes, base64 (standard alphabet, padded): 16 characters;
 * - ciphertext: AES-GCM output (the encrypted text followed by its 16-byte tag), base64;
 * - additional data: `visus-soap-v1|<customerId>|<keyId>` (UTF-8): the note opens only for its customer and key id.
 */

export const SOAP_NOTE_ALGORITHM = 'AES-256-GCM';
export const SOAP_NOTE_IV_BYTES = 12;
export const SOAP_NOTE_TAG_BYTES = 16;
/** The largest ciphertext accepted (decoded bytes): four parts of 10000 characters at 4 bytes each, plus JSON and tag. */
export const SOAP_NOTE_MAX_CIPHERTEXT_BYTES = 4 * 10_000 * 4 + 1024;
export const SOAP_NOTE_KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

export interface SoapNote {
  subjective: string | null;
  objective: string | null;
  assessment: string | null;
  plan: string | null;
}

export interface EncryptedSoapNote {
  keyId: string;
  algorithm: typeof SOAP_NOTE_ALGORITHM;
  iv: string;
  ciphertext: string;
}

/** A note as the API returns it: its customer and its encrypted SOAP parts. */
export interface NoteWithEncryptedSoap {
  customerId: string;
  encryptedSoapNote: { keyId: string; algorithm: string; iv: string; ciphertext: string } | null;
}

/** WebCrypto's types as the runtime declares them (no DOM lib needed). */
type Subtle = typeof globalThis.crypto.subtle;
/** A WebCrypto key (CryptoKey). */
export type SoapNoteKey = Parameters<Subtle['encrypt']>[1];

function subtle(): Subtle {
  const found = globalThis.crypto?.subtle;
  if (!found) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available');
  return found;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The additional data that binds a note's ciphertext to its customer and key id. */
export function soapNoteAdditionalData(customerId: string, keyId: string): Uint8Array {
  return new TextEncoder().encode(`visus-soap-v1|${customerId.toLowerCase()}|${keyId}`);
}

/** A new practice key (extractable, so the practice can back it up with exportSoapNoteKey). */
export function generateSoapNoteKey(): Promise<SoapNoteKey> {
  return subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']) as Promise<SoapNoteKey>;
}

/** A practice key from its 32 raw bytes, given as base64. */
export async function importSoapNoteKey(base64Key: string, extractable = false): Promise<SoapNoteKey> {
  const raw = fromBase64(base64Key);
  if (raw.length !== 32) throw new Error('a SOAP note key is 32 bytes (256 bits)');
  return subtle().importKey('raw', raw, { name: 'AES-GCM' }, extractable, ['encrypt', 'decrypt']);
}

/** The raw key as base64 (for the practice's key backup). */
export async function exportSoapNoteKey(key: SoapNoteKey): Promise<string> {
  return toBase64(new Uint8Array(await subtle().exportKey('raw', key)));
}

/** Encrypts a SOAP note for `customerId` under the practice key `key` named `keyId`: the `encryptedSoapNote` input. */
export async function encryptSoapNote(key: SoapNoteKey, keyId: string, customerId: string, soap: Partial<SoapNote>): Promise<EncryptedSoapNote> {
  if (!SOAP_NOTE_KEY_ID_PATTERN.test(keyId)) throw new Error('a key id is 1-100 of A-Z a-z 0-9 . _ : -');
  const note: SoapNote = { subjective: soap.subjective ?? null, objective: soap.objective ?? null, assessment: soap.assessment ?? null, plan: soap.plan ?? null };
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(SOAP_NOTE_IV_BYTES));
  const sealed = await subtle().encrypt(
    { name: 'AES-GCM', iv, additionalData: soapNoteAdditionalData(customerId, keyId), tagLength: SOAP_NOTE_TAG_BYTES * 8 },
    key, new TextEncoder().encode(JSON.stringify(note)),
  );
  return { keyId, algorithm: SOAP_NOTE_ALGORITHM, iv: toBase64(iv), ciphertext: toBase64(new Uint8Array(sealed)) };
}

/** Decrypts a note's encrypted SOAP parts (throws when the key, the customer or the ciphertext does not match). */
export async function decryptSoapNote(key: SoapNoteKey, note: NoteWithEncryptedSoap): Promise<SoapNote> {
  const encrypted = note.encryptedSoapNote;
  if (!encrypted) throw new Error('the note has no encrypted SOAP parts');
  if (encrypted.algorithm !== SOAP_NOTE_ALGORITHM) throw new Error(`unknown algorithm ${encrypted.algorithm}`);
  const plain = await subtle().decrypt(
    { name: 'AES-GCM', iv: fromBase64(encrypted.iv), additionalData: soapNoteAdditionalData(note.customerId, encrypted.keyId), tagLength: SOAP_NOTE_TAG_BYTES * 8 },
    key, fromBase64(encrypted.ciphertext),
  );
  const parsed = JSON.parse(new TextDecoder().decode(plain)) as Partial<Record<keyof SoapNote, unknown>>;
  const part = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return { subjective: part(parsed.subjective), objective: part(parsed.objective), assessment: part(parsed.assessment), plan: part(parsed.plan) };
}
