/**
 * Objection to direct marketing (GDPR Art. 21(2)): `recordMarketingObjection`. Appends a MarketingObjection
 * (actor STAFF, the signed-in user as recordedById: recorded on the customer's instruction), a
 * MarketingSuppression holding only the keyed hashes of the customer's current email and phone (computed in
 * SQL, src/services/consent/contact-hash-sql.ts; never the plaintext, never the customer id), and the
 * objection's change-log entry (subject Consent, record type MarketingObjection), in one transaction under a
 * lock on the customer row. The right is `update` on Consent with the field `objection`.
 *
 * An objection is never lifted. A second one is accepted and recorded as another event (with a fresh
 * suppression of the contact details the customer has now): idempotent in effect. `source: EMAIL_LINK` is
 * refused, as for consent changes (only a customer channel records the customer's own act).
 */
import { AuthenticatedContext } from '../../context/authenticated-context';
import { badInput } from '../../errors/errors';
import { recordChanges } from '../../hash-chain/change-log';
import { assertMay } from '../../policies/input-guard';
import { MarketingObjection } from '../../schema/core/marketing-objection.entity';
import { MarketingObjectionView } from '../../schema/core/restriction.types';
import { ChangeAction, ChangeLogKind, ConsentActor, ConsentSource } from '../../schema/enums';
import { findVisibleCustomer } from '../visible-rows';
import { emailHashSql, phoneHashSql } from './contact-hash-sql';
import { marketingObjectionOf } from './objection-state';

export async function recordMarketingObjection(ctx: AuthenticatedContext, customerId: string, source: ConsentSource): Promise<MarketingObjectionView> {
  const { principal, ability } = ctx;
  if (source === ConsentSource.EMAIL_LINK) throw badInput('source', 'EMAIL_LINK is recorded only by a customer channel itself');
  const customer = await ctx.core.transaction(async (tx) => {
    const found = await findVisibleCustomer(tx, principal, ability, customerId, 'update');
    assertMay(ability, 'update', 'Consent', { chainId: found.chainId, storeId: found.homeStoreId }, ['objection']);
    const objection = Object.assign(new MarketingObjection(), {
      chainId: found.chainId, customerId: found.id, source, actor: ConsentActor.STAFF, recordedById: principal.userId, occurredAt: new Date(),
    });
    await tx.getRepository(MarketingObjection).insert(objection);
    await tx.query(
      `INSERT INTO marketing_suppression (chain_id, email_hash, phone_hash, objection_id)
       SELECT c.chain_id, ${emailHashSql('c.email', 'c.chain_id', '$3')}, ${phoneHashSql('c.phone', 'c.chain_id', '$3')}, $2
         FROM customer c WHERE c.id = $1`,
      [found.id, objection.id, ctx.config.suppressionKey],
    );
    await recordChanges(tx, ChangeLogKind.PERSONAL, principal, ctx.request, [{
      action: ChangeAction.CREATE, subject: 'Consent', entity: MarketingObjection, recordId: objection.id,
      customerId: found.id, storeId: found.homeStoreId, before: null, after: objection,
    }]);
    return found;
  });
  ctx.loaders.marketingObjectionHistory.clearAll();
  return marketingObjectionOf(ctx, customer, true);
}
