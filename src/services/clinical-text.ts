/**
 * Reading the encrypted clinical free text (src/crypto/clinical-text.ts) for GraphQL: one field of one
 * record, decrypted only when the field guard has let the field through (its resolver runs only then).
 */
import { AppContext } from '../context/app-context';
import { EncryptedRecordType, openValue } from '../crypto/clinical-text';
import { keyRingFor } from '../crypto/key-ring';

export function readClinicalText(
  ctx: AppContext,
  recordType: EncryptedRecordType,
  record: { id: string; chainId: string },
  field: string,
): Promise<string | null> {
  const stored = (record as unknown as Record<string, unknown>)[field];
  return openValue(keyRingFor(ctx.config.masterKeyFile), ctx.clinical, record.chainId, recordType, field, record.id, stored);
}
