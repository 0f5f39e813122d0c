/**
 * Looks up single rows the way the caller may see them: a row outside the caller's scope (or in
 * another chain) is NOT_FOUND, so existence is never disclosed.
 */
import { EntityManager } from 'typeorm';
import { notFound } from '../errors/errors';
import { AppAbility, Principal } from '../policies/ability';
import { accessibleSql, ColumnMap, SqlParams } from '../policies/sql-condition';
import { Customer } from '../schema/core/customer.entity';
import { Store } from '../schema/core/store.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export const CUSTOMER_COLUMNS: ColumnMap = { chainId: 'c.chain_id', storeId: 'c.home_store_id', id: 'c.id' };

export async function findVisibleCustomer(
  manager: EntityManager,
  principal: Principal,
  ability: AppAbility,
  id: string,
  lock = false,
): Promise<Customer> {
  if (!isUuid(id)) throw notFound('Customer');
  const params = new SqlParams();
  const qb = manager.getRepository(Customer).createQueryBuilder('c')
    .where('c.id = :id AND c.chainId = :chainId', { id, chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'Customer', CUSTOMER_COLUMNS, params), params.values);
  if (lock) qb.setLock('pessimistic_write');
  const customer = await qb.getOne();
  if (!customer) throw notFound('Customer');
  return customer;
}

/** A store of the caller's chain (any store: permission on it is checked separately). */
export async function findChainStore(manager: EntityManager, principal: Principal, id: string): Promise<Store | null> {
  if (!isUuid(id)) return null;
  return manager.getRepository(Store).findOneBy({ id, chainId: principal.chainId });
}

/** A clinical or core row of `entity` with the caller's `read` filter for `subjectName` applied. */
export async function findVisibleRow<E extends { id: string }>(
  manager: EntityManager,
  entity: new () => E,
  subjectName: string,
  principal: Principal,
  ability: AppAbility,
  id: string,
  lock = false,
): Promise<E> {
  if (!isUuid(id)) throw notFound(subjectName);
  const params = new SqlParams();
  const qb = manager.getRepository(entity).createQueryBuilder('x')
    .where('x.id = :id AND x.chain_id = :chainId', { id, chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', subjectName, { chainId: 'x.chain_id', storeId: 'x.store_id', id: 'x.id', customerId: 'x.customer_id' }, params), params.values);
  if (lock) qb.setLock('pessimistic_write');
  const row = await qb.getOne();
  if (!row) throw notFound(subjectName);
  return row;
}
