/**
 * Per-request DataLoaders for restriction of processing and objection to direct marketing: each customer's
 * current restriction, its history and the history of objections, one statement per loader and batch (the
 * objection state needs the suppression key: src/services/consent/objection-state.ts). Keyed by customer (so each view learns
 * its customer's home store, its row scope); the Customer relation fields have already checked `read Consent`
 * at that store, and the views' own fields are checked against Consent.restriction / Consent.objection.
 */
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { Customer } from '../schema/core/customer.entity';
import {
  MarketingObjectionEventView, ProcessingRestrictionEventView, ProcessingRestrictionView,
} from '../schema/core/restriction.types';

type Scope = { chainId: string } | null;

/** The view's row scope: the customer's chain and home store. */
export const customerScope = (customer: Customer) => ({ customerId: customer.id, chainId: customer.chainId, storeId: customer.homeStoreId });

export function restrictionLoaders(core: DataSource, scope: Scope) {
  return {
    /** Whether each customer's processing is restricted now (no row: never restricted). */
    processingRestriction: new DataLoader<Customer, ProcessingRestrictionView, string>(async (customers) => {
      const rows = scope
        ? ((await core.query(
          `SELECT customer_id AS "customerId", restricted, reason, changed_at AS "changedAt" FROM processing_restriction
            WHERE chain_id = $1 AND customer_id = ANY($2::uuid[])`,
          [scope.chainId, customers.map((c) => c.id)],
        )) as { customerId: string; restricted: boolean; reason: string; changedAt: Date }[])
        : [];
      const byCustomer = new Map(rows.map((row) => [row.customerId, row]));
      return customers.map((customer) => {
        const row = byCustomer.get(customer.id);
        return Object.assign(new ProcessingRestrictionView(), customerScope(customer), {
          restricted: row?.restricted ?? false, since: row?.changedAt ?? null, reason: row?.reason ?? null,
        });
      });
    }, { cacheKeyFn: (customer) => customer.id }),

    /** Every restriction and lifting of each view's customer, newest first. */
    processingRestrictionHistory: historyLoader(core, scope, ProcessingRestrictionEventView,
      `SELECT id, customer_id AS "customerId", restricted, reason, recorded_by_id AS "recordedById", occurred_at AS "occurredAt"
         FROM processing_restriction_event`),

    /** Every objection of each view's customer, newest first. */
    marketingObjectionHistory: historyLoader(core, scope, MarketingObjectionEventView,
      `SELECT id, customer_id AS "customerId", source, actor, recorded_by_id AS "recordedById", occurred_at AS "occurredAt"
         FROM marketing_objection`),
  };
}

/**
 * The events of each view's customer from `select` (an append-only table with chain_id, customer_id, occurred_at),
 * newest first, each carrying the view's row scope. One statement per batch.
 */
function historyLoader<E extends { customerId: string }>(
  core: DataSource, scope: Scope, View: new () => E, select: string,
): DataLoader<{ customerId: string; chainId: string; storeId: string }, E[], string> {
  return new DataLoader(async (views) => {
    const rows = scope
      ? ((await core.query(`${select} WHERE chain_id = $1 AND customer_id = ANY($2::uuid[]) ORDER BY occurred_at DESC, id`,
        [scope.chainId, views.map((v) => v.customerId)])) as Record<string, unknown>[])
      : [];
    return views.map((view) => rows.filter((row) => row.customerId === view.customerId)
      .map((row) => Object.assign(new View(), row, { chainId: view.chainId, storeId: view.storeId })));
  }, { cacheKeyFn: (view) => view.customerId });
}
