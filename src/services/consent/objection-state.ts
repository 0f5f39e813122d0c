/**
 * A customer's objection to direct marketing as the API shows it (MarketingObjection): objected, since, the
 * first objection's source, and `suppressed`: kept off marketing lists by an objection, their own or a
 * suppression of the chain matching their current email or phone hash (the marketing list's OBJECTED rule).
 * One statement per request batch: a DataLoader kept per request (per `ctx.loaders`, so it is renewed
 * whenever the request's loaders are). It lives here, not in src/loaders, because it needs the contact-hash
 * SQL and the suppression key.
 */
import DataLoader from 'dataloader';
import { AppContext } from '../../context/app-context';
import { customerScope } from '../../loaders/restriction-loaders';
import { Loaders } from '../../loaders/loaders';
import { Customer } from '../../schema/core/customer.entity';
import { MarketingObjectionView } from '../../schema/core/restriction.types';
import { ConsentSource } from '../../schema/enums';
import { emailHashSql, phoneHashSql } from './contact-hash-sql';

/** SQL (over `customer c`, key bound as `keyParam`): some suppression of the chain matches c's current email or phone hash. */
export function suppressedSql(keyParam: string): string {
  return `(EXISTS (SELECT 1 FROM marketing_suppression s WHERE s.chain_id = c.chain_id AND s.email_hash = ${emailHashSql('c.email', 'c.chain_id', keyParam)})
        OR EXISTS (SELECT 1 FROM marketing_suppression s WHERE s.chain_id = c.chain_id AND s.phone_hash = ${phoneHashSql('c.phone', 'c.chain_id', keyParam)}))`;
}

interface StateRow { customerId: string; objected: boolean; since: Date | null; source: ConsentSource | null; suppressed: boolean }

const perRequest = new WeakMap<Loaders, DataLoader<Customer, MarketingObjectionView, string>>();

function loaderFor(ctx: AppContext): DataLoader<Customer, MarketingObjectionView, string> {
  let loader = perRequest.get(ctx.loaders);
  if (!loader) {
    const chainId = ctx.principal?.chainId ?? null;
    loader = new DataLoader<Customer, MarketingObjectionView, string>(async (customers) => {
      const rows = chainId
        ? ((await ctx.core.query(
          `SELECT c.id AS "customerId", o.n > 0 AS objected, o.first_at AS "since", o.first_source AS "source",
                  (o.n > 0 OR ${suppressedSql('$3')}) AS suppressed
             FROM customer c
             CROSS JOIN LATERAL (SELECT count(*)::int AS n, min(mo.occurred_at) AS first_at,
                                        (array_agg(mo.source::text ORDER BY mo.occurred_at, mo.id))[1] AS first_source
                                   FROM marketing_objection mo WHERE mo.customer_id = c.id) o
            WHERE c.chain_id = $1 AND c.id = ANY($2::uuid[])`,
          [chainId, customers.map((c) => c.id), ctx.config.suppressionKey],
        )) as StateRow[])
        : [];
      const byCustomer = new Map(rows.map((row) => [row.customerId, row]));
      return customers.map((customer) => {
        const row = byCustomer.get(customer.id);
        return Object.assign(new MarketingObjectionView(), customerScope(customer), {
          objected: row?.objected ?? false, since: row?.since ?? null, source: row?.source ?? null, suppressed: row?.suppressed ?? false,
        });
      });
    }, { cacheKeyFn: (customer) => customer.id });
    perRequest.set(ctx.loaders, loader);
  }
  return loader;
}

/** The customer's objection state (the caller's field checks decide what of it is shown); `fresh`: not from this request's cache. */
export function marketingObjectionOf(ctx: AppContext, customer: Customer, fresh = false): Promise<MarketingObjectionView> {
  const loader = loaderFor(ctx);
  if (fresh) loader.clear(customer);
  return loader.load(customer);
}
