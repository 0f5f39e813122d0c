/**
 * Clinical notes (SOAP), written by the signed-in registered practitioner at a store for a customer.
 * The parts are encrypted under the chain's data key before they are stored (src/crypto/clinical-text.ts);
 * the change log records the stored envelopes, and the returned note carries them too (reads decrypt per field).
 * In a chain whose SOAP notes are client-side encrypted (src/services/clinical-encryption/) the note is the
 * practice's ciphertext instead, stored and logged as given (no server envelope: the server has nothing to hide
 * it from, and never sees the plaintext); plaintext parts are refused.
 */
import { randomUUID } from 'node:crypto';
import { ENCRYPTED_FIELDS, recordKey, sealFields } from '../crypto/clinical-text';
import { keyRingFor } from '../crypto/key-ring';
import { recordChanges } from '../hash-chain/change-log';
import { validateClinicalNote } from '../clinical/clinical-note';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { ClinicalNote } from '../schema/clinical/clinical-note.entity';
import { ChangeAction, ChangeLogKind } from '../schema/enums';
import { AddClinicalNoteInput } from '../schema/inputs/clinical.inputs';
import { assertExaminationOfCustomer, registeredPractitioner, resolveClinicalTarget } from './clinical-context';
import { AuthenticatedContext } from '../context/authenticated-context';
import { EncryptedSoapNote } from '../schema/clinical/encrypted-soap-note.type';
import { soapNoteRules } from './clinical-encryption/clinical-encryption-policy';

export async function addClinicalNote(ctx: AuthenticatedContext, input: AddClinicalNoteInput): Promise<ClinicalNote> {
  const { principal, ability } = ctx;
  validateClinicalNote(input, 'input', await soapNoteRules(ctx.core.manager, principal.chainId));
  const { customer, store } = await resolveClinicalTarget(ctx, input.customerId, input.storeId);
  await registeredPractitioner(ctx);
  return ctx.clinical.transaction(async (tx) => {
    assertMay(ability, 'create', 'ClinicalNote', { chainId: principal.chainId, storeId: store.id }, fieldsSet(input));
    await assertExaminationOfCustomer(tx, principal, ability, input.examinationId, customer.id);
    const repo = tx.getRepository(ClinicalNote);
    const id = randomUUID();
    const parts = {
      subjective: input.subjective?.trim() || null,
      objective: input.objective?.trim() || null,
      assessment: input.assessment?.trim() || null,
      plan: input.plan?.trim() || null,
    };
    const encrypted = input.encryptedSoapNote ?? null;
    // Every note carries the chain's current data key id (key rotation's bookkeeping), even one with nothing sealed under it.
    const key = await recordKey(keyRingFor(ctx.config.masterKeyFile), tx, principal.chainId, null);
    const note = repo.create({
      id,
      chainId: principal.chainId,
      storeId: store.id,
      customerId: customer.id,
      examinationId: input.examinationId ?? null,
      authorId: principal.userId,
      ...(encrypted ? {} : sealFields<(typeof ENCRYPTED_FIELDS.ClinicalNote)[number]>(key, 'ClinicalNote', id, parts)),
      dataKeyId: key.id,
      soapKeyId: encrypted?.keyId ?? null,
      soapAlgorithm: encrypted?.algorithm ?? null,
      soapIv: encrypted?.iv ?? null,
      soapCiphertext: encrypted?.ciphertext ?? null,
    });
    await repo.insert(note);
    const added = await repo.findOneByOrFail({ id: note.id });
    await recordChanges(tx, ChangeLogKind.CLINICAL, principal, ctx.request, [{
      action: ChangeAction.CREATE, subject: 'ClinicalNote', entity: ClinicalNote, recordId: added.id, customerId: added.customerId,
      storeId: added.storeId, before: null, after: added,
    }]);
    return added;
  });
}

/** A note's client-side-encrypted SOAP parts for GraphQL, with the note's scope for the field guard (null: a plaintext-written note). */
export function encryptedSoapNoteOf(note: ClinicalNote): EncryptedSoapNote | null {
  if (!note.soapCiphertext || !note.soapKeyId || !note.soapAlgorithm || !note.soapIv) return null;
  return Object.assign(new EncryptedSoapNote(), {
    chainId: note.chainId, storeId: note.storeId, customerId: note.customerId, parentRecordId: note.id,
    keyId: note.soapKeyId, algorithm: note.soapAlgorithm, iv: note.soapIv, ciphertext: note.soapCiphertext,
  });
}
