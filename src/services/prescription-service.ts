/**
 * Prescriptions: spectacle prescriptions and contact lens specifications, issued by the signed-in
 * registered practitioner (their name and registration number are printed on it).
 *
 * The patient's date of birth (Customer.dateOfBirth) is used only for a caller who may read it at the
 * customer's home store (policies/derived-fields.ts), after the input's own checks and the right to issue:
 * - a contact lens specification always uses it (it carries the date of birth of a patient under 16, and its
 *   issue date must not be before it): issuing one is FORBIDDEN to a caller who may not read it, whatever the
 *   patient's age, so the payload, an error or the outcome cannot tell them the date or "under 16";
 * - a spectacle prescription uses it only for an issue date before today (checked against it); for one dated
 *   today (the default) it is not needed, and nobody needs the right to read it.
 */
import { ObjectLiteral } from 'typeorm';
import { recordChanges } from '../hash-chain/change-log';
import { checkContactLensSpecification, contactLensPatientDateOfBirth } from '../clinical/contact-lens-specification';
import { validateSpectaclePrescription } from '../clinical/spectacle-prescription';
import { assertMayUse, PATIENT_DATE_OF_BIRTH } from '../policies/derived-fields';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { Customer } from '../schema/core/customer.entity';
import { ChangeAction, ChangeLogKind } from '../schema/enums';
import { IssueContactLensSpecificationInput, IssueSpectaclePrescriptionInput } from '../schema/inputs/clinical.inputs';
import { assertExaminationOfCustomer, checkPatientDates, registeredPractitioner, resolveClinicalTarget } from './clinical-context';
import { todayUtc } from './customer-validation';
import { AuthenticatedContext } from '../context/authenticated-context';

interface IssueRequest<I extends { customerId: string; storeId: string; examinationId?: string | null }> {
  subject: 'SpectaclePrescription' | 'ContactLensSpecification';
  entity: new () => ObjectLiteral & { id: string };
  input: I;
  /**
   * The columns derived from the customer (checking what depends on them), once the caller's right to
   * issue is established; it must check the caller's right to read whatever of the customer it uses.
   */
  derive(customer: Customer): Record<string, unknown>;
}

async function issue<I extends { customerId: string; storeId: string; examinationId?: string | null }, E>(
  ctx: AuthenticatedContext,
  request: IssueRequest<I>,
): Promise<E> {
  const { principal, ability } = ctx;
  const { customerId, storeId, ...values } = request.input;
  const { customer, store } = await resolveClinicalTarget(ctx, customerId, storeId);
  const prescriber = await registeredPractitioner(ctx);
  return ctx.clinical.transaction(async (tx) => {
    assertMay(ability, 'create', request.subject, { chainId: principal.chainId, storeId: store.id }, fieldsSet(request.input));
    const derived = request.derive(customer);
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
    // The payload's derived fields are checked against this customer (policies/derived-fields.ts).
    ctx.loaders.customer.prime(customer.id, customer);
    return issued as E;
  });
}

export function issueSpectaclePrescription(ctx: AuthenticatedContext, input: IssueSpectaclePrescriptionInput): Promise<SpectaclePrescription> {
  const { ability } = ctx;
  const today = todayUtc();
  validateSpectaclePrescription(input, 'input', today);
  const issuedOn = input.issuedOn ?? today;
  return issue(ctx, {
    subject: 'SpectaclePrescription',
    entity: SpectaclePrescription,
    input,
    derive: (customer) => {
      checkPatientDates(ability, customer, [{ field: 'input.issuedOn', value: issuedOn }], today);
      return { issuedOn };
    },
  });
}

export function issueContactLensSpecification(ctx: AuthenticatedContext, input: IssueContactLensSpecificationInput): Promise<ContactLensSpecification> {
  const { ability } = ctx;
  const { issuedOn } = checkContactLensSpecification(input, 'input', todayUtc());
  return issue(ctx, {
    subject: 'ContactLensSpecification',
    entity: ContactLensSpecification,
    input,
    derive: (customer) => {
      assertMayUse(ability, PATIENT_DATE_OF_BIRTH, customer, 'a contact lens specification is checked against and carries for a patient under 16');
      return { issuedOn, patientDateOfBirth: contactLensPatientDateOfBirth(issuedOn, 'input', customer.dateOfBirth) };
    },
  });
}
