/**
 * recordTermsAcceptance: a customer accepted a version of the terms or the privacy notice. Needs `create`
 * TermsAcceptance at the customer's home store (NOT_FOUND for a customer outside the caller's scope). Recorded
 * by the signed-in member of staff through a source (IN_STORE unless given; EMAIL_LINK is the customer's own
 * channel and refused here), in one transaction with its change-log entry (personal log, subject TermsAcceptance).
 * An acceptance is append-only: a newer version is a new row.
 */
import { badInput } from '../errors/errors';
import { recordChanges } from '../hash-chain/change-log';
import { assertMay } from '../policies/input-guard';
import { TermsAcceptance } from '../schema/core/terms-acceptance.entity';
import { ChangeAction, ChangeLogKind, ConsentSource, LegalDocument } from '../schema/enums';
import { AuthenticatedContext } from '../context/authenticated-context';
import { findVisibleCustomer } from './visible-rows';

export const TERMS_VERSION_MAX = 50;

export async function recordTermsAcceptance(
  ctx: AuthenticatedContext,
  customerId: string,
  document: LegalDocument,
  version: string,
  source?: ConsentSource | null,
): Promise<TermsAcceptance> {
  const { principal, ability } = ctx;
  const trimmed = version.trim();
  if (!trimmed || [...trimmed].length > TERMS_VERSION_MAX) throw badInput('version', `must be 1 to ${TERMS_VERSION_MAX} characters`);
  if (source === ConsentSource.EMAIL_LINK) throw badInput('source', 'EMAIL_LINK is a customer channel: staff record what the customer accepted in store, on paper, by phone or on the website');
  return ctx.core.transaction(async (tx) => {
    const customer = await findVisibleCustomer(tx, principal, ability, customerId, 'share');
    const scope = { chainId: customer.chainId, storeId: customer.homeStoreId };
    assertMay(ability, 'create', 'TermsAcceptance', scope);
    const inserted = await tx.getRepository(TermsAcceptance).insert({
      chainId: customer.chainId, customerId: customer.id, document, version: trimmed, recordedById: principal.userId, source: source ?? ConsentSource.IN_STORE,
    });
    const row = await tx.getRepository(TermsAcceptance).findOneByOrFail({ id: String(inserted.identifiers[0].id) });
    row.storeId = customer.homeStoreId;
    await recordChanges(tx, ChangeLogKind.PERSONAL, principal, ctx.request, [{
      action: ChangeAction.CREATE, subject: 'TermsAcceptance', entity: TermsAcceptance, recordId: row.id,
      customerId: customer.id, storeId: customer.homeStoreId, before: null, after: row,
    }]);
    return row;
  });
}
