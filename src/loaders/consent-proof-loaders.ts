/**
 * Per-request DataLoaders of consent proof: each channel's state as of a moment for many (customer, moment)
 * pairs in one statement over consent_event (Customer.consentsAsOf), the terms acceptances of many customers
 * (filtered in SQL by the caller's `read TermsAcceptance` rules at each customer's home store), and the wordings
 * that consent events name (ConsentEvent.proof), by channel and version in the caller's chain.
 */
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { AppAbility } from '../policies/ability';
import { sortableBy } from '../policies/sortable';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { ConsentState } from '../schema/core/consent-proof.types';
import { ConsentWording } from '../schema/core/consent-wording.entity';
import { Customer } from '../schema/core/customer.entity';
import { TermsAcceptance } from '../schema/core/terms-acceptance.entity';
import { ConsentChannel, LawfulBasis } from '../schema/enums';

export interface AsOfKey {
  customer: Customer;
  at: Date;
}

interface AsOfRow {
  customer_id: string;
  at_ms: string;
  id: string;
  channel: ConsentChannel;
  granted: boolean;
  basis: LawfulBasis;
  changed_at: Date;
  wording_version: string;
}

const asOfKey = (customerId: string, atMs: number): string => `${customerId}|${atMs}`;

export function consentProofLoaders(core: DataSource, scope: { chainId: string; ability: AppAbility } | null) {
  return {
    /** Every channel's state at each moment: the latest event with changed_at <= at; none → not granted. */
    consentsAsOf: new DataLoader<AsOfKey, ConsentState[], string>(
      async (keys) => {
        if (!scope) return keys.map(() => []);
        const pairs = keys.map((k) => ({ customer_id: k.customer.id, at: k.at.toISOString() }));
        const rows = (await core.query(
          `SELECT DISTINCT ON (k.customer_id, k.at, e.channel)
                  k.customer_id::text AS customer_id, (extract(epoch FROM k.at) * 1000)::bigint::text AS at_ms,
                  e.id::text AS id, e.channel, e.granted, e.basis, e.changed_at, e.wording_version
             FROM jsonb_to_recordset($2::jsonb) AS k(customer_id uuid, at timestamptz)
             JOIN consent_event e ON e.customer_id = k.customer_id AND e.chain_id = $1 AND e.changed_at <= k.at
            ORDER BY k.customer_id, k.at, e.channel, e.changed_at DESC, e.id DESC`,
          [scope.chainId, JSON.stringify(pairs)],
        )) as AsOfRow[];
        const found = new Map(rows.map((row) => [`${asOfKey(row.customer_id, Number(row.at_ms))}|${row.channel}`, row]));
        return keys.map(({ customer, at }) => Object.values(ConsentChannel).map((channel) => {
          const row = found.get(`${asOfKey(customer.id, at.getTime())}|${channel}`);
          return Object.assign(new ConsentState(), {
            channel, granted: row?.granted ?? false, basis: row?.basis ?? null, since: row?.changed_at ?? null,
            wordingVersion: row?.wording_version ?? null, eventId: row?.id ?? null,
            chainId: customer.chainId, storeId: customer.homeStoreId, customerId: customer.id,
          });
        }));
      },
      { cacheKeyFn: (k) => asOfKey(k.customer.id, k.at.getTime()) },
    ),

    /** Terms acceptances of customers, newest first; each row learns its customer's home store (its scope). */
    termsAcceptances: new DataLoader<Customer, TermsAcceptance[], string>(
      async (customers) => {
        if (!scope) return customers.map(() => []);
        const params = new SqlParams();
        const filter = accessibleSql(scope.ability, 'read', 'TermsAcceptance', { chainId: 'c.chain_id', storeId: 'c.home_store_id', id: 'x.id', customerId: 'x.customer_id' }, params);
        const qb = core.getRepository(TermsAcceptance).createQueryBuilder('x')
          .innerJoin(Customer, 'c', 'c.id = x.customer_id')
          .where('x.customerId IN (:...ids)', { ids: customers.map((c) => c.id) })
          .andWhere('x.chainId = :chainId', { chainId: scope.chainId })
          .andWhere(filter, params.values);
        if (sortableBy(scope.ability, 'TermsAcceptance', 'acceptedAt')) qb.orderBy('x.acceptedAt', 'DESC');
        const rows = await qb.addOrderBy('x.id').getMany();
        const home = new Map(customers.map((c) => [c.id, c.homeStoreId]));
        const byCustomer = new Map<string, TermsAcceptance[]>(customers.map((c) => [c.id, []]));
        for (const row of rows) {
          row.storeId = home.get(row.customerId) as string;
          byCustomer.get(row.customerId)?.push(row);
        }
        return customers.map((c) => byCustomer.get(c.id) ?? []);
      },
      { cacheKeyFn: (customer) => customer.id },
    ),

    /** Wordings of the caller's chain by `<channel>|<version>` (null: not published, e.g. the link's `none`). */
    consentWording: new DataLoader<string, ConsentWording | null>(async (keys) => {
      if (!scope) return keys.map(() => null);
      const wanted = keys.map((key) => {
        const at = key.indexOf('|');
        return { channel: key.slice(0, at), version: key.slice(at + 1) };
      });
      const rows = (await core.query(
        `SELECT w.id::text AS id, w.chain_id::text AS "chainId", w.channel, w.version, w.text, w.published_at AS "publishedAt",
                w.published_by_id::text AS "publishedById"
           FROM jsonb_to_recordset($2::jsonb) AS k(channel text, version text)
           JOIN consent_wording w ON w.chain_id = $1 AND w.channel::text = k.channel AND w.version = k.version`,
        [scope.chainId, JSON.stringify(wanted)],
      ) as ConsentWording[]).map((row) => Object.assign(new ConsentWording(), row));
      const byKey = new Map(rows.map((row) => [`${row.channel}|${row.version}`, row]));
      return keys.map((key) => byKey.get(key) ?? null);
    }),
  };
}
