/**
 * Clinical note input: a SOAP note with at least one part not blank and each part at most 10000
 * characters; or, in a chain whose SOAP notes are client-side encrypted, the practice's ciphertext alone
 * (shape checked: key id, algorithm, base64 IV and ciphertext and their sizes; docs/clinical-encryption.md).
 * Throws BAD_USER_INPUT naming the full input path.
 */
import {
  SOAP_NOTE_ALGORITHM, SOAP_NOTE_IV_BYTES, SOAP_NOTE_KEY_ID_PATTERN, SOAP_NOTE_MAX_CIPHERTEXT_BYTES, SOAP_NOTE_TAG_BYTES,
} from '../client/soap-note-crypto';
import { badInput } from '../errors/errors';
import type { AddClinicalNoteInput, EncryptedSoapNoteInput } from '../schema/inputs/clinical.inputs';
import { checkMaxLength, isGiven, isGivenText, MAX_LONG_TEXT } from './field-checks';

const SOAP_PARTS = ['subjective', 'objective', 'assessment', 'plan'] as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The chain's choice that the validation depends on (src/services/clinical-encryption/). */
export interface SoapNoteRules {
  clientSideSoapNotes: boolean;
  practiceKeyIds: readonly string[];
}

/** A SOAP note: at least one part not blank, each at most 10000 characters. */
export function validateClinicalNote(input: AddClinicalNoteInput, path: string, rules: SoapNoteRules = { clientSideSoapNotes: false, practiceKeyIds: [] }): void {
  if (rules.clientSideSoapNotes) {
    const plain = SOAP_PARTS.find((part) => isGiven(input[part]));
    if (plain) throw badInput(`${path}.${plain}`, 'this chain’s SOAP notes are encrypted by the client: send encryptedSoapNote, never plaintext parts');
    if (!isGiven(input.encryptedSoapNote)) throw badInput(`${path}.encryptedSoapNote`, 'is required: this chain’s SOAP notes are encrypted by the client');
    validateEncryptedSoapNote(input.encryptedSoapNote, `${path}.encryptedSoapNote`, rules.practiceKeyIds);
    return;
  }
  if (isGiven(input.encryptedSoapNote)) {
    throw badInput(`${path}.encryptedSoapNote`, 'this chain’s SOAP notes are not client-side encrypted (clinicalEncryptionPolicy): send the parts');
  }
  const parts = [input.subjective, input.objective, input.assessment, input.plan];
  if (!parts.some(isGivenText)) {
    throw badInput(`${path}.subjective`, 'at least one of subjective, objective, assessment or plan is required');
  }
  for (const part of SOAP_PARTS) checkMaxLength(input[part], `${path}.${part}`, MAX_LONG_TEXT);
}

/** The decoded length of a base64 text, or null when it is not base64 (standard alphabet, padded). */
function base64Bytes(value: unknown): number | null {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) return null;
  return (value.length / 4) * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
}

export function validateEncryptedSoapNote(note: EncryptedSoapNoteInput, path: string, practiceKeyIds: readonly string[]): void {
  if (typeof note.keyId !== 'string' || !SOAP_NOTE_KEY_ID_PATTERN.test(note.keyId)) throw badInput(`${path}.keyId`, 'must be 1-100 of A-Z a-z 0-9 . _ : -');
  if (practiceKeyIds.length > 0 && !practiceKeyIds.includes(note.keyId)) throw badInput(`${path}.keyId`, 'is not one of the chain’s current practice key ids');
  if (note.algorithm !== SOAP_NOTE_ALGORITHM) throw badInput(`${path}.algorithm`, `must be "${SOAP_NOTE_ALGORITHM}"`);
  if (base64Bytes(note.iv) !== SOAP_NOTE_IV_BYTES) throw badInput(`${path}.iv`, `must be ${SOAP_NOTE_IV_BYTES} bytes, base64`);
  const bytes = base64Bytes(note.ciphertext);
  if (bytes === null) throw badInput(`${path}.ciphertext`, 'must be base64');
  if (bytes <= SOAP_NOTE_TAG_BYTES) throw badInput(`${path}.ciphertext`, `must hold more than its ${SOAP_NOTE_TAG_BYTES}-byte tag`);
  if (bytes > SOAP_NOTE_MAX_CIPHERTEXT_BYTES) throw badInput(`${path}.ciphertext`, `must be at most ${SOAP_NOTE_MAX_CIPHERTEXT_BYTES} bytes`);
}
