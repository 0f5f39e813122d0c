/**
 * A chain's clinical encryption policy through the API (docs/clinical-encryption.md): `clinicalEncryptionPolicy`
 * reads it (off until set), `updateClinicalEncryptionPolicy` changes it, and the note service asks
 * `soapNoteRules` what a new note must look like. Chain-wide (`ClinicalEncryptionPolicy`: only chain-scoped grants
 * reach it). A change is validated (BAD_USER_INPUT: key ids well formed, at most 20) and written in one transaction
 * with its entry in the security settings history (setting `ClinicalEncryptionPolicy`, before and after); switching
 * client-side encryption off is a weakening (a SETTING_WEAKENED security event). It applies to notes written
 * afterwards: notes already written keep their form.
 */
import { EntityManager } from 'typeorm';
import { recordSettingWeakened } from '../../audit/security-event-log';
import { SOAP_NOTE_KEY_ID_PATTERN } from '../../client/soap-note-crypto';
import { SoapNoteRules } from '../../clinical/clinical-note';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { badInput } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { ClinicalEncryptionPolicyView } from '../../schema/core/clinical-encryption-policy.type';
import { UpdateClinicalEncryptionPolicyInput } from '../../schema/inputs/clinical-encryption.inputs';

const MAX_KEY_IDS = 20;
export const SETTING = 'ClinicalEncryptionPolicy';

interface Queryable {
  query: EntityManager['query'];
}

interface Stored {
  clientSideSoapNotes: boolean;
  practiceKeyIds: string[];
  updatedAt: Date | null;
  isDefault: boolean;
}

async function stored(db: Queryable, chainId: string): Promise<Stored> {
  const [row] = await db.query(
    `SELECT client_side_soap_notes AS "clientSideSoapNotes", practice_key_ids AS "practiceKeyIds", updated_at AS "updatedAt"
       FROM clinical_encryption_policy WHERE chain_id = $1`, [chainId]) as Omit<Stored, 'isDefault'>[];
  return row ? { ...row, isDefault: false } : { clientSideSoapNotes: false, practiceKeyIds: [], updatedAt: null, isDefault: true };
}

/** What a new note of the chain must look like (plaintext parts, or the practice's ciphertext under one of these key ids). */
export async function soapNoteRules(db: Queryable, chainId: string): Promise<SoapNoteRules> {
  const { clientSideSoapNotes, practiceKeyIds } = await stored(db, chainId);
  return { clientSideSoapNotes, practiceKeyIds };
}

function view(chainId: string, policy: Stored): ClinicalEncryptionPolicyView {
  return Object.assign(new ClinicalEncryptionPolicyView(), { chainId, ...policy });
}

export async function readClinicalEncryptionPolicy(ctx: AuthenticatedContext): Promise<ClinicalEncryptionPolicyView> {
  assertMay(ctx.ability, 'read', SETTING, { chainId: ctx.principal.chainId });
  return view(ctx.principal.chainId, await stored(ctx.core.manager, ctx.principal.chainId));
}

interface Changes {
  clientSideSoapNotes?: boolean;
  practiceKeyIds?: string[];
}

function changesOf(input: UpdateClinicalEncryptionPolicyInput | null | undefined): Changes {
  const changes: Changes = {};
  if (input?.clientSideSoapNotes !== undefined && input.clientSideSoapNotes !== null) changes.clientSideSoapNotes = input.clientSideSoapNotes;
  if (input?.practiceKeyIds !== undefined && input.practiceKeyIds !== null) {
    const ids = input.practiceKeyIds;
    if (ids.length > MAX_KEY_IDS) throw badInput('input.practiceKeyIds', `must list at most ${MAX_KEY_IDS} key ids`);
    ids.forEach((id, i) => {
      if (typeof id !== 'string' || !SOAP_NOTE_KEY_ID_PATTERN.test(id)) throw badInput(`input.practiceKeyIds[${i}]`, 'must be 1-100 of A-Z a-z 0-9 . _ : -');
    });
    changes.practiceKeyIds = [...new Set(ids)].sort();
  }
  if (Object.keys(changes).length === 0) throw badInput('input', 'sets nothing');
  return changes;
}

export async function updateClinicalEncryptionPolicy(
  ctx: AuthenticatedContext, input: UpdateClinicalEncryptionPolicyInput | null | undefined,
): Promise<ClinicalEncryptionPolicyView> {
  const { principal, ability } = ctx;
  const changes = changesOf(input);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'update', SETTING, { chainId: principal.chainId }, fieldsSet(changes));
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`clinical_encryption_policy|${principal.chainId}`]);
    const current = await stored(tx, principal.chainId);
    const before = { clientSideSoapNotes: current.clientSideSoapNotes, practiceKeyIds: current.practiceKeyIds };
    const after = { ...before, ...changes };
    if (!current.isDefault && JSON.stringify(before) === JSON.stringify(after)) return view(principal.chainId, current);
    await tx.query(
      `INSERT INTO clinical_encryption_policy (chain_id, client_side_soap_notes, practice_key_ids, updated_at, updated_by_id)
       VALUES ($1, $2, $3::text[], now(), $4)
       ON CONFLICT (chain_id) DO UPDATE SET client_side_soap_notes = EXCLUDED.client_side_soap_notes,
         practice_key_ids = EXCLUDED.practice_key_ids, updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id`,
      [principal.chainId, after.clientSideSoapNotes, after.practiceKeyIds, principal.userId],
    );
    const weakened = before.clientSideSoapNotes && !after.clientSideSoapNotes ? [`${SETTING}.clientSideSoapNotes`] : [];
    await recordSecuritySettingChange(tx, principal, ctx.request, {
      setting: SETTING, before: { ...before, isDefault: current.isDefault }, after: { ...after, isDefault: false }, weakened,
    });
    for (const setting of weakened) await recordSettingWeakened(tx, { chainId: principal.chainId, userId: principal.userId, setting, before: 1, after: 0 });
    return view(principal.chainId, await stored(tx, principal.chainId));
  });
}
