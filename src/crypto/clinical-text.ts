/**
 * Which clinical fields are free text stored encrypted, and sealing and opening them: a record's fields
 * are all under one data key (its `dataKeyId` column), each value bound to its record, field and id.
 * - ClinicalNote: subjective, objective, assessment, plan;
 * - Examination: reasonForVisit, history.
 * The database holds only envelopes (a CHECK on each table refuses anything else), and so does the change
 * log, which logs the stored values (src/hash-chain/change-log.ts); reads decrypt.
 */
import { fieldAad, isEnvelope, open, parseEnvelope, sealText } from './envelope';
import { DataKey, KeyQueryable, KeyRing } from './key-ring';

export const ENCRYPTED_FIELDS = {
  ClinicalNote: ['subjective', 'objective', 'assessment', 'plan'],
  Examination: ['reasonForVisit', 'history'],
} as const;

export type EncryptedRecordType = keyof typeof ENCRYPTED_FIELDS;

/** Tables and their encrypted columns (snake case), for the batch jobs (key rotation, legacy encryption). */
export const ENCRYPTED_TABLES: readonly { table: string; recordType: EncryptedRecordType; columns: Readonly<Record<string, string>> }[] = [
  { table: 'clinical_note', recordType: 'ClinicalNote', columns: { subjective: 'subjective', objective: 'objective', assessment: 'assessment', plan: 'plan' } },
  { table: 'examination', recordType: 'Examination', columns: { reasonForVisit: 'reason_for_visit', history: 'history' } },
];

export function isEncryptedField(recordType: string, field: string): boolean {
  return (ENCRYPTED_FIELDS as Record<string, readonly string[] | undefined>)[recordType]?.includes(field) ?? false;
}

/** The envelope of one value (null stays null). */
export function sealValue(key: DataKey, recordType: string, field: string, recordId: string, value: string | null): string | null {
  return value === null ? null : sealText(key.id, key.key, value, fieldAad(recordType, field, recordId));
}

/** The plaintext of one stored value (null stays null); a value that is no envelope is refused, never passed on as is. */
export async function openValue(ring: KeyRing, db: KeyQueryable, chainId: string, recordType: string, field: string, recordId: string, value: unknown): Promise<string | null> {
  if (value === null || value === undefined) return null;
  if (!isEnvelope(value)) throw new Error(`${recordType}.${field} of ${recordId} is not encrypted`);
  const { keyId, sealed } = parseEnvelope(value);
  const key = await ring.keyById(db, keyId, chainId);
  return open(key.key, sealed, fieldAad(recordType, field, recordId)).toString('utf8');
}

/**
 * Seals the given plaintext fields of a record under `key` (the record's own key when it has one, else the
 * chain's active key): returns the envelopes by field.
 */
export function sealFields<F extends string>(key: DataKey, recordType: string, recordId: string, values: Partial<Record<F, string | null>>): Partial<Record<F, string | null>> {
  const sealed: Partial<Record<F, string | null>> = {};
  for (const [field, value] of Object.entries(values) as [F, string | null | undefined][]) {
    if (value !== undefined) sealed[field] = sealValue(key, recordType, field, recordId, value);
  }
  return sealed;
}

/** The key a record's new values are sealed under: its own (all its fields share one), else the chain's active one. */
export async function recordKey(ring: KeyRing, db: KeyQueryable, chainId: string, dataKeyId: string | null): Promise<DataKey> {
  return dataKeyId ? ring.keyById(db, dataKeyId, chainId) : ring.activeKey(db, chainId);
}
