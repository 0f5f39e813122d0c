/**
 * The demo's practice key for client-side-encrypted SOAP notes (docs/clinical-encryption.md): the Lakeside Eyecare
 * chain has the option on, and its seeded notes are encrypted under this key with the client helper
 * (src/client/soap-note-crypto.ts), as its apps would. DEMO ONLY: the key is published in the README so the demo
 * can be tried; a real practice generates its own key and never gives it to the platform.
 */
import { EntityManager } from 'typeorm';
import { encryptSoapNote, importSoapNoteKey } from '../client/soap-note-crypto';
import { ClinicalNote } from '../schema/clinical/clinical-note.entity';

export const DEMO_PRACTICE_KEY = {
  keyId: 'lakeside-demo-2026',
  /** 32 bytes, base64 (README: "Client-side-encrypted SOAP notes"). */
  key: 'bGFrZXNpZGUtZGVtby1wcmFjdGljZS1rZXktMjAyNiE=',
} as const;

/** Turns the chain's client-side SOAP notes on, with the demo key id as its one current key. */
export async function seedClientSideSoapNotes(tx: EntityManager, chainId: string, keyId: string): Promise<void> {
  await tx.query(
    `INSERT INTO clinical_encryption_policy (chain_id, client_side_soap_notes, practice_key_ids) VALUES ($1, true, $2::text[])
     ON CONFLICT (chain_id) DO NOTHING`, [chainId, [keyId]]);
}

/** Replaces each seeded note's plaintext parts by the practice's ciphertext (the four parts then null). */
export async function encryptSeededNotes(notes: Partial<ClinicalNote>[], practice: { keyId: string; key: string }): Promise<void> {
  const key = await importSoapNoteKey(practice.key);
  for (const note of notes) {
    const sealed = await encryptSoapNote(key, practice.keyId, note.customerId as string, {
      subjective: note.subjective ?? null, objective: note.objective ?? null, assessment: note.assessment ?? null, plan: note.plan ?? null,
    });
    Object.assign(note, {
      subjective: null, objective: null, assessment: null, plan: null,
      soapKeyId: sealed.keyId, soapAlgorithm: sealed.algorithm, soapIv: sealed.iv, soapCiphertext: sealed.ciphertext,
    });
  }
}
