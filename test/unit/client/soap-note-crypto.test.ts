/**
 * The client helper for client-side-encrypted SOAP notes (src/client/soap-note-crypto.ts), on its own: the documented
 * format (AES-256-GCM, 12-byte IV, tag last, additional data `visus-soap-v1|<customerId>|<keyId>`) checked against
 * node:crypto as an independent implementation, round trips, and refusals (another key, another customer, another key
 * id, a changed byte).
 */
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { decryptSoapNote, encryptSoapNote, exportSoapNoteKey, generateSoapNoteKey, importSoapNoteKey } from '../../../src/client/soap-note-crypto';

const soap = { subjective: 'Blurred near vision – “since spring” 👓', objective: null, assessment: 'Presbyopia', plan: 'Reading glasses +1.50' };

describe('soap-note-crypto', () => {
  it('encrypts to the documented shape and opens again', async () => {
    const key = await generateSoapNoteKey();
    const customerId = randomUUID();
    const sealed = await encryptSoapNote(key, 'practice-1', customerId, soap);
    expect(sealed).toMatchObject({ keyId: 'practice-1', algorithm: 'AES-256-GCM' });
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(sealed.iv).toMatch(/^[A-Za-z0-9+/]{16}$/);
    expect(Buffer.from(sealed.ciphertext, 'base64').length).toBe(Buffer.byteLength(JSON.stringify(soap)) + 16);
    expect(await decryptSoapNote(key, { customerId, encryptedSoapNote: sealed })).toEqual(soap);
    // Two encryptions of one note differ (a fresh IV each time).
    expect((await encryptSoapNote(key, 'practice-1', customerId, soap)).iv).not.toBe(sealed.iv);
  });

  it('opens what node:crypto sealed in the documented format (an independent implementation)', async () => {
    const raw = randomBytes(32);
    const iv = randomBytes(12);
    const customerId = randomUUID();
    const cipher = createCipheriv('aes-256-gcm', raw, iv);
    cipher.setAAD(Buffer.from(`visus-soap-v1|${customerId}|k-9`));
    const body = Buffer.concat([cipher.update(JSON.stringify(soap), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const key = await importSoapNoteKey(raw.toString('base64'));
    const note = { customerId, encryptedSoapNote: { keyId: 'k-9', algorithm: 'AES-256-GCM', iv: iv.toString('base64'), ciphertext: body.toString('base64') } };
    expect(await decryptSoapNote(key, note)).toEqual(soap);
  });

  it('refuses another key, another customer, another key id and a changed byte', async () => {
    const key = await generateSoapNoteKey();
    const customerId = randomUUID();
    const sealed = await encryptSoapNote(key, 'practice-1', customerId, soap);
    await expect(decryptSoapNote(await generateSoapNoteKey(), { customerId, encryptedSoapNote: sealed })).rejects.toThrow();
    await expect(decryptSoapNote(key, { customerId: randomUUID(), encryptedSoapNote: sealed })).rejects.toThrow();
    await expect(decryptSoapNote(key, { customerId, encryptedSoapNote: { ...sealed, keyId: 'practice-2' } })).rejects.toThrow();
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] ^= 1;
    await expect(decryptSoapNote(key, { customerId, encryptedSoapNote: { ...sealed, ciphertext: bytes.toString('base64') } })).rejects.toThrow();
    await expect(decryptSoapNote(key, { customerId, encryptedSoapNote: { ...sealed, algorithm: 'AES-128-CBC' } })).rejects.toThrow(/unknown algorithm/);
    await expect(decryptSoapNote(key, { customerId, encryptedSoapNote: null })).rejects.toThrow();
  });

  it('exports and imports keys (32 bytes) and refuses a bad key id or key length', async () => {
    const key = await generateSoapNoteKey();
    const exported = await exportSoapNoteKey(key);
    expect(Buffer.from(exported, 'base64')).toHaveLength(32);
    const again = await importSoapNoteKey(exported);
    const customerId = randomUUID();
    expect(await decryptSoapNote(again, { customerId, encryptedSoapNote: await encryptSoapNote(key, 'a', customerId, soap) })).toEqual(soap);
    await expect(importSoapNoteKey(randomBytes(16).toString('base64'))).rejects.toThrow(/32 bytes/);
    await expect(encryptSoapNote(key, 'no spaces allowed', customerId, soap)).rejects.toThrow(/key id/);
  });
});
