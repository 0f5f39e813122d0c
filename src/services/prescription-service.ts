/**
 * Prescriptions: spectacle prescriptions and contact lens specifications, issued by the signed-in
 * registered practitioner (their name and registration number are printed on it).
 */
import { ObjectLiteral } from 'typeorm';
import { recordChanges } from '../audit/change-log';
import { validateContactLensSpecification } from '../clinical/contact-lens-specification';
import { validateSpectaclePrescription } from '../clinical/spectacle-prescription';
import { AppAbility, Principal } from '../policies/ability';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { ChangeAction, ChangeLogKind } from '../schema/enums';
import { IssueContactLensSpecificationInput, IssueSpectaclePrescriptionInput } from '../schema/inputs/clinical.inputs';
import { AppContext } from '../server/context';
import { assertExaminationOfCustomer, registeredPractitioner, resolveClinicalTarget } from './clinical-context';
import { todayUtc } from './customer-validation';

interface IssueRequest<I extends { customerId: string; storeId: string; examinationId?: string | null }> {
  subject: 'SpectaclePrescription' | 'ContactLensSpecification';
  entity: new () => ObjectLiteral & { id: string };
  input: I;
  /** Validates the input (given the customer's date of birth) and returns derived columns. */
  validate(customerDateOfBirth: string): Record<string, unknown>;
}

async function issue<I extends { customerId: string; storeId: string; examinationId?: string | null }, E>(
  ctx: AppContext,
  principal: Principal,
  ability: AppAbility,
  request: IssueRequest<I>,
): Promise<E> {
  const { customerId, storeId, ...values } = request.input;
  const { customer, store } = await resolveClinicalTarget(ctx, principal, ability, customerId, storeId);
  const derived = request.validate(customer.dateOfBirth);
  const prescriber = await registeredPractitioner(ctx, principal);
  return ctx.clinical.transaction(async (tx) => {
    assertMay(ability, 'create', request.subject, { chainId: principal.chainId, storeId: store.id }, fieldsSet(request.input));
    await assertExaminationOfCustomer(tx, principal, ability, request.input.examinationId, customer.id);
    const repo = tx.getRepository(request.entity);
    const row = repo.create({
      ...values,
      ...derived,
      chainId: principal.chainId,
      storeId: store.id,
      customerId: customer.id,
      examinationId: request.input.examinationId ?? null,
      prescriberId: prescriber.id,
      prescriberName: prescriber.name,
      prescriberRegistrationNumber: prescriber.registrationNumber as string,
    });
    await repo.insert(row);
    const issued = await repo.findOneByOrFail({ id: row.id });
    await recordChanges(tx, ChangeLogKind.CLINICAL, principal, ctx.request, [{
      action: ChangeAction.CREATE, subject: request.subject, entity: request.entity, recordId: issued.id, customerId: customer.id,
      storeId: store.id, before: null, after: issued,
    }]);
    return issued as E;
  });
}

export function issueSpectaclePrescription(
  ctx: AppContext,
  principal: Principal,
  ability: AppAbility,
  input: IssueSpectaclePrescriptionInput,
): Promise<SpectaclePrescription> {
  const today = todayUtc();
  validateSpectaclePrescription(input, 'input', today);
  return issue(ctx, principal, ability, {
    subject: 'SpectaclePrescription',
    entity: SpectaclePrescription,
    input,
    validate: () => ({ issuedOn: input.issuedOn ?? today }),
  });
}

export function issueContactLensSpecification(
  ctx: AppContext,
  principal: Principal,
  ability: AppAbility,
  input: IssueContactLensSpecificationInput,
): Promise<ContactLensSpecification> {
  return issue(ctx, principal, ability, {
    subject: 'ContactLensSpecification',
    entity: ContactLensSpecification,
    input,
    validate: (dateOfBirth) => ({ ...validateContactLensSpecification(input, 'input', todayUtc(), dateOfBirth) }),
  });
}
