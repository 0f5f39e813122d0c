/**
 * The two answers to an erasure, as steps in one core transaction on a customer row the caller has locked
 * (FOR UPDATE): `eraseInCore` (no clinical records: personal fields removed, a tombstone, the change log's
 * values redacted) and `inactivateInCore` (clinical records kept: status INACTIVE, email and phone erased,
 * every granted marketing consent withdrawn by an event, an objection with its suppression). Each writes its
 * own change-log entries, which carry no personal values: a removed value is logged as `(erased)` → null.
 * Shared by `eraseCustomer` and `disposeCustomer` (docs/erasure.md).
 */
import { EntityManager } from 'typeorm';
import { RequestInfo } from '../../context/request-info';
import { ChangeAuthor, recordChanges, RecordChange } from '../../hash-chain/change-log';
import { redactChangeLog } from '../../hash-chain/change-log-redaction';
import { Appointment } from '../../schema/core/appointment.entity';
import { Consent } from '../../schema/core/consent.entity';
import { Customer } from '../../schema/core/customer.entity';
import { MarketingObjection } from '../../schema/core/marketing-objection.entity';
import { ProcessingRestriction } from '../../schema/core/processing-restriction.entity';
import { ChangeAction, ChangeLogKind, ConsentActor, ConsentSource, CustomerStatus, Sex } from '../../schema/enums';
import { appendConsentChange } from '../consent-service';
import { emailHashSql, phoneHashSql } from '../consent/contact-hash-sql';

/** What a removed value is logged as (never the value itself). */
export const ERASED_TEXT = '(removed)';

/** What a required free text (a restriction's reason) holds once erased (the redaction function writes the same into the events). */
export const ERASED_STORED_TEXT = '(erased)';

/** The customer's fields an erasure removes (sex is set to UNKNOWN). */
export const ERASED_FIELDS = [
  'firstName', 'lastName', 'dateOfBirth', 'sex', 'addressLine1', 'addressLine2', 'city', 'postcode', 'country', 'phone', 'email', 'dataVerifiedAt',
] as const;

/** The customer's fields an inactivation removes: contact details (the address stays with the health record). */
export const INACTIVATION_FIELDS = ['phone', 'email'] as const;

/** Who the steps are recorded against, and why. */
export interface StepContext {
  author: ChangeAuthor;
  request: RequestInfo;
  /** Why (named in the redaction record): the request, or the retention rule. */
  reason: string;
}

type Values = Record<string, unknown>;

/** `before` → `after` of the fields that held something, each removed value logged as `(erased)`. */
function erasedValues(row: Values, fields: readonly string[], cleared: Values): { before: Values; after: Values } {
  const before: Values = {};
  const after: Values = {};
  for (const field of fields) {
    const had = row[field];
    const now = field in cleared ? cleared[field] : null;
    if (had === null || had === undefined || had === now) continue;
    before[field] = ERASED_TEXT;
    after[field] = now;
  }
  return { before, after };
}

/** Appointment notes, consent sale references and restriction reasons: free text about the customer. */
async function eraseRelatedText(tx: EntityManager, customer: Customer): Promise<RecordChange[]> {
  const changes: RecordChange[] = [];
  const base = { action: ChangeAction.ERASE, customerId: customer.id };
  const [appointments] = (await tx.query(
    `UPDATE appointment SET cancellation_reason = NULL WHERE chain_id = $1 AND customer_id = $2 AND cancellation_reason IS NOT NULL
     RETURNING id::text AS id, store_id::text AS "storeId"`, [customer.chainId, customer.id],
  )) as [{ id: string; storeId: string }[], number];
  for (const a of appointments) {
    changes.push({ ...base, subject: 'Appointment', entity: Appointment, recordId: a.id, storeId: a.storeId,
      before: { cancellationReason: ERASED_TEXT }, after: { cancellationReason: null } });
  }
  // A consent whose current row or any event of its channel named a sale: the events' references are cleared
  // by the redaction function (consent_event is append-only).
  const consents = (await tx.query(
    `SELECT c.id::text AS id, c.sale_reference IS NOT NULL AS current FROM consent c
      WHERE c.chain_id = $1 AND c.customer_id = $2
        AND (c.sale_reference IS NOT NULL OR EXISTS (SELECT 1 FROM consent_event e
              WHERE e.customer_id = c.customer_id AND e.channel = c.channel AND e.sale_reference IS NOT NULL))`,
    [customer.chainId, customer.id],
  )) as { id: string; current: boolean }[];
  await tx.query(`UPDATE consent SET sale_reference = NULL WHERE chain_id = $1 AND customer_id = $2 AND sale_reference IS NOT NULL`, [customer.chainId, customer.id]);
  for (const c of consents) {
    changes.push({ ...base, subject: 'Consent', entity: Consent, recordId: c.id, storeId: customer.homeStoreId,
      before: { saleReference: ERASED_TEXT }, after: { saleReference: null } });
  }
  const restricted = (await tx.query(
    `SELECT 1 FROM processing_restriction_event WHERE chain_id = $1 AND customer_id = $2 AND reason <> $3 LIMIT 1`,
    [customer.chainId, customer.id, ERASED_STORED_TEXT],
  )) as unknown[];
  if (restricted.length) {
    await tx.query(`UPDATE processing_restriction SET reason = $3 WHERE chain_id = $1 AND customer_id = $2`, [customer.chainId, customer.id, ERASED_STORED_TEXT]);
    changes.push({ ...base, subject: 'Consent', entity: ProcessingRestriction, recordId: customer.id, storeId: customer.homeStoreId,
      before: { reason: ERASED_TEXT }, after: { reason: ERASED_STORED_TEXT } });
  }
  return changes;
}

/**
 * ERASED: the customer becomes a tombstone (id, chain, home store, status ERASED, erasedAt), free text about them
 * is cleared, their unsubscribe links are dropped, every value of their personal change-log entries and their
 * consent events' sale references are redacted (recorded in personal_change_log_redaction), and the erasure is
 * logged (ERASE entries naming only which fields were removed). Consent and objection history stay, under the
 * tombstone's id; suppressions never named the customer. Returns the tombstone.
 */
export async function eraseInCore(tx: EntityManager, step: StepContext, customer: Customer): Promise<Customer> {
  const erasedAt = new Date();
  const cleared: Values = { sex: Sex.UNKNOWN };
  const { before, after } = erasedValues(customer as unknown as Values, ERASED_FIELDS, cleared);
  await tx.getRepository(Customer).update({ id: customer.id, chainId: customer.chainId }, {
    firstName: null, lastName: null, dateOfBirth: null, sex: Sex.UNKNOWN, addressLine1: null, addressLine2: null, city: null,
    postcode: null, country: null, phone: null, email: null, dataVerifiedAt: null, status: CustomerStatus.ERASED, erasedAt,
  });
  const related = await eraseRelatedText(tx, customer);
  await tx.query(`DELETE FROM unsubscribe_link WHERE chain_id = $1 AND customer_id = $2`, [customer.chainId, customer.id]);
  await redactChangeLog(tx, ChangeLogKind.PERSONAL, {
    chainId: customer.chainId, customerId: customer.id, fields: null, userId: step.author.userId, requestId: step.request.requestId, reason: step.reason,
  });
  await recordChanges(tx, ChangeLogKind.PERSONAL, step.author, step.request, [
    { action: ChangeAction.ERASE, subject: 'Customer', entity: Customer, recordId: customer.id, customerId: customer.id, storeId: customer.homeStoreId,
      before: { ...before, status: customer.status, erasedAt: null }, after: { ...after, status: CustomerStatus.ERASED, erasedAt } },
    ...related,
  ]);
  return tx.getRepository(Customer).findOneByOrFail({ id: customer.id });
}

/** The source an erasure's objection is recorded with, from the request's channel. */
export type ObjectionSource = Exclude<ConsentSource, ConsentSource.EMAIL_LINK>;

/**
 * INACTIVATED: status INACTIVE; every granted marketing consent withdrawn by an event (actor STAFF, on the
 * customer's request); an objection to direct marketing with the suppression of the email and phone held now
 * (so a re-created record stays out of marketing); then email and phone removed and their values redacted from
 * the customer's personal change-log entries; logged as INACTIVATE (status, and which contact fields were
 * removed). Identity, address and everything clinical stay. Returns the customer as now.
 */
export async function inactivateInCore(
  tx: EntityManager,
  step: StepContext,
  customer: Customer,
  objection: { source: ObjectionSource; recordedById: string | null; suppressionKey: Buffer },
): Promise<Customer> {
  const granted = await tx.getRepository(Consent).findBy({ customerId: customer.id, granted: true });
  for (const consent of granted) {
    await appendConsentChange(tx, step.author, step.request, customer, {
      channel: consent.channel, granted: false, actor: ConsentActor.STAFF, recordedById: objection.recordedById,
      source: objection.source, wordingVersion: consent.wordingVersion,
    }, consent);
  }
  const row = Object.assign(new MarketingObjection(), {
    chainId: customer.chainId, customerId: customer.id, source: objection.source, actor: ConsentActor.STAFF,
    recordedById: objection.recordedById, occurredAt: new Date(),
  });
  await tx.getRepository(MarketingObjection).insert(row);
  await tx.query(
    `INSERT INTO marketing_suppression (chain_id, email_hash, phone_hash, objection_id)
     SELECT c.chain_id, ${emailHashSql('c.email', 'c.chain_id', '$3')}, ${phoneHashSql('c.phone', 'c.chain_id', '$3')}, $2
       FROM customer c WHERE c.id = $1`,
    [customer.id, row.id, objection.suppressionKey],
  );
  const { before, after } = erasedValues(customer as unknown as Values, INACTIVATION_FIELDS, {});
  await tx.getRepository(Customer).update({ id: customer.id, chainId: customer.chainId }, { phone: null, email: null, status: CustomerStatus.INACTIVE });
  await redactChangeLog(tx, ChangeLogKind.PERSONAL, {
    chainId: customer.chainId, customerId: customer.id, fields: [...INACTIVATION_FIELDS], userId: step.author.userId,
    requestId: step.request.requestId, reason: step.reason,
  });
  await recordChanges(tx, ChangeLogKind.PERSONAL, step.author, step.request, [
    { action: ChangeAction.INACTIVATE, subject: 'Customer', entity: Customer, recordId: customer.id, customerId: customer.id,
      storeId: customer.homeStoreId, before: { ...before, status: customer.status }, after: { ...after, status: CustomerStatus.INACTIVE } },
    { action: ChangeAction.CREATE, subject: 'Consent', entity: MarketingObjection, recordId: row.id, customerId: customer.id,
      storeId: customer.homeStoreId, before: null, after: row },
  ]);
  return tx.getRepository(Customer).findOneByOrFail({ id: customer.id });
}
