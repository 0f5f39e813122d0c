/**
 * Examinations: drafting (with refractions, visual acuities and pressures), editing while DRAFT,
 * and signing. Only registered practitioners draft; only the examining practitioner edits and signs.
 * A signed examination is locked: corrections are new examinations.
 *
 * The examination time and the pressures' measurement times must not be before the patient's date of
 * birth. That is checked only for a time before today, and only for a caller who may read
 * Customer.dateOfBirth at the customer's home store; anyone else giving such a time is refused with
 * FORBIDDEN before the date of birth is used (clinical-context.ts `checkPatientDates`).
 *
 * The free text (reasonForVisit, history) is encrypted under the record's data key before it is stored
 * (src/crypto/clinical-text.ts); an update that gives a field its present text again leaves the stored value.
 */
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ENCRYPTED_FIELDS, openValue, recordKey, sealFields } from '../crypto/clinical-text';
import { keyRingFor } from '../crypto/key-ring';
import { RecordChange, recordChanges } from '../hash-chain/change-log';
import { validateExaminationInput } from '../clinical/examination';
import { badInput, forbidden, notFound } from '../errors/errors';
import { Principal } from '../policies/ability';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { entitiesFromReturning } from '../db/returning-rows';
import { ExaminationFindingBase } from '../schema/clinical/examination-finding.base';
import { Examination } from '../schema/clinical/examination.entity';
import { IntraocularPressure } from '../schema/clinical/intraocular-pressure.entity';
import { Refraction } from '../schema/clinical/refraction.entity';
import { VisualAcuity } from '../schema/clinical/visual-acuity.entity';
import { ChangeAction, ChangeLogKind, ExaminationStatus } from '../schema/enums';
import { CreateExaminationInput, UpdateExaminationInput } from '../schema/inputs/clinical.inputs';
import { Customer } from '../schema/core/customer.entity';
import { checkPatientDates, PatientDate, registeredPractitioner, resolveClinicalTarget } from './clinical-context';
import { findWriteTarget } from './visible-rows';
import { AuthenticatedContext } from '../context/authenticated-context';

type Findings = Pick<UpdateExaminationInput, 'refractions' | 'visualAcuities' | 'intraocularPressures'>;

type FindingEntity = typeof Refraction | typeof VisualAcuity | typeof IntraocularPressure;

/** The finding rows a replacement removed and added (as stored: RETURNING *), for the change log. */
interface ReplacedFindings {
  entity: FindingEntity;
  removed: ExaminationFindingBase[];
  added: ExaminationFindingBase[];
}

async function replaceList(tx: EntityManager, entity: FindingEntity, examinationId: string, rows: object[]): Promise<ReplacedFindings> {
  const deleted = await tx.createQueryBuilder().delete().from(entity).where('examination_id = :examinationId', { examinationId }).returning('*').execute();
  let added: ExaminationFindingBase[] = [];
  if (rows.length) {
    // TypeORM's values() wants its own deep-partial type; the rows are built from the entity's fields.
    const inserted = await tx.createQueryBuilder().insert().into(entity).values(rows as never).returning('*').execute();
    added = entitiesFromReturning<ExaminationFindingBase>(tx, entity, inserted.raw);
  }
  return { entity, removed: entitiesFromReturning<ExaminationFindingBase>(tx, entity, deleted.raw), added };
}

/** Replaces each finding list the input gives (a list not given is left as it is). */
async function replaceFindings(tx: EntityManager, exam: Examination, input: Findings, logMars: (number | null)[], values: string[]): Promise<ReplacedFindings[]> {
  const keys = { examinationId: exam.id, chainId: exam.chainId, storeId: exam.storeId, customerId: exam.customerId };
  const replaced: ReplacedFindings[] = [];
  if (input.refractions) {
    replaced.push(await replaceList(tx, Refraction, exam.id, input.refractions.map((r) => ({
      ...keys, eye: r.eye, type: r.type, sphere: r.sphere, cylinder: r.cylinder ?? 0, axis: r.axis ?? null,
      nearAdd: r.nearAdd ?? null, prismHorizontal: r.prismHorizontal ?? null, prismHorizontalBase: r.prismHorizontalBase ?? null,
      prismVertical: r.prismVertical ?? null, prismVerticalBase: r.prismVerticalBase ?? null,
    }))));
  }
  if (input.visualAcuities) {
    replaced.push(await replaceList(tx, VisualAcuity, exam.id, input.visualAcuities.map((va, i) => ({
      ...keys, eye: va.eye, distance: va.distance, aid: va.aid, unit: va.unit, value: values[i], logMar: logMars[i],
    }))));
  }
  if (input.intraocularPressures) {
    replaced.push(await replaceList(tx, IntraocularPressure, exam.id, input.intraocularPressures.map((p) => ({
      ...keys, eye: p.eye, mmHg: p.mmHg, instrument: p.instrument, measuredAt: p.measuredAt ?? exam.examinedAt,
    }))));
  }
  return replaced;
}

/** Change log entries of an examination and of the findings replaced with it: removed ones, then added ones. */
function examinationChanges(action: ChangeAction, before: Examination | null, after: Examination, findings: ReplacedFindings[]): RecordChange[] {
  const keys = { subject: 'Examination', customerId: after.customerId, storeId: after.storeId };
  return [
    { ...keys, action, entity: Examination, recordId: after.id, before, after },
    ...findings.flatMap(({ entity, removed }) => removed.map((row): RecordChange => ({ ...keys, action: ChangeAction.DELETE, entity, recordId: row.id, before: row, after: null }))),
    ...findings.flatMap(({ entity, added }) => added.map((row): RecordChange => ({ ...keys, action: ChangeAction.CREATE, entity, recordId: row.id, before: null, after: row }))),
  ];
}

/** The dates of an examination input that are checked against the patient's date of birth. */
function patientDates(input: CreateExaminationInput | UpdateExaminationInput): PatientDate[] {
  return [
    { field: 'input.examinedAt', value: input.examinedAt },
    ...(input.intraocularPressures ?? []).map((p, i) => ({ field: `input.intraocularPressures[${i}].measuredAt`, value: p.measuredAt })),
  ];
}

type ExaminationText = (typeof ENCRYPTED_FIELDS.Examination)[number];

/** The encrypted free-text columns an update sets: the fields given with a text other than the present one, sealed. */
async function sealedTextChanges(ctx: AuthenticatedContext, tx: EntityManager, exam: Examination, input: UpdateExaminationInput): Promise<Partial<Examination>> {
  const ring = keyRingFor(ctx.config.masterKeyFile);
  const given: Partial<Record<ExaminationText, string | null>> = {};
  for (const field of ENCRYPTED_FIELDS.Examination) {
    if (input[field] === undefined) continue;
    const text = input[field]?.trim() || null;
    if (text !== await openValue(ring, tx, exam.chainId, 'Examination', field, exam.id, exam[field])) given[field] = text;
  }
  if (Object.keys(given).length === 0) return {};
  const key = await recordKey(ring, tx, exam.chainId, exam.dataKeyId);
  return { ...sealFields(key, 'Examination', exam.id, given), dataKeyId: key.id };
}

/** Only the practitioner who examined edits or signs the draft: the record stays theirs. */
function assertExaminer(exam: Examination, principal: Principal): void {
  if (exam.practitionerId !== principal.userId) throw forbidden('Only the examining practitioner may change or sign this examination.');
}

export async function createExamination(ctx: AuthenticatedContext, input: CreateExaminationInput): Promise<Examination> {
  const { principal, ability } = ctx;
  const checked = validateExaminationInput(input, 'input', new Date());
  const { customer, store } = await resolveClinicalTarget(ctx, input.customerId, input.storeId);
  await registeredPractitioner(ctx);
  return ctx.clinical.transaction(async (tx) => {
    assertMay(ability, 'create', 'Examination', { chainId: principal.chainId, storeId: store.id }, fieldsSet(input));
    checkPatientDates(ability, customer, patientDates(input));
    const repo = tx.getRepository(Examination);
    const id = randomUUID();
    const key = await recordKey(keyRingFor(ctx.config.masterKeyFile), tx, principal.chainId, null);
    const text = { reasonForVisit: input.reasonForVisit?.trim() || null, history: input.history?.trim() || null };
    const exam = repo.create({
      id,
      chainId: principal.chainId,
      storeId: store.id,
      customerId: customer.id,
      practitionerId: principal.userId,
      examinedAt: input.examinedAt ?? new Date(),
      ...sealFields<ExaminationText>(key, 'Examination', id, text),
      dataKeyId: key.id,
      status: ExaminationStatus.DRAFT,
    });
    await repo.insert(exam);
    const findings = await replaceFindings(tx, exam, input, checked.visualAcuities.map((v) => v.logMar), checked.visualAcuities.map((v) => v.value));
    const created = await repo.findOneByOrFail({ id: exam.id });
    await recordChanges(tx, ChangeLogKind.CLINICAL, principal, ctx.request, examinationChanges(ChangeAction.CREATE, null, created, findings));
    return created;
  });
}

export async function updateExamination(
  ctx: AuthenticatedContext,
  id: string,
  input: UpdateExaminationInput,
): Promise<Examination> {
  const { principal, ability } = ctx;
  const fields = fieldsSet(input);
  if (fields.length === 0) throw badInput('input', 'sets no field');
  const checked = validateExaminationInput(input, 'input', new Date());
  await registeredPractitioner(ctx);
  return ctx.clinical.transaction(async (tx) => {
    const exam = await findWriteTarget({ manager: tx, core: ctx.core.manager, entity: Examination, subjectName: 'Examination' }, principal, ability, id);
    assertMay(ability, 'update', 'Examination', { chainId: exam.chainId, storeId: exam.storeId, id }, fields);
    assertExaminer(exam, principal);
    if (exam.status !== ExaminationStatus.DRAFT) throw badInput('id', 'examination is signed and locked; record a correction as a new examination');
    const dates = patientDates(input);
    if (dates.some((date) => date.value)) {
      const customer = await ctx.core.getRepository(Customer).findOneBy({ id: exam.customerId, chainId: principal.chainId });
      if (!customer) throw notFound('Customer');
      checkPatientDates(ability, customer, dates);
    }
    const changes: Partial<Examination> = {};
    if (input.examinedAt !== undefined) changes.examinedAt = input.examinedAt ?? exam.examinedAt;
    Object.assign(changes, await sealedTextChanges(ctx, tx, exam, input));
    changes.updatedAt = new Date();
    await tx.getRepository(Examination).update({ id }, changes);
    const findings = await replaceFindings(tx, { ...exam, ...changes } as Examination, input, checked.visualAcuities.map((v) => v.logMar), checked.visualAcuities.map((v) => v.value));
    const updated = await tx.getRepository(Examination).findOneByOrFail({ id });
    await recordChanges(tx, ChangeLogKind.CLINICAL, principal, ctx.request, examinationChanges(ChangeAction.UPDATE, exam, updated, findings));
    return updated;
  });
}

export async function signExamination(ctx: AuthenticatedContext, id: string): Promise<Examination> {
  const { principal, ability } = ctx;
  await registeredPractitioner(ctx);
  return ctx.clinical.transaction(async (tx) => {
    const exam = await findWriteTarget({ manager: tx, core: ctx.core.manager, entity: Examination, subjectName: 'Examination' }, principal, ability, id);
    assertMay(ability, 'sign', 'Examination', { chainId: exam.chainId, storeId: exam.storeId, id });
    assertExaminer(exam, principal);
    if (exam.status !== ExaminationStatus.DRAFT) throw badInput('id', 'examination is already signed');
    await tx.getRepository(Examination).update({ id }, { status: ExaminationStatus.SIGNED, signedAt: new Date(), signedById: principal.userId });
    const signed = await tx.getRepository(Examination).findOneByOrFail({ id });
    await recordChanges(tx, ChangeLogKind.CLINICAL, principal, ctx.request, examinationChanges(ChangeAction.SIGN, exam, signed, []));
    return signed;
  });
}
