/**
 * The bulk chain's data-subject rights (src/seed/bulk), per batch of `bulk_batch`: restrictions of processing
 * (about 0.3% of customers; a quarter of them lifted since), objections to direct marketing (about 0.3%) each
 * with its suppression row holding the keyed hashes of the customer's email and phone at that moment
 * (src/services/consent/contact-hash-sql.ts), a few suppressions from customers erased since (an objection whose
 * customer is gone, hashes of their old contact; some match a customer re-imported since, who is then suppressed
 * without an objection of their own), and terms and privacy-notice acceptances.
 */
import { EntityManager } from 'typeorm';
import { emailHashSql, phoneHashSql } from '../../services/consent/contact-hash-sql';
import { BULK_ANCHOR, BULK_CONSENT_START } from './customers';
import { RandomSql } from './random-sql';
import { LIFT_REASONS, RESTRICTION_REASONS } from './uk-data';

/** Share of customers with a restriction, an objection, an erased namesake's suppression. */
export const RESTRICTED_SHARE = 0.003;
export const OBJECTED_SHARE = 0.003;
export const REIMPORTED_SHARE = 0.0005;

const since = (r: RandomSql, row: string, q: number, from: string): string =>
  `${from} + ${r.u(row, q)} * (timestamptz '${BULK_ANCHOR}' - ${from})`;

/** Restriction events and current states of the batch. Returns the events written. */
export async function insertRestrictionBatch(tx: EntityManager, r: RandomSql, chainId: string): Promise<number> {
  const rows = (await tx.query(
    `WITH base AS MATERIALIZED (
       SELECT b.i, b.id AS customer_id, s.manager_id, greatest(b.created_at, timestamptz '${BULK_CONSENT_START}') AS t0,
         ${r.u('b.i', 201)} < 0.25 AS lifted, ${r.pick(RESTRICTION_REASONS, r.u('b.i', 202))} AS reason, ${r.pick(LIFT_REASONS, r.u('b.i', 203))} AS lift_reason
       FROM bulk_batch b JOIN bulk_store s ON s.no = b.store_no WHERE ${r.u('b.i', 200)} < ${RESTRICTED_SHARE}
     ), rs AS MATERIALIZED (
       SELECT base.*, ${since(r, 'base.i', 204, 'base.t0')} AS restricted_at FROM base
     ), timed AS MATERIALIZED (
       SELECT rs.*, ${since(r, 'rs.i', 205, 'rs.restricted_at')} AS lifted_at FROM rs
     ), events AS (
       INSERT INTO processing_restriction_event (id, chain_id, customer_id, restricted, reason, recorded_by_id, occurred_at)
       SELECT ${r.id('restriction', 'i', '1')}, $1::uuid, customer_id, true, reason, manager_id, restricted_at FROM timed
       UNION ALL
       SELECT ${r.id('restriction', 'i', '2')}, $1::uuid, customer_id, false, lift_reason, manager_id, lifted_at FROM timed WHERE lifted
       RETURNING 1
     ), current AS (
       INSERT INTO processing_restriction (customer_id, chain_id, restricted, reason, changed_at, recorded_by_id)
       SELECT customer_id, $1::uuid, NOT lifted, CASE WHEN lifted THEN lift_reason ELSE reason END,
         CASE WHEN lifted THEN lifted_at ELSE restricted_at END, manager_id FROM timed
     )
     SELECT count(*)::int AS n FROM events`,
    [chainId],
  )) as { n: number }[];
  return rows[0].n;
}

/**
 * Objections of the batch's customers (with their suppressions), and for a few customers an objection of an
 * erased earlier record with the same contact (customer_id null) whose suppression now suppresses them.
 * Returns the objections written.
 */
export async function insertObjectionBatch(tx: EntityManager, r: RandomSql, chainId: string, suppressionKey: Buffer): Promise<number> {
  const rows = (await tx.query(
    `WITH base AS MATERIALIZED (
       SELECT b.i, b.email, b.phone, s.assistant_id, greatest(b.created_at, timestamptz '${BULK_CONSENT_START}') AS t0,
         CASE WHEN ${r.u('b.i', 210)} < ${OBJECTED_SHARE} THEN b.id END AS customer_id,
         CASE WHEN ${r.u('b.i', 211)} < 0.4 THEN 'IN_STORE' WHEN ${r.u('b.i', 211)} < 0.6 THEN 'PHONE'
           WHEN ${r.u('b.i', 211)} < 0.75 THEN 'PAPER_FORM' ELSE 'WEBSITE' END AS source
       FROM bulk_batch b JOIN bulk_store s ON s.no = b.store_no
       WHERE ${r.u('b.i', 210)} < ${OBJECTED_SHARE} OR ${r.u('b.i', 212)} < ${REIMPORTED_SHARE}
     ), o AS MATERIALIZED (
       SELECT base.*, ${r.id('objection', 'base.i')} AS objection_id,
         CASE WHEN base.customer_id IS NULL THEN base.t0 - ${r.u('base.i', 213)} * interval '300 days' ELSE ${since(r, 'base.i', 214, 'base.t0')} END AS occurred_at,
         CASE WHEN base.source = 'WEBSITE' THEN 'CUSTOMER' ELSE 'STAFF' END AS actor
       FROM base
     ), objections AS (
       INSERT INTO marketing_objection (id, chain_id, customer_id, source, actor, recorded_by_id, occurred_at)
       SELECT objection_id, $1::uuid, customer_id, source::consent_source, actor::consent_actor, CASE WHEN actor = 'STAFF' THEN assistant_id END, occurred_at FROM o
       RETURNING 1
     ), suppressions AS (
       INSERT INTO marketing_suppression (id, chain_id, email_hash, phone_hash, objection_id, created_at)
       SELECT ${r.id('suppression', 'i')}, $1::uuid, ${emailHashSql('o.email', '$1', '$2')}, ${phoneHashSql('o.phone', '$1', '$2')}, objection_id, occurred_at FROM o
     )
     SELECT count(*)::int AS n FROM objections`,
    [chainId, suppressionKey],
  )) as { n: number }[];
  return rows[0].n;
}

/** Terms (about 65% of customers) and privacy-notice (about 50%) acceptances of the batch. Returns how many. */
export async function insertTermsBatch(tx: EntityManager, r: RandomSql, chainId: string): Promise<number> {
  const rows = (await tx.query(
    `WITH base AS MATERIALIZED (
       SELECT b.i, b.id AS customer_id, s.assistant_id, b.created_at,
         CASE WHEN ${r.u('b.i', 222)} < 0.6 THEN 'IN_STORE' WHEN ${r.u('b.i', 222)} < 0.75 THEN 'PAPER_FORM' ELSE 'WEBSITE' END AS source
       FROM bulk_batch b JOIN bulk_store s ON s.no = b.store_no
     ), docs AS (
       SELECT base.*, 1 AS d, 'TERMS' AS document, '2024-01' AS version,
         greatest(base.created_at, timestamptz '2024-01-01T00:00:00Z') AS t0 FROM base WHERE ${r.u('base.i', 220)} < 0.65
       UNION ALL
       SELECT base.*, 2, 'PRIVACY_NOTICE', '2025-03', greatest(base.created_at, timestamptz '2025-03-01T00:00:00Z') FROM base WHERE ${r.u('base.i', 221)} < 0.5
     ), inserted AS (
       INSERT INTO terms_acceptance (id, chain_id, customer_id, document, version, accepted_at, recorded_by_id, source)
       SELECT ${r.id('terms', 'i', 'd')}, $1::uuid, customer_id, document::legal_document, version, ${since(r, 'docs.i * 2 + docs.d', 223, 'docs.t0')},
         CASE WHEN source <> 'WEBSITE' THEN assistant_id END, source::consent_source FROM docs
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM inserted`,
    [chainId],
  )) as { n: number }[];
  return rows[0].n;
}
