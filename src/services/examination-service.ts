/**
 * Examinations: drafting (with refractions, visual acuities and pressures), editing while DRAFT,
 * and signing. Only registered practitioners draft; only the examining practitioner edits and signs.
 * A signed examination is locked: corrections are new examinations.
 */
import { EntityManager } from 'typeorm';
import { validateExaminationInput } from '../clinical/examination';
import { badInput, forbidden } from '../errors/errors';
import { AppAbility, Principal } from '../policies/ability';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { Examination } from '../schema/clinical/examination.entity';
import { IntraocularPressure } from '../schema/clinical/intraocular-pressure.entity';
import { Refraction } from '../schema/clinical/refraction.entity';
import { VisualAcuity } from '../schema/clinical/visual-acuity.entity';
import { ExaminationStatus } from '../schema/enums';
import { CreateExaminationInput, UpdateExaminationInput } from '../schema/inputs/clinical.inputs';
import { AppContext } from '../server/context';
import { registeredPractitioner, resolveClinicalTarget } from './clinical-context';
import { findVisibleRow } from './visible-rows';

type Findings = Pick<UpdateExaminationInput, 'refractions' | 'visualAcuities' | 'intraocularPressures'>;

async function replaceFindings(tx: EntityManager, exam: Examination, input: Findings, logMars: (number | null)[], values: string[]): Promise<void> {
  const keys = { examinationId: exam.id, chainId: exam.chainId, storeId: exam.storeId, customerId: exam.customerId };
  if (input.refractions) {
    await tx.getRepository(Refraction).delete({ examinationId: exam.id });
    if (input.refractions.length) {
      await tx.getRepository(Refraction).insert(input.refractions.map((r) => ({
        ...keys, eye: r.eye, type: r.type, sphere: r.sphere, cylinder: r.cylinder ?? 0, axis: r.axis ?? null,
        nearAdd: r.nearAdd ?? null, prismHorizontal: r.prismHorizontal ?? null, prismHorizontalBase: r.prismHorizontalBase ?? null,
        prismVertical: r.prismVertical ?? null, prismVerticalBase: r.prismVerticalBase ?? null,
      })));
    }
  }
  if (input.visualAcuities) {
    await tx.getRepository(VisualAcuity).delete({ examinationId: exam.id });
    if (input.visualAcuities.length) {
      await tx.getRepository(VisualAcuity).insert(input.visualAcuities.map((va, i) => ({
        ...keys, eye: va.eye, distance: va.distance, aid: va.aid, unit: va.unit, value: values[i], logMar: logMars[i],
      })));
    }
  }
  if (input.intraocularPressures) {
    await tx.getRepository(IntraocularPressure).delete({ examinationId: exam.id });
    if (input.intraocularPressures.length) {
      await tx.getRepository(IntraocularPressure).insert(input.intraocularPressures.map((p) => ({
        ...keys, eye: p.eye, mmHg: p.mmHg, instrument: p.instrument, measuredAt: p.measuredAt ?? exam.examinedAt,
      })));
    }
  }
}

/** Only the practitioner who examined edits or signs the draft: the record stays theirs. */
function assertExaminer(exam: Examination, principal: Principal): void {
  if (exam.practitionerId !== principal.userId) throw forbidden('Only the examining practitioner may change or sign this examination.');
}

export async function createExamination(ctx: AppContext, principal: Principal, ability: AppAbility, input: CreateExaminationInput): Promise<Examination> {
  const checked = validateExaminationInput(input, 'input', new Date());
  const { customer, store } = await resolveClinicalTarget(ctx, principal, ability, input.customerId, input.storeId);
  await registeredPractitioner(ctx, principal);
  return ctx.clinical.transaction(async (tx) => {
    assertMay(ability, 'create', 'Examination', { chainId: principal.chainId, storeId: store.id }, fieldsSet(input));
    const repo = tx.getRepository(Examination);
    const exam = repo.create({
      chainId: principal.chainId,
      storeId: store.id,
      customerId: customer.id,
      practitionerId: principal.userId,
      examinedAt: input.examinedAt ?? new Date(),
      reasonForVisit: input.reasonForVisit?.trim() || null,
      history: input.history?.trim() || null,
      status: ExaminationStatus.DRAFT,
    });
    await repo.insert(exam);
    await replaceFindings(tx, exam, input, checked.visualAcuities.map((v) => v.logMar), checked.visualAcuities.map((v) => v.value));
    return repo.findOneByOrFail({ id: exam.id });
  });
}

export async function updateExamination(
  ctx: AppContext,
  principal: Principal,
  ability: AppAbility,
  id: string,
  input: UpdateExaminationInput,
): Promise<Examination> {
  const fields = fieldsSet(input);
  if (fields.length === 0) throw badInput('input', 'sets no field');
  const checked = validateExaminationInput(input, 'input', new Date());
  await registeredPractitioner(ctx, principal);
  return ctx.clinical.transaction(async (tx) => {
    const exam = await findVisibleRow(tx, Examination, 'Examination', principal, ability, id, true);
    assertMay(ability, 'update', 'Examination', { chainId: exam.chainId, storeId: exam.storeId, id }, fields);
    assertExaminer(exam, principal);
    if (exam.status !== ExaminationStatus.DRAFT) throw badInput('id', 'examination is signed and locked; record a correction as a new examination');
    const changes: Partial<Examination> = {};
    if (input.examinedAt !== undefined) changes.examinedAt = input.examinedAt ?? exam.examinedAt;
    if (input.reasonForVisit !== undefined) changes.reasonForVisit = input.reasonForVisit?.trim() || null;
    if (input.history !== undefined) changes.history = input.history?.trim() || null;
    changes.updatedAt = new Date();
    await tx.getRepository(Examination).update({ id }, changes);
    await replaceFindings(tx, { ...exam, ...changes } as Examination, input, checked.visualAcuities.map((v) => v.logMar), checked.visualAcuities.map((v) => v.value));
    return tx.getRepository(Examination).findOneByOrFail({ id });
  });
}

export async function signExamination(ctx: AppContext, principal: Principal, ability: AppAbility, id: string): Promise<Examination> {
  await registeredPractitioner(ctx, principal);
  return ctx.clinical.transaction(async (tx) => {
    const exam = await findVisibleRow(tx, Examination, 'Examination', principal, ability, id, true);
    assertMay(ability, 'sign', 'Examination', { chainId: exam.chainId, storeId: exam.storeId, id });
    assertExaminer(exam, principal);
    if (exam.status !== ExaminationStatus.DRAFT) throw badInput('id', 'examination is already signed');
    await tx.getRepository(Examination).update({ id }, { status: ExaminationStatus.SIGNED, signedAt: new Date(), signedById: principal.userId });
    return tx.getRepository(Examination).findOneByOrFail({ id });
  });
}
