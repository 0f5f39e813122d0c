/**
 * Looks up single rows the way the caller may see them: a row outside the caller's scope (or in
 * another chain) is NOT_FOUND, so existence is never disclosed.
 *
 * Writes that name a customer's record by id (cancelAppointment, updateExamination, signExamination)
 * find it through `findWriteTarget`, never through `findVisibleRow`: the record must be visible by its
 * own store AND its customer must be visible to the caller now (by the customer's current home store).
 * A record made at Leeds for a customer who has since moved to York is then out of reach of Leeds
 * staff, as the customer is. test/services/home-store-move.test.ts walks the schema so that a new mutation of
 * this kind needs a move test (and so this helper) before the suite passes. (acknowledgeEmergencyAccess
 * is the one deliberate exception: it reviews a member of staff's conduct, writes nothing of the
 * customer's, and must stay possible for the reviewers of the store the grant was made for.)
 */
import { EntityManager } from 'typeorm';
import { isGraphQLErrorWithCode, notFound } from '../errors/errors';
import { CustomerStatus } from '../schema/enums';
import { AppAbility, Principal } from '../policies/ability';
import { accessibleSql, ColumnMap, SqlParams } from '../policies/sql-condition';
import { Customer } from '../schema/core/customer.entity';
import { Store } from '../schema/core/store.entity';
import { isUuid } from '../schema/uuid';

export const CUSTOMER_COLUMNS: ColumnMap = { chainId: 'c.chain_id', storeId: 'c.home_store_id', id: 'c.id' };
/** The condition columns of a staff record `u` (chain-wide: no store). */
export const USER_COLUMNS: ColumnMap = { chainId: 'u.chain_id', storeId: 'NULL::uuid', id: 'u.id' };
/** The condition columns of a store `s` (its own store id). */
export const STORE_COLUMNS: ColumnMap = { chainId: 's.chain_id', storeId: 's.id', id: 's.id' };

/**
 * How a looked-up row is locked until the transaction ends: `update` (FOR UPDATE) for the row a write
 * changes, `share` (FOR SHARE) for a row it only depends on (a concurrent change of that row waits, and
 * a change committed while we waited is seen: PostgreSQL re-checks the WHERE clause on the new version).
 */
export type RowLock = 'update' | 'share';

const LOCK_MODES = { update: 'pessimistic_write', share: 'pessimistic_read' } as const;

/**
 * A customer the caller may read. With a `lock` (a write's look-up), an erased customer's tombstone is
 * NOT_FOUND: nothing is written to a tombstone (src/services/erasure/).
 */
export async function findVisibleCustomer(
  manager: EntityManager,
  principal: Principal,
  ability: AppAbility,
  id: string,
  lock?: RowLock,
): Promise<Customer> {
  const customer = await findVisible(manager, { entity: Customer, subjectName: 'Customer', alias: 'c', columns: CUSTOMER_COLUMNS, lock }, principal, ability, id);
  if (lock && customer.status === CustomerStatus.ERASED) throw notFound('Customer');
  return customer;
}

/** A store of the caller's chain (any store: permission on it is checked separately). */
export async function findChainStore(manager: EntityManager, principal: Principal, id: string): Promise<Store | null> {
  if (!isUuid(id)) return null;
  return manager.getRepository(Store).findOneBy({ id, chainId: principal.chainId });
}

/** The condition columns of a store-bound row `x` (clinical or core): the attributes the read rules name. */
const ROW_COLUMNS: ColumnMap = { chainId: 'x.chain_id', storeId: 'x.store_id', id: 'x.id', customerId: 'x.customer_id' };

/** How to find one row of an entity as the caller may see it. */
export interface VisibleLookup<E> {
  entity: new () => E;
  /** The catalog subject whose `read` rules filter the row. */
  subjectName: string;
  /** The query's alias for the row (the one `columns` names); default `x`. */
  alias?: string;
  /** The condition columns the read rules name; default a store-bound row's (chain, store, id, customer). */
  columns?: ColumnMap;
  /** Whether a string can be this entity's id at all (anything else is NOT_FOUND without a query); default a UUID. */
  isId?: (id: string) => boolean;
  lock?: RowLock;
}

/**
 * The one look-up of a single row by id: in the caller's chain and within the caller's `read` rules for
 * the subject, or NOT_FOUND (also for an id that cannot be one), so existence is never disclosed.
 */
export async function findVisible<E extends { id: string }>(
  manager: EntityManager,
  lookup: VisibleLookup<E>,
  principal: Principal,
  ability: AppAbility,
  id: string,
): Promise<E> {
  const { entity, subjectName, alias = 'x', columns = ROW_COLUMNS, isId = isUuid, lock } = lookup;
  if (!isId(id)) throw notFound(subjectName);
  const params = new SqlParams();
  const qb = manager.getRepository(entity).createQueryBuilder(alias)
    .where(`${alias}.id = :id AND ${alias}.chain_id = :chainId`, { id, chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', subjectName, columns, params), params.values);
  if (lock) qb.setLock(LOCK_MODES[lock]);
  const row = await qb.getOne();
  if (!row) throw notFound(subjectName);
  return row;
}

/** A clinical or core row of `entity` with the caller's `read` filter for `subjectName` applied (for reads: writes use findWriteTarget). */
export async function findVisibleRow<E extends { id: string }>(
  manager: EntityManager,
  entity: new () => E,
  subjectName: string,
  principal: Principal,
  ability: AppAbility,
  id: string,
): Promise<E> {
  return findVisible(manager, { entity, subjectName }, principal, ability, id);
}

export interface WriteTargetLookup<E> {
  /** Where the record lives: the write's transaction in the core or the clinical database. */
  manager: EntityManager;
  /** The core database, in the request's transaction (the customer lives there). */
  core: EntityManager;
  entity: new () => E;
  subjectName: string;
}

/**
 * The record an id-based write targets, locked FOR UPDATE: visible to the caller by its own store (the
 * subject's read rules), and its customer visible to the caller now (the customer's read rules at the
 * customer's current home store), the customer locked FOR SHARE so that a concurrent move waits for
 * this write, or this write sees the move. Either failing is NOT_FOUND for the record: existence is
 * not disclosed, and a record of a customer the caller can no longer see is as unseen as the customer.
 */
export async function findWriteTarget<E extends { id: string; customerId: string }>(
  lookup: WriteTargetLookup<E>,
  principal: Principal,
  ability: AppAbility,
  id: string,
): Promise<E> {
  const row = await findVisible(lookup.manager, { entity: lookup.entity, subjectName: lookup.subjectName, lock: 'update' }, principal, ability, id);
  try {
    await findVisibleCustomer(lookup.core, principal, ability, row.customerId, 'share');
  } catch (error) {
    if (isGraphQLErrorWithCode(error) && error.extensions.code === 'NOT_FOUND') throw notFound(lookup.subjectName);
    throw error;
  }
  return row;
}
