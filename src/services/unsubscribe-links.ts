/**
 * Unsubscribe links: the customer's own channel for withdrawing marketing consent. A change is recorded as
 * the customer's (actor CUSTOMER, source EMAIL_LINK, no staff user) only here.
 *
 * A link is `<PUBLIC_BASE_URL>/consent/unsubscribe?token=<43 characters>`: a random 32-byte token (base64url),
 * one per customer and channel and issue. Only its SHA-256 is stored (`unsubscribe_link`, with the chain, the
 * customer, the channel, who issued it, when, its expiry and when it was used), not an HMAC of the customer id
 * under a server secret: a table makes single use a one-row UPDATE, survives restarts and key changes, and
 * needs no secret shared by every API process. A token cannot be guessed and says nothing about its customer.
 *
 * Issuing: `unsubscribeLinks` (any number in one INSERT) and `unsubscribeLink` do no permission check: their
 * caller has decided that the issuer may (the GraphQL mutation `issueUnsubscribeLink` below checks `update` on
 * the channel and `read` of Consent.unsubscribeLink at the customer's home store; the marketing list and its
 * export, issue 11, will issue one per row under their own permission). Links are checked to belong to the chain.
 *
 * Using: `inspectUnsubscribeLink` only reads (the GET confirmation page: mail scanners fetch links);
 * `withdrawThroughLink` (the RFC 8058 one-click POST) marks the link used and appends the withdrawal, the
 * consent's new state and its change log entry in one transaction. A used link changes nothing again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { customerAuthor } from '../hash-chain/change-log';
import { Config } from '../config/config';
import { badInput } from '../errors/errors';
import { assertMay } from '../policies/input-guard';
import { Chain } from '../schema/core/chain.entity';
import { Consent } from '../schema/core/consent.entity';
import { Customer } from '../schema/core/customer.entity';
import { UnsubscribeLinkView } from '../schema/core/unsubscribe-link.types';
import { ConsentActor, ConsentChannel, ConsentSource } from '../schema/enums';
import { RequestInfo } from '../context/request-info';
import { appendConsentChange } from './consent-service';
import { findVisibleCustomer } from './visible-rows';
import { AuthenticatedContext } from '../context/authenticated-context';

export const UNSUBSCRIBE_PATH = '/consent/unsubscribe';

/** How the change log names the route (`operationName`): no GraphQL operation can be named so. */
export const UNSUBSCRIBE_OPERATION = `POST ${UNSUBSCRIBE_PATH}`;

/** The wording version a withdrawal records when the customer had no consent recorded for the channel. */
export const NO_WORDING = 'none';

/** A token as issued: 32 bytes, base64url without padding. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function isUnsubscribeToken(token: string): boolean {
  return TOKEN.test(token);
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export interface LinkRequest {
  customerId: string;
  channel: ConsentChannel;
}

export interface IssuedLink extends LinkRequest {
  url: string;
  expiresAt: Date;
}

export function unsubscribeUrl(config: Pick<Config, 'publicBaseUrl'>, token: string): string {
  return `${config.publicBaseUrl}${UNSUBSCRIBE_PATH}?token=${token}`;
}

/**
 * Issues one link per request (in order), in one INSERT. No permission check (see the header); every customer
 * must belong to `chainId`, or nothing is issued. `db` is the caller's transaction or connection.
 */
export async function unsubscribeLinks(
  db: EntityManager | DataSource,
  config: Pick<Config, 'publicBaseUrl' | 'unsubscribeLinkDays'>,
  chainId: string,
  issuedById: string | null,
  requests: readonly LinkRequest[],
): Promise<IssuedLink[]> {
  if (requests.length === 0) return [];
  const expiresAt = new Date(Date.now() + config.unsubscribeLinkDays * 86400_000);
  const tokens = requests.map(() => randomBytes(32).toString('base64url'));
  const rows = requests.map((r, i) => ({ customerId: r.customerId, channel: r.channel, tokenHash: hashToken(tokens[i]).toString('hex') }));
  const inserted: unknown[] = await db.query(
    `INSERT INTO unsubscribe_link (chain_id, customer_id, channel, token_hash, issued_by_id, expires_at)
     SELECT c.chain_id, c.id, (x.e->>'channel')::consent_channel, decode(x.e->>'tokenHash', 'hex'), $3, $4
       FROM jsonb_array_elements($2::jsonb) AS x(e)
       JOIN customer c ON c.id = (x.e->>'customerId')::uuid AND c.chain_id = $1
     RETURNING id`,
    [chainId, JSON.stringify(rows), issuedById, expiresAt],
  );
  // A customer of another chain (or none) left its row out: refuse the lot (the caller's transaction rolls back).
  if (inserted.length !== requests.length) throw new Error('unsubscribe links asked for customers outside the chain');
  return requests.map((r, i) => ({ customerId: r.customerId, channel: r.channel, url: unsubscribeUrl(config, tokens[i]), expiresAt }));
}

export async function unsubscribeLink(
  db: EntityManager | DataSource,
  config: Pick<Config, 'publicBaseUrl' | 'unsubscribeLinkDays'>,
  chainId: string,
  issuedById: string | null,
  customerId: string,
  channel: ConsentChannel,
): Promise<IssuedLink> {
  const [link] = await unsubscribeLinks(db, config, chainId, issuedById, [{ customerId, channel }]);
  return link;
}

/**
 * issueUnsubscribeLink: for a customer the caller may see (else NOT_FOUND), a channel the chain uses (else
 * BAD_USER_INPUT on `channel`), when the caller may change that channel's consent and read
 * Consent.unsubscribeLink at the customer's home store (else FORBIDDEN). Whoever holds a link can use it:
 * handing it out is handing out that withdrawal, hence `update` on the channel; the issuer is recorded.
 */
export async function issueUnsubscribeLink(
  ctx: AuthenticatedContext,
  customerId: string,
  channel: ConsentChannel,
): Promise<UnsubscribeLinkView> {
  const { principal, ability } = ctx;
  return ctx.core.transaction(async (tx) => {
    const customer = await findVisibleCustomer(tx, principal, ability, customerId);
    const scope = { chainId: customer.chainId, storeId: customer.homeStoreId };
    assertMay(ability, 'update', 'Consent', scope, [channel]);
    assertMay(ability, 'read', 'Consent', scope, ['unsubscribeLink']);
    const chain = await tx.getRepository(Chain).findOneByOrFail({ id: principal.chainId });
    if (!chain.enabledConsentChannels.includes(channel)) throw badInput('channel', 'is not used by this chain');
    const link = await unsubscribeLink(tx, ctx.config, principal.chainId, principal.userId, customer.id, channel);
    return Object.assign(new UnsubscribeLinkView(), link, scope);
  });
}

/** What a token stands for, as far as its page may say: never the customer, only the sender and the channel. */
export type LinkState =
  | { kind: 'malformed' }
  | { kind: 'unknown' } // no such token, or expired: one answer for both
  | { kind: 'used'; chainName: string; channel: ConsentChannel }
  | { kind: 'usable'; chainName: string; channel: ConsentChannel };

interface LinkRow {
  id: string;
  chainId: string;
  customerId: string;
  channel: ConsentChannel;
  chainName: string;
  used: boolean;
  expired: boolean;
}

async function findLink(db: EntityManager | DataSource, token: string, lock: boolean): Promise<LinkRow | null> {
  const [row]: LinkRow[] = await db.query(
    `SELECT l.id, l.chain_id AS "chainId", l.customer_id AS "customerId", l.channel::text AS channel, ch.name AS "chainName",
            l.used_at IS NOT NULL AS used, l.expires_at <= now() AS expired
       FROM unsubscribe_link l JOIN chain ch ON ch.id = l.chain_id
      WHERE l.token_hash = $1${lock ? ' FOR UPDATE OF l' : ''}`,
    [hashToken(token)],
  );
  return row ?? null;
}

/** For the confirmation page: reads only. */
export async function inspectUnsubscribeLink(core: DataSource, token: string): Promise<LinkState> {
  if (!isUnsubscribeToken(token)) return { kind: 'malformed' };
  const link = await findLink(core, token, false);
  if (!link) return { kind: 'unknown' };
  if (link.used) return { kind: 'used', chainName: link.chainName, channel: link.channel };
  if (link.expired) return { kind: 'unknown' };
  return { kind: 'usable', chainName: link.chainName, channel: link.channel };
}

export type WithdrawalOutcome =
  | Exclude<LinkState, { kind: 'usable' }>
  | { kind: 'withdrawn'; chainName: string; channel: ConsentChannel; linkId: string };

/**
 * The customer withdraws through the link: once. In one transaction: the link is locked and marked used, the
 * customer locked, the withdrawal appended (actor CUSTOMER, source EMAIL_LINK, recordedById null, the wording
 * version of the consent withdrawn from), the consent updated, and the change log entry written with no user and
 * no session (`customerAuthor`) and operationName `POST /consent/unsubscribe`. A withdrawal is recorded even when
 * the consent is withdrawn already or the chain has since disabled the channel: it is the customer's own
 * statement, and withdrawing must always be possible. A used link changes nothing (`used`).
 */
export async function withdrawThroughLink(core: DataSource, token: string, request: RequestInfo): Promise<WithdrawalOutcome> {
  if (!isUnsubscribeToken(token)) return { kind: 'malformed' };
  return core.transaction(async (tx) => {
    // Locked: of two concurrent uses one waits here and then finds the link used.
    const link = await findLink(tx, token, true);
    if (!link || (link.expired && !link.used)) return { kind: 'unknown' };
    if (link.used) return { kind: 'used', chainName: link.chainName, channel: link.channel };
    const customer = await tx.getRepository(Customer).createQueryBuilder('c')
      .where('c.id = :id AND c.chainId = :chainId', { id: link.customerId, chainId: link.chainId })
      .setLock('pessimistic_write').getOne();
    if (!customer) return { kind: 'unknown' };
    const before = await tx.getRepository(Consent).findOneBy({ customerId: customer.id, channel: link.channel });
    const { eventId } = await appendConsentChange(tx, customerAuthor(customer.chainId), { ...request, operationName: UNSUBSCRIBE_OPERATION }, customer, {
      channel: link.channel, granted: false, actor: ConsentActor.CUSTOMER, recordedById: null, source: ConsentSource.EMAIL_LINK,
      wordingVersion: before?.wordingVersion ?? NO_WORDING,
    }, before);
    await tx.query('UPDATE unsubscribe_link SET used_at = now(), consent_event_id = $2 WHERE id = $1', [link.id, eventId]);
    return { kind: 'withdrawn', chainName: link.chainName, channel: link.channel, linkId: link.id };
  });
}
