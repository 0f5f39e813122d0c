/**
 * Consent changes: every grant or withdrawal appends a ConsentEvent (who, when, source, wording)
 * and updates the channel's current Consent in the same transaction. The right to change a channel
 * is `update` on Consent with that channel as the field.
 *
 * Who made a change is never taken from the client: a member of staff always records actor STAFF (on the
 * customer's instruction), and `input.actor: CUSTOMER` or `input.source: EMAIL_LINK` from staff are refused.
 * A change is the customer's own (actor CUSTOMER) only through a customer channel: the unsubscribe link
 * (src/services/unsubscribe-links.ts).
 *
 * Proof: a change recorded here names a wording version published for its channel in the chain
 * (src/services/consent-wordings.ts), and a grant its lawful basis, valid for the channel (consent-basis.ts: a
 * soft opt-in with its sale and the opt-out offered). A withdrawal records the basis of the consent it withdraws
 * (CONSENT when there was none).
 */
import { EntityManager } from 'typeorm';
import { ChangeAuthor, recordChanges } from '../hash-chain/change-log';
import { badInput } from '../errors/errors';
import { assertMay } from '../policies/input-guard';
import { Chain } from '../schema/core/chain.entity';
import { ConsentEvent } from '../schema/core/consent-event.entity';
import { Consent } from '../schema/core/consent.entity';
import { Customer } from '../schema/core/customer.entity';
import { ChangeAction, ChangeLogKind, ConsentActor, ConsentChannel, ConsentSource, LawfulBasis } from '../schema/enums';
import { ConsentChangeInput } from '../schema/inputs/consent.inputs';
import { RequestInfo } from '../context/request-info';
import { findVisibleCustomer } from './visible-rows';
import { AuthenticatedContext } from '../context/authenticated-context';
import { checkBasis, GrantBasis } from './consent-basis';
import { isPublishedWording } from './consent-wordings';

export async function recordConsentChange(ctx: AuthenticatedContext, input: ConsentChangeInput): Promise<Consent> {
  const { principal, ability } = ctx;
  const wordingVersion = input.wordingVersion.trim();
  if (!wordingVersion || wordingVersion.length > 50) throw badInput('input.wordingVersion', 'must be 1 to 50 characters');
  // Refused rather than silently rewritten: a client that believes it records the customer's own change must learn it cannot.
  if (input.actor && input.actor !== ConsentActor.STAFF) {
    throw badInput('input.actor', 'must be STAFF: staff record a change on the customer’s instruction; a change is the customer’s own only through a customer channel (the unsubscribe link)');
  }
  if (input.source === ConsentSource.EMAIL_LINK) {
    throw badInput('input.source', 'EMAIL_LINK is recorded only by the unsubscribe link itself');
  }
  const basis = checkBasis(input);
  return ctx.core.transaction(async (tx) => {
    const customer = await findVisibleCustomer(tx, principal, ability, input.customerId, 'update');
    assertMay(ability, 'update', 'Consent', { chainId: customer.chainId, storeId: customer.homeStoreId }, [input.channel]);
    // FOR SHARE: setConsentChannels locks the chain row FOR UPDATE, so a consent write and a channel being turned off
    // serialise (a grant cannot commit for a channel disabled while it was being recorded).
    const chain = await tx.getRepository(Chain).findOneOrFail({ where: { id: principal.chainId }, lock: { mode: 'pessimistic_read' } });
    if (!chain.enabledConsentChannels.includes(input.channel)) throw badInput('input.channel', 'is not used by this chain');
    if (!(await isPublishedWording(tx, principal.chainId, input.channel, wordingVersion))) {
      throw badInput('input.wordingVersion', `is not a wording version published for ${input.channel} (see consentWordings)`);
    }
    const before = await tx.getRepository(Consent).findOneBy({ customerId: customer.id, channel: input.channel });
    if ('withdrawalBasis' in basis && basis.withdrawalBasis !== null && basis.withdrawalBasis !== (before?.basis ?? LawfulBasis.CONSENT)) {
      throw badInput('input.basis', `a withdrawal records the basis of what it withdraws (${before?.basis ?? LawfulBasis.CONSENT}): leave it out`);
    }

    const { consent } = await appendConsentChange(tx, principal, ctx.request, customer, {
      channel: input.channel, granted: input.granted, actor: ConsentActor.STAFF, recordedById: principal.userId, source: input.source, wordingVersion,
      ...('basis' in basis ? basis : {}),
    }, before);
    return consent;
  });
}

/** What one consent change says (the rest, customer and time, comes from `appendConsentChange`). */
export interface ConsentChangeValues {
  channel: ConsentChannel;
  granted: boolean;
  actor: ConsentActor;
  recordedById: string | null;
  source: ConsentSource;
  wordingVersion: string;
  /** A grant's basis (default CONSENT, no soft opt-in details); a withdrawal always records that of the consent it withdraws. */
  basis?: LawfulBasis;
  saleReference?: string | null;
  optOutOffered?: boolean | null;
}

/**
 * Appends one consent change in `tx` (the caller has checked who may make it and locked the customer): the
 * ConsentEvent, the channel's current Consent and the change log entry by `author`, together. `before` is the
 * channel's current consent when the caller has read it already. Returns the consent and the event's id.
 */
export async function appendConsentChange(
  tx: EntityManager,
  author: ChangeAuthor,
  request: RequestInfo,
  customer: Customer,
  values: ConsentChangeValues,
  before?: Consent | null,
): Promise<{ consent: Consent; eventId: string }> {
  if (before === undefined) before = await tx.getRepository(Consent).findOneBy({ customerId: customer.id, channel: values.channel });
  const basis: GrantBasis = values.granted
    ? { basis: values.basis ?? LawfulBasis.CONSENT, saleReference: values.saleReference ?? null, optOutOffered: values.optOutOffered ?? null }
    : { basis: before?.basis ?? LawfulBasis.CONSENT, saleReference: null, optOutOffered: null };
  // Always later than the change it follows (read under the customer's lock): the events' order is the order of
  // the writes even when two land in one millisecond or an earlier one came from an API process whose clock runs
  // ahead, so `consentsAsOf` (the latest event) and the current consent never disagree.
  const now = new Date();
  const changedAt = before && before.changedAt.getTime() >= now.getTime() ? new Date(before.changedAt.getTime() + 1) : now;
  const change = { ...values, ...basis, chainId: customer.chainId, customerId: customer.id, changedAt };
  // Separate objects: insert() writes the generated id back into what it is given, and the
  // consent must keep its own id across changes.
  const inserted = await tx.getRepository(ConsentEvent).insert({ ...change });
  await tx.getRepository(Consent).upsert({ ...change }, ['customerId', 'channel']);
  const consent = await tx.getRepository(Consent).findOneByOrFail({ customerId: customer.id, channel: values.channel });
  consent.storeId = customer.homeStoreId;
  await recordChanges(tx, ChangeLogKind.PERSONAL, author, request, [{
    action: before ? ChangeAction.UPDATE : ChangeAction.CREATE, subject: 'Consent', entity: Consent, recordId: consent.id,
    customerId: customer.id, storeId: customer.homeStoreId, before, after: consent,
  }]);
  return { consent, eventId: String(inserted.identifiers[0].id) };
}
