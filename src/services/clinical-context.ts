/**
 * What every clinical write needs from the core database before it touches the clinical one: the
 * customer (visible to the caller), the store (of the caller's chain) and the caller as a registered
 * practitioner (src/policies/practitioners.ts). The two databases share no transaction, so these checks run
 * first and the clinical write is then one transaction of its own.
 */
import { EntityManager } from 'typeorm';
import { badInput, forbidden, isGraphQLErrorWithCode } from '../errors/errors';
import { AppAbility, Principal } from '../policies/ability';
import { isRegisteredPractitioner } from '../policies/practitioners';
import { Customer } from '../schema/core/customer.entity';
import { Store } from '../schema/core/store.entity';
import { User } from '../schema/core/user.entity';
import { Examination } from '../schema/clinical/examination.entity';
import { AppContext } from '../server/context';
import { findChainStore, findVisibleCustomer, findVisibleRow } from './visible-rows';

export interface ClinicalTarget {
  customer: Customer;
  store: Store;
}

export async function resolveClinicalTarget(
  ctx: AppContext,
  principal: Principal,
  ability: AppAbility,
  customerId: string,
  storeId: string,
): Promise<ClinicalTarget> {
  const customer = await findVisibleCustomer(ctx.core.manager, principal, ability, customerId);
  const store = await findChainStore(ctx.core.manager, principal, storeId);
  if (!store) throw badInput('input.storeId', 'is not a store of this chain');
  return { customer, store };
}

export async function registeredPractitioner(ctx: AppContext, principal: Principal): Promise<User> {
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
