/**
 * What every clinical write needs from the core database before it touches the clinical one: the
 * customer (visible to the caller), the store (of the caller's chain) and the caller as a registered
 * practitioner (src/policies/practitioners.ts). The two databases share no transaction, so these checks run
 * first and the clinical write is then one transaction of its own. Also the check of clinical dates
 * against the patient's date of birth, for callers who may read it (others are refused before it is used).
 */
import { EntityManager } from 'typeorm';
import { badInput, forbidden, isGraphQLErrorWithCode } from '../errors/errors';
import { couldPrecedeBirth, checkNotBeforeBirth } from '../clinical/dates';
import { AppAbility, Principal } from '../policies/ability';
import { assertMayUse, PATIENT_DATE_OF_BIRTH } from '../policies/derived-fields';
import { isRegisteredPractitioner } from '../policies/practitioners';
import { Customer } from '../schema/core/customer.entity';
import { Store } from '../schema/core/store.entity';
import { User } from '../schema/core/user.entity';
import { Examination } from '../schema/clinical/examination.entity';
import { todayUtc } from './customer-validation';
import { findChainStore, findVisibleCustomer, findVisibleRow } from './visible-rows';
import { AuthenticatedContext } from '../context/authenticated-context';

export interface ClinicalTarget {
  customer: Customer;
  store: Store;
}

export async function resolveClinicalTarget(
  ctx: AuthenticatedContext,
  customerId: string,
  storeId: string,
): Promise<ClinicalTarget> {
  const { principal, ability } = ctx;
  // FOR SHARE until the request ends: an erasure of this customer (FOR UPDATE) waits for this write, or this write
  // sees the tombstone (NOT_FOUND: an erased customer gets no clinical records; src/services/erasure/).
  const customer = await findVisibleCustomer(ctx.core.manager, principal, ability, customerId, 'share');
  const store = await findChainStore(ctx.core.manager, principal, storeId);
  if (!store) throw badInput('input.storeId', 'is not a store of this chain');
  return { customer, store };
}

export async function registeredPractitioner(ctx: AuthenticatedContext): Promise<User> {
  const { principal } = ctx;
  const user = await ctx.core.getRepository(User).findOneByOrFail({ id: principal.userId });
  if (!isRegisteredPractitioner(user)) throw forbidden('Only a registered practitioner may do this.');
  return user;
}

/** A linked examination (optional) must be one of this customer's that the caller can see. */
export async function assertExaminationOfCustomer(
  tx: EntityManager,
  principal: Principal,
  ability: AppAbility,
  examinationId: string | null | undefined,
  customerId: string,
): Promise<void> {
  if (!examinationId) return;
  const exam = await findVisibleRow(tx, Examination, 'Examination', principal, ability, examinationId).catch((error: unknown) => {
    if (isGraphQLErrorWithCode(error) && error.extensions.code === 'NOT_FOUND') return null;
    throw error;
  });
  if (!exam || exam.customerId !== customerId) throw badInput('input.examinationId', 'is not an examination of this customer');
}

/** A clinical date or instant of the input (null or undefined: not given), with its input path. */
export interface PatientDate {
  field: string;
  value: string | Date | null | undefined;
}

/**
 * Clinical dates must not be before the patient's date of birth. Only a date before today can be
 * (src/clinical/dates.ts): when one is given, the caller must be allowed to read Customer.dateOfBirth at
 * the customer's home store, or the write is refused with FORBIDDEN before the date of birth is used, so
 * neither the outcome nor the message of the check can tell them anything about it. Dates of today or later
 * (and left-out dates, which default to now) need no date of birth and no such right.
 */
export function checkPatientDates(ability: AppAbility, customer: Customer, dates: PatientDate[], today = todayUtc()): void {
  const early = dates.filter((date): date is { field: string; value: string | Date } =>
    date.value !== null && date.value !== undefined && couldPrecedeBirth(date.value, today));
  if (early.length === 0) return;
  assertMayUse(ability, PATIENT_DATE_OF_BIRTH, customer, 'a clinical date before today is checked against');
  const dateOfBirth = customer.dateOfBirth;
  if (dateOfBirth) for (const date of early) checkNotBeforeBirth(date.value, date.field, dateOfBirth);
}
