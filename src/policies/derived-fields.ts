/**
 * Values derived from a field the caller may not read are refused by the same rule as that field.
 *
 * Some fields hold a copy of, or a value worked out from, a field of another subject: a contact lens
 * specification carries the date of birth of a patient under 16 (Customer.dateOfBirth), an emergency access
 * records the customer's home store (Customer.homeStoreId). Reading such a field would read its source, so
 * a derived field is readable only where its own rule allows it **and** the caller may read the source field
 * of the source row (the customer the row belongs to, at that customer's home store, as for any read of a
 * customer). The field guard (field-guard.ts) applies this to every type whose subject is listed here, in
 * mutation payloads and queries alike, whatever the value (an adult's null date of birth is refused as well,
 * so "under 16 or not" cannot be told from it).
 *
 * Writes that use such a source field to check or derive what they store (a clinical date checked against
 * the date of birth, the date of birth put on a specification) call `assertMayUse` before using it: a caller
 * who may not read the field is refused with FORBIDDEN naming it, before any check that depends on its value,
 * so neither the payload nor an error message nor the outcome of a check (accepted or refused) can disclose it.
 * Where a write uses it is listed in the README ("Values derived from fields you may not read").
 */
import { forbidden } from '../errors/errors';
import { AppAbility } from './ability';
import { canReadField } from './readable-fields';

/** A source field of the customer a row belongs to (found through the row's `customerId`). */
export interface CustomerSource {
  subject: 'Customer';
  field: string;
}

/** The patient's date of birth: the source of `ContactLensSpecification.patientDateOfBirth` and of the patient-date checks. */
export const PATIENT_DATE_OF_BIRTH: CustomerSource = { subject: 'Customer', field: 'dateOfBirth' };

/** Catalog subject → its fields derived from a field of the row's customer. Data: add a line for a new derived field. */
export const DERIVED_FIELDS: Readonly<Record<string, Readonly<Record<string, CustomerSource>>>> = {
  ContactLensSpecification: { patientDateOfBirth: PATIENT_DATE_OF_BIRTH },
  EmergencyAccess: { storeId: { subject: 'Customer', field: 'homeStoreId' } },
};

/** The source of a derived field, or undefined for a field of its own. */
export function derivedSource(subjectName: string, field: string): CustomerSource | undefined {
  return DERIVED_FIELDS[subjectName]?.[field];
}

/** Whether the caller may read the source field of this customer row (at the customer's home store). */
export function mayReadSource(ability: AppAbility, source: CustomerSource, customer: object): boolean {
  return canReadField(ability, source.subject, customer, source.field);
}

/**
 * A write about to use `source` of `customer` (to check or derive what it stores) refuses with FORBIDDEN,
 * naming the field and why the write needs it, unless the caller may read it. Call it before any use.
 */
export function assertMayUse(ability: AppAbility, source: CustomerSource, customer: object, why: string): void {
  if (!mayReadSource(ability, source, customer)) {
    throw forbidden(`Not allowed to read ${source.subject}.${source.field}, which ${why}.`);
  }
}
