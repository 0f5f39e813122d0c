/**
 * Prescriptions: spectacle prescriptions and contact lens specifications, issued by the signed-in
 * registered practitioner (their name and registration number are printed on it).
 */
import { validateContactLensSpecification } from '../clinical/contact-lens-specification';
import { validateSpectaclePrescription } from '../clinical/spectacle-prescription';
import { badInput } from '../errors/errors';
import { AppAbility, Principal } from '../policies/ability';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { Examination } from '../schema/clinical/examination.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { IssueContactLensSpecificationInput, IssueSpectaclePrescriptionInput } from '../schema/inputs/clinical.inputs';
import { AppContext } from '../server/context';
import { todayUtc } from './customer-validation';
import { registeredPractitioner, resolveClinicalTarget } from './clinical-context';
import { findVisibleRow } from './visible-rows';
import { EntityManager } from 'typeorm';

async function checkExamination(tx: EntityManager, principal: Principal, ability: AppAbility, examinationId: string | null | undefined, customerId: string): Promise<void> {
  if (!examinationId) return;
  const exam = await findVisibleRow(tx, Examination, 'Examination', principal, ability, examinationId).catch(() => null);
  if (!exam || exam.customerId !== customerId) throw badInput('input.examinationId', 'is not an examination of this customer');
}

export async function issueSpectaclePrescription(
  ctx: AppContext,
  principal: Principal,
  ability: AppAbility,
  input: IssueSpectaclePrescriptionInput,
): Promise<SpectaclePrescription> {
  const today = todayUtc();
  validateSpectaclePrescription(input, 'input', today);
  const { customer, store } = await resolveClinicalTarget(ctx, principal, ability, input.customerId, input.storeId);
  const prescriber = await registeredPractitioner(ctx, principal);
  return ctx.clinical.transaction(async (tx) => {
    assertMay(ability, 'create', 'SpectaclePrescription', { chainId: principal.chainId, storeId: store.id }, fieldsSet(input));
    await checkExamination(tx, principal, ability, input.examinationId, customer.id);
    const repo = tx.getRepository(SpectaclePrescription);
    const { customerId: _c, storeId: _s, ...values } = input;
    const row = repo.create({
      ...values,
      chainId: principal.chainId,
      storeId: store.id,
      customerId: customer.id,
      examinationId: input.examinationId ?? null,
      issuedOn: input.issuedOn ?? today,
      prescriberId: prescriber.id,
      prescriberName: prescriber.name,
      prescriberRegistrationNumber: prescriber.registrationNumber as string,
    });
    await repo.insert(row);
    return repo.findOneByOrFail({ id: row.id });
  });
}

export async function issueContactLensSpecification(
  ctx: AppContext,
  principal: Principal,
  ability: AppAbility,
  input: IssueContactLensSpecificationInput,
): Promise<ContactLensSpecification> {
  const today = todayUtc();
  const { customer, store } = await resolveClinicalTarget(ctx, principal, ability, input.customerId, input.storeId);
  const checked = validateContactLensSpecification(input, 'input', today, customer.dateOfBirth);
  const prescriber = await registeredPractitioner(ctx, principal);
  return ctx.clinical.transaction(async (tx) => {
    assertMay(ability, 'create', 'ContactLensSpecification', { chainId: principal.chainId, storeId: store.id }, fieldsSet(input));
    await checkExamination(tx, principal, ability, input.examinationId, customer.id);
    const repo = tx.getRepository(ContactLensSpecification);
    const { customerId: _c, storeId: _s, ...values } = input;
    const row = repo.create({
      ...values,
      chainId: principal.chainId,
      storeId: store.id,
      customerId: customer.id,
      examinationId: input.examinationId ?? null,
      issuedOn: checked.issuedOn,
      patientDateOfBirth: checked.patientDateOfBirth,
      prescriberId: prescriber.id,
      prescriberName: prescriber.name,
      prescriberRegistrationNumber: prescriber.registrationNumber as string,
    });
    await repo.insert(row);
    return repo.findOneByOrFail({ id: row.id });
  });
}
