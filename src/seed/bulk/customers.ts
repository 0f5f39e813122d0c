/**
 * The bulk chain's customers (src/seed/bulk), one batch at a time, made by PostgreSQL with INSERT … SELECT
 * over generate_series: UK-style names, addresses in their home store's town and postcode area, email
 * addresses at the reserved example.com/.net/.org domains, mobile numbers (unique per customer, never to be
 * dialled), some of each missing, about 3% inactive. The batch's customers are also kept in the temporary
 * table `bulk_batch` for the steps that follow (consents, rights).
 */
import { EntityManager } from 'typeorm';
import { RandomSql } from './random-sql';
import { FIRST_NAMES, LAST_NAMES, STREETS } from './uk-data';

/** Every date of the bulk chain is relative to this fixed moment (deterministic whatever the day it runs). */
export const BULK_ANCHOR = '2026-06-01T00:00:00Z';
/** The first consent events (the chain's consent records start then). */
export const BULK_CONSENT_START = '2023-02-01T00:00:00Z';
const FEMALE_NAMES = FIRST_NAMES.indexOf('Noah');

/** The per-run temporary tables: the stores (with the staff who record things there) and the current batch. */
export const CREATE_WORK_TABLES = [
  `CREATE TEMP TABLE bulk_store (no int PRIMARY KEY, id uuid NOT NULL, town text NOT NULL, area text NOT NULL,
     manager_id uuid NOT NULL, assistant_id uuid NOT NULL) ON COMMIT DROP`,
  `CREATE TEMP TABLE bulk_batch (i int PRIMARY KEY, id uuid NOT NULL, store_no int NOT NULL, email text, phone text,
     status text NOT NULL, created_at timestamptz NOT NULL) ON COMMIT DROP`,
];

export async function fillStoreTable(tx: EntityManager, stores: { no: number; id: string; town: string; area: string; managerId: string; assistantId: string }[]): Promise<void> {
  await tx.query(
    `INSERT INTO bulk_store SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[])`,
    [stores.map((s) => s.no), stores.map((s) => s.id), stores.map((s) => s.town), stores.map((s) => s.area),
      stores.map((s) => s.managerId), stores.map((s) => s.assistantId)],
  );
}

/** Inserts customers number `from` to `to` (inclusive) of the chain `$1`. Returns how many. */
export async function insertCustomerBatch(tx: EntityManager, r: RandomSql, chainId: string, storeCount: number, from: number, to: number): Promise<number> {
  const { u } = r;
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  const letter = (q: number): string => `substr('${letters}', 1 + floor(${u('c.i', q)} * ${letters.length})::int, 1)`;
  await tx.query('TRUNCATE bulk_batch');
  await tx.query(
    `INSERT INTO bulk_batch (i, id, store_no, email, phone, status, created_at)
     SELECT i, ${r.id('customer', 'i')}, least(floor(power(${u('i', 1)}, 1.35) * ${storeCount})::int, ${storeCount - 1}), NULL,
       CASE WHEN ${u('i', 8)} < 0.1 THEN NULL
         ELSE '07' || substr(lpad(((i::bigint * 7919 + 104729) % 1000000000)::text, 9, '0'), 1, 3) || ' ' ||
           substr(lpad(((i::bigint * 7919 + 104729) % 1000000000)::text, 9, '0'), 4) END,
       CASE WHEN ${u('i', 9)} < 0.03 THEN 'INACTIVE' ELSE 'ACTIVE' END,
       timestamptz '2012-01-01T00:00:00Z' + ${u('i', 5)} * (timestamptz '${BULK_ANCHOR}' - timestamptz '2012-01-01T00:00:00Z')
     FROM generate_series($1::int, $2::int) AS i`,
    [from, to],
  );
  await tx.query(
    `WITH c AS MATERIALIZED (
       SELECT b.*, s.id AS store_id, s.town, s.area, floor(${u('b.i', 2)} * ${FIRST_NAMES.length})::int AS f,
         ${r.pick(LAST_NAMES, u('b.i', 3))} AS last_name
       FROM bulk_batch b JOIN bulk_store s ON s.no = b.store_no
     ), named AS MATERIALIZED (
       SELECT c.*, (ARRAY[${FIRST_NAMES.map((n) => `'${n}'`).join(',')}])[c.f + 1] AS first_name FROM c
     ), mailed AS MATERIALIZED (
       SELECT named.*, CASE WHEN ${u('i', 7)} < 0.07 THEN NULL
         WHEN ${u('i', 4)} < 0.5 THEN lower(regexp_replace(first_name, '[^A-Za-z]', '', 'g') || '.' || regexp_replace(last_name, '[^A-Za-z]', '', 'g')) || '.' || i || '@example.com'
         WHEN ${u('i', 4)} < 0.75 THEN lower(regexp_replace(first_name || last_name, '[^A-Za-z]', '', 'g')) || i || '@example.net'
         ELSE lower(left(first_name, 1) || '.' || regexp_replace(last_name, '[^A-Za-z]', '', 'g')) || i || '@example.org' END AS mail
       FROM named
     ), kept AS (
       UPDATE bulk_batch b SET email = m.mail FROM mailed m WHERE b.i = m.i
     )
     INSERT INTO customer (id, chain_id, home_store_id, first_name, last_name, date_of_birth, sex, address_line1, address_line2,
       city, postcode, country, phone, email, status, data_verified_at, created_at, updated_at)
     SELECT c.id, $1::uuid, c.store_id, c.first_name, c.last_name,
       (date '${BULK_ANCHOR.slice(0, 10)}' - (4 * 365 + floor(${u('c.i', 10)} * 90 * 365))::int),
       (CASE WHEN ${u('c.i', 11)} < 0.01 THEN 'UNKNOWN' WHEN c.f < ${FEMALE_NAMES} THEN 'FEMALE' ELSE 'MALE' END)::sex,
       CASE WHEN ${u('c.i', 12)} < 0.02 THEN NULL ELSE (1 + floor(${u('c.i', 13)} * 180))::int || ' ' || ${r.pick(STREETS, u('c.i', 14))} END,
       CASE WHEN ${u('c.i', 15)} < 0.15 THEN 'Flat ' || (1 + floor(${u('c.i', 16)} * 24))::int ELSE NULL END,
       c.town,
       CASE WHEN ${u('c.i', 17)} < 0.01 THEN NULL
         ELSE c.area || (1 + floor(${u('c.i', 18)} * 28))::int || ' ' || floor(${u('c.i', 19)} * 10)::int || ${letter(20)} || ${letter(21)} END,
       'GB', c.phone, c.mail, c.status::customer_status,
       CASE WHEN ${u('c.i', 22)} < 0.6 THEN c.created_at + ${u('c.i', 23)} * (timestamptz '${BULK_ANCHOR}' - c.created_at) ELSE NULL END,
       c.created_at, c.created_at
     FROM mailed c`,
    [chainId],
  );
  return to - from + 1;
}
