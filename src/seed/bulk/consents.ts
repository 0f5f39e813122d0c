/**
 * The bulk chain's consents (src/seed/bulk): the published consent wordings per channel and version, and per
 * customer of the batch and channel its consent events (a grant; for some a withdrawal; for a few of those a
 * new grant) with the current `consent` row copied from the last event, in one statement per batch, so every
 * current consent has its event. Lawful bases: email and SMS grants are partly soft opt-ins (a sale reference,
 * the opt-out offered), post partly legitimate interest; a withdrawal records the basis of what it withdraws.
 * The wording version of an event is the one published at the time (a withdrawal: that of the grant).
 */
import { EntityManager } from 'typeorm';
import { ConsentChannel } from '../../schema/enums';
import { BULK_ANCHOR, BULK_CONSENT_START } from './customers';
import { literal, RandomSql } from './random-sql';

/** The wording versions every channel has, each published at its date. */
export const BULK_WORDINGS = [
  { version: '2023-01', publishedAt: '2023-01-15T09:00:00Z' },
  { version: '2024-06', publishedAt: '2024-06-01T09:00:00Z' },
  { version: '2025-09', publishedAt: '2025-09-01T09:00:00Z' },
] as const;

const CHANNEL_TEXT: Record<ConsentChannel, string> = {
  [ConsentChannel.EMAIL]: 'I would like to receive offers, eye-care news and product updates by email. I can unsubscribe at any time.',
  [ConsentChannel.SMS]: 'I would like to receive offers and eye-care news by text message. I can reply STOP at any time.',
  [ConsentChannel.MAIL]: 'I would like to receive offers and eye-care news by post. I can ask you to stop at any time.',
  [ConsentChannel.SOCIAL_MEDIA]: 'You may show me offers on social media using my email address or phone number. I can withdraw at any time.',
};

/**
 * Per channel: its number (for the random questions), the share of customers with any event, the share of those
 * who withdrew, and the share of grants on the channel's other basis (soft opt-in or legitimate interest).
 */
const CHANNELS: { no: number; channel: ConsentChannel; any: number; withdrew: number; other: number; otherBasis: string }[] = [
  { no: 0, channel: ConsentChannel.EMAIL, any: 0.9, withdrew: 0.07, other: 0.15, otherBasis: 'SOFT_OPT_IN' },
  { no: 1, channel: ConsentChannel.SMS, any: 0.6, withdrew: 0.15, other: 0.08, otherBasis: 'SOFT_OPT_IN' },
  { no: 2, channel: ConsentChannel.MAIL, any: 0.5, withdrew: 0.1, other: 0.35, otherBasis: 'LEGITIMATE_INTEREST' },
  { no: 3, channel: ConsentChannel.SOCIAL_MEDIA, any: 0.3, withdrew: 0.2, other: 0, otherBasis: 'CONSENT' },
];

export async function insertWordings(tx: EntityManager, r: RandomSql, chainId: string, publishedById: string): Promise<number> {
  const rows = Object.values(ConsentChannel).flatMap((channel) => BULK_WORDINGS.map((w) => ({ channel, ...w })));
  await tx.query(
    `INSERT INTO consent_wording (id, chain_id, channel, version, text, published_at, published_by_id)
     SELECT ${r.id('wording', 'w.channel', 'w.version')}, $1::uuid, w.channel::consent_channel, w.version, w.text, w.published_at, $2
     FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS w(channel, version, text, published_at)`,
    [chainId, publishedById, rows.map((w) => w.channel), rows.map((w) => w.version),
      rows.map((w) => `${CHANNEL_TEXT[w.channel]} (version ${w.version})`), rows.map((w) => w.publishedAt)],
  );
  return rows.length;
}

function versionAt(timeExpr: string): string {
  const [first, second, third] = BULK_WORDINGS;
  return `CASE WHEN ${timeExpr} < timestamptz '${second.publishedAt}' THEN '${first.version}'
    WHEN ${timeExpr} < timestamptz '${third.publishedAt}' THEN '${second.version}' ELSE '${third.version}' END`;
}

/** The consent events and current consents of the customers in `bulk_batch`. Returns the events written. */
export async function insertConsentBatch(tx: EntityManager, r: RandomSql, chainId: string): Promise<number> {
  const channels = CHANNELS.map((c) => `(${c.no}, ${literal(c.channel)}, ${c.any}, ${c.withdrew}, ${c.other}, ${literal(c.otherBasis)})`).join(', ');
  const q = (base: number): string => r.uq('p.i', `${base} + p.no`);
  const columns = ['id', 'chain_id', 'customer_id', 'channel', 'granted', 'changed_at', 'actor', 'recorded_by_id', 'source', 'wording_version',
    'basis', 'sale_reference', 'opt_out_offered'];
  const values = ['chain_id', 'customer_id', 'channel', 'granted', 'changed_at', 'actor', 'recorded_by_id', 'source', 'wording_version',
    'basis', 'sale_reference', 'opt_out_offered'].join(', ');
  const rows = (await tx.query(
    `WITH p AS MATERIALIZED (
       SELECT b.i, b.id AS customer_id, s.assistant_id, s.area, ch.no, ch.channel::consent_channel AS channel, ch.withdrew, ch.other, ch.other_basis,
         greatest(b.created_at, timestamptz '${BULK_CONSENT_START}') AS t0
       FROM bulk_batch b JOIN bulk_store s ON s.no = b.store_no
       CROSS JOIN (VALUES ${channels}) AS ch(no, channel, any_share, withdrew, other, other_basis)
       WHERE ${r.uq('b.i', '100 + ch.no')} < ch.any_share
     ), t AS MATERIALIZED (
       SELECT p.*, p.t0 + ${q(20)} * (timestamptz '${BULK_ANCHOR}' - p.t0) AS t1,
         CASE WHEN ${q(30)} >= p.withdrew THEN 1 WHEN ${q(40)} < 0.12 THEN 3 ELSE 2 END AS n,
         CASE WHEN ${q(50)} < p.other THEN p.other_basis ELSE 'CONSENT' END AS basis1,
         ${q(60)} AS source_u
       FROM p
     ), t2 AS MATERIALIZED (
       SELECT t.*, t.t1 + ${r.uq('t.i', '70 + t.no')} * (timestamptz '${BULK_ANCHOR}' - t.t1) AS t2 FROM t
     ), times AS MATERIALIZED (
       SELECT t2.*, t2.t2 + ${r.uq('t2.i', '80 + t2.no')} * (timestamptz '${BULK_ANCHOR}' - t2.t2) AS t3,
         CASE WHEN t2.basis1 = 'SOFT_OPT_IN' THEN 'IN_STORE' WHEN t2.source_u < 0.55 THEN 'IN_STORE' WHEN t2.source_u < 0.7 THEN 'PAPER_FORM'
           WHEN t2.source_u < 0.8 THEN 'PHONE' ELSE 'WEBSITE' END AS source1,
         CASE WHEN t2.channel = 'EMAIL' AND ${r.uq('t2.i', '110 + t2.no')} < 0.5 THEN 'EMAIL_LINK' WHEN ${r.uq('t2.i', '115 + t2.no')} < 0.75 THEN 'PHONE' ELSE 'IN_STORE' END AS source2
       FROM t2
     ), ev AS MATERIALIZED (
       SELECT x.*, CASE WHEN x.source IN ('WEBSITE', 'EMAIL_LINK') THEN 'CUSTOMER' ELSE 'STAFF' END AS actor_text
       FROM (
         SELECT times.i, times.no, k, times.n, $1::uuid AS chain_id, times.customer_id, times.channel, k <> 2 AS granted,
           CASE k WHEN 1 THEN times.t1 WHEN 2 THEN times.t2 ELSE times.t3 END AS changed_at,
           CASE k WHEN 1 THEN times.source1 WHEN 2 THEN times.source2 ELSE 'WEBSITE' END AS source,
           CASE WHEN k = 3 THEN ${versionAt('times.t3')} ELSE ${versionAt('times.t1')} END AS wording_version,
           CASE WHEN k = 3 THEN 'CONSENT' ELSE times.basis1 END AS basis_text,
           CASE WHEN k = 1 AND times.basis1 = 'SOFT_OPT_IN' THEN 'SALE-' || times.area || '-' || lpad(floor(${r.uq('times.i', '120 + times.no')} * 10000000)::int::text, 7, '0') END AS sale_reference,
           CASE WHEN k = 1 AND times.basis1 = 'SOFT_OPT_IN' THEN true END AS opt_out_offered,
           times.assistant_id
         FROM times CROSS JOIN LATERAL generate_series(1, times.n) AS k
       ) x
     ), shaped AS MATERIALIZED (
       SELECT ev.i, ev.no, ev.k, ev.n, ev.chain_id, ev.customer_id, ev.channel, ev.granted, ev.changed_at,
         ev.actor_text::consent_actor AS actor, CASE WHEN ev.actor_text = 'STAFF' THEN ev.assistant_id END AS recorded_by_id,
         ev.source::consent_source AS source, ev.wording_version, ev.basis_text::lawful_basis AS basis, ev.sale_reference, ev.opt_out_offered
       FROM ev
     ), events AS (
       INSERT INTO consent_event (${columns.join(', ')})
       SELECT ${r.id('consent-event', 'i', 'no', 'k')}, ${values} FROM shaped
     ), current AS (
       INSERT INTO consent (${columns.join(', ')})
       SELECT ${r.id('consent', 'i', 'no')}, ${values} FROM shaped WHERE k = n
     )
     SELECT count(*)::int AS events FROM shaped`,
    [chainId],
  )) as { events: number }[];
  return rows[0].events;
}
