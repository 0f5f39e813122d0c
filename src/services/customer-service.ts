/**
 * Customers: the paginated, scope-filtered list with search, single lookups, create and update.
 * Search and the store filter only ever match on fields the caller may read for that row, so
 * nothing can be inferred through a filter. Ordered by id (opaque UUIDs): sorting by a field the
 * caller cannot read would leak it.
 */
import { Brackets } from 'typeorm';
import { recordChangeEntries, recordChanges } from '../hash-chain/change-log';
import { badInput } from '../errors/errors';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { CustomerConnection } from '../schema/connection';
import { Customer } from '../schema/core/customer.entity';
import { ChangeAction, ChangeLogKind } from '../schema/enums';
import { CreateCustomerInput, UpdateCustomerInput } from '../schema/inputs/customer.inputs';
import { validateCustomerFields } from './customer-validation';
import { pageOf } from './page-cursor';
import { plainRows } from '../db/plain-rows';
import { CUSTOMER_COLUMNS, findChainStore, findVisibleCustomer } from './visible-rows';
import { isUuid } from '../schema/uuid';
import { AuthenticatedContext } from '../context/authenticated-context';
import { afterPosition, pageSize, RECORD_PAGE } from './page-args';
import { linkChangesToRequest, lockRectificationRequest } from './data-requests/linked-changes';

/** Fields a search term is matched against (each only where the caller may read it). */
export const SEARCHABLE_FIELDS: Record<string, string> = {
  firstName: 'c.first_name',
  lastName: 'c.last_name',
  email: 'c.email',
  phone: 'c.phone',
};

export interface CustomerListArgs {
  first?: number | null;
  after?: string | null;
  search?: string | null;
  storeId?: string | null;
  /** Erased customers' tombstones are left out unless asked for (they hold no personal data: docs/erasure.md). */
  includeErased?: boolean | null;
  /**
   * The client selected the page's appointments: they are loaded with the page (the same one batched statement
   * the field would have run), so each row's `appointments` resolves without a promise (src/loaders/settled-loader.ts).
   */
  prefetchAppointments?: boolean;
}

export async function listCustomers(ctx: AuthenticatedContext, args: CustomerListArgs): Promise<CustomerConnection> {
  const { principal, ability } = ctx;
  const first = pageSize(args.first, RECORD_PAGE);
  const afterId = afterPosition(args.after, (decoded) => (isUuid(decoded) ? decoded : null));

  const params = new SqlParams();
  const qb = ctx.core.getRepository(Customer).createQueryBuilder('c')
    .where('c.chainId = :chainId', { chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'Customer', CUSTOMER_COLUMNS, params));
  if (!args.includeErased) qb.andWhere(`c.status <> 'ERASED'`);

  if (args.storeId) {
    if (!isUuid(args.storeId)) throw badInput('storeId', 'is not a store id');
    const readable = accessibleSql(ability, 'read', 'Customer', CUSTOMER_COLUMNS, params, 'homeStoreId');
    qb.andWhere(`(${readable} AND c.home_store_id = :storeId)`, { storeId: args.storeId });
  }

  const term = args.search?.trim();
  if (term) {
    if (term.length > 100) throw badInput('search', 'must be at most 100 characters');
    const pattern = `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    qb.andWhere(
      new Brackets((or) => {
        for (const [field, column] of Object.entries(SEARCHABLE_FIELDS)) {
          const readable = accessibleSql(ability, 'read', 'Customer', CUSTOMER_COLUMNS, params, field);
          or.orWhere(`(${readable} AND ${column} ILIKE :pattern)`);
        }
      }),
      { pattern },
    );
  }
  qb.setParameters({ ...qb.getParameters(), ...params.values });

  // totalCount is counted only when the client selects it (see lazyTotalCount), on the same filter without `after`.
  const countQuery = qb.clone();
  if (afterId) qb.andWhere('c.id > :afterId', { afterId });
  // The page's rows go out through GraphQL only: timestamps as ISO strings (src/db/plain-rows.ts).
  const rows = await plainRows(ctx.core, Customer, 'c', qb.orderBy('c.id', 'ASC').limit(first + 1), { isoTimestamps: true });
  const page = pageOf(rows, first, afterId !== null);
  if (args.prefetchAppointments) await ctx.loaders.appointments.prefetch(page.edges.map((edge) => edge.node.id));
  return lazyTotalCount(page, () => countQuery.getCount());
}

/**
 * A connection whose `totalCount` runs its COUNT the first time the field is read (once, however often it is
 * read): graphql-js resolves the promise the default resolver returns. A page that does not select totalCount
 * runs one statement fewer.
 */
function lazyTotalCount<P extends object>(page: P, count: () => Promise<number>): P & { totalCount: number } {
  let counted: Promise<number> | undefined;
  Object.defineProperty(page, 'totalCount', {
    enumerable: true,
    get: () => (counted ??= count()),
  });
  // The property holds a Promise<number> that GraphQL awaits; typed as the number the schema declares.
  return page as P & { totalCount: number };
}

export function getCustomer(ctx: AuthenticatedContext, id: string): Promise<Customer> {
  const { principal, ability } = ctx;
  return findVisibleCustomer(ctx.core.manager, principal, ability, id);
}

export async function createCustomer(ctx: AuthenticatedContext, input: CreateCustomerInput): Promise<Customer> {
  const { principal, ability } = ctx;
  const values = validateCustomerFields(input, 'input', true);
  return ctx.core.transaction(async (tx) => {
    const store = await findChainStore(tx, principal, input.homeStoreId);
    if (!store) throw badInput('input.homeStoreId', 'is not a store of this chain');
    assertMay(ability, 'create', 'Customer', { chainId: principal.chainId, storeId: store.id }, fieldsSet(input));
    const repo = tx.getRepository(Customer);
    const created = repo.create({ ...values, chainId: principal.chainId, homeStoreId: store.id });
    await repo.insert(created);
    const customer = await repo.findOneByOrFail({ id: created.id });
    await recordChanges(tx, ChangeLogKind.PERSONAL, principal, ctx.request, [{
      action: ChangeAction.CREATE, subject: 'Customer', entity: Customer, recordId: customer.id, customerId: customer.id,
      storeId: customer.homeStoreId, before: null, after: customer,
    }]);
    return customer;
  });
}

/**
 * Changes a customer. With `dataRequestId` the change is a rectification (Art. 16) answering that request: it
 * must be an open RECTIFICATION request of this customer the caller can see, and each change-log entry the
 * update writes is linked to it as a LINKED_CHANGE event (src/services/data-requests/).
 */
export async function updateCustomer(
  ctx: AuthenticatedContext,
  id: string,
  input: UpdateCustomerInput,
  dataRequestId?: string | null,
): Promise<Customer> {
  const { principal, ability } = ctx;
  const values = validateCustomerFields(input, 'input', false);
  const fields = fieldsSet(input);
  if (fields.length === 0) throw badInput('input', 'sets no field');
  return ctx.core.transaction(async (tx) => {
    const customer = await findVisibleCustomer(tx, principal, ability, id, 'update');
    assertMay(ability, 'update', 'Customer', { chainId: customer.chainId, storeId: customer.homeStoreId, id }, fields);
    const requestId = dataRequestId === undefined || dataRequestId === null
      ? null : await lockRectificationRequest(ctx, tx, dataRequestId, customer.id, 'dataRequestId');
    const changes: Partial<Customer> = { ...values } as Partial<Customer>;
    // Who recorded the confirmation goes with when: whoever sets dataVerifiedAt (none when it is cleared).
    if (values.dataVerifiedAt !== undefined) changes.dataVerifiedById = values.dataVerifiedAt === null ? null : principal.userId;
    if (input.homeStoreId !== undefined) {
      const store = input.homeStoreId ? await findChainStore(tx, principal, input.homeStoreId) : null;
      if (!store) throw badInput('input.homeStoreId', 'is not a store of this chain');
      // Moving a customer also needs the right to have them at the new store.
      assertMay(ability, 'update', 'Customer', { chainId: customer.chainId, storeId: store.id, id }, ['homeStoreId']);
      changes.homeStoreId = store.id;
    }
    await tx.getRepository(Customer).update({ id, chainId: principal.chainId }, changes);
    const updated = await tx.getRepository(Customer).findOneByOrFail({ id });
    const entryIds = await recordChangeEntries(tx, ChangeLogKind.PERSONAL, principal, ctx.request, [{
      action: ChangeAction.UPDATE, subject: 'Customer', entity: Customer, recordId: id, customerId: id,
      storeId: updated.homeStoreId, before: customer, after: updated,
    }]);
    if (requestId) await linkChangesToRequest(ctx, tx, requestId, entryIds);
    return updated;
  });
}
