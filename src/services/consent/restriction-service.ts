/**
 * Restriction of processing (GDPR Art. 18): `restrictProcessing` and `liftRestriction`. Each appends a
 * ProcessingRestrictionEvent, upserts the customer's current ProcessingRestriction and writes its change-log
 * entry (subject Consent, record type ProcessingRestriction, record id = the customer id) in one transaction,
 * under a lock on the customer row (concurrent calls queue; the second sees the first's state).
 * The right is `update` on Consent with the field `restriction`, at the customer's home store.
 *
 * Restricting a restricted customer, or lifting an unrestricted one, is refused (BAD_USER_INPUT on
 * `customerId`): each event is a real change of state, so the history reads as alternating restrictions and
 * liftings, each with its reason.
 */
import { AuthenticatedContext } from '../../context/authenticated-context';
import { badInput } from '../../errors/errors';
import { recordChanges } from '../../hash-chain/change-log';
import { customerScope } from '../../loaders/restriction-loaders';
import { assertMay } from '../../policies/input-guard';
import { ProcessingRestrictionEvent } from '../../schema/core/processing-restriction-event.entity';
import { ProcessingRestriction } from '../../schema/core/processing-restriction.entity';
import { ProcessingRestrictionView } from '../../schema/core/restriction.types';
import { ChangeAction, ChangeLogKind } from '../../schema/enums';
import { findVisibleCustomer } from '../visible-rows';

export const REASON_MAX = 500;

function validReason(reason: string): string {
  const trimmed = (reason ?? '').trim();
  if (!trimmed) throw badInput('reason', 'is required: say why processing is restricted or the restriction lifted');
  if (trimmed.length > REASON_MAX) throw badInput('reason', `must be at most ${REASON_MAX} characters`);
  return trimmed;
}

async function changeRestriction(ctx: AuthenticatedContext, customerId: string, reasonText: string, restricted: boolean): Promise<ProcessingRestrictionView> {
  const { principal, ability } = ctx;
  const reason = validReason(reasonText);
  return ctx.core.transaction(async (tx) => {
    const customer = await findVisibleCustomer(tx, principal, ability, customerId, 'update');
    assertMay(ability, 'update', 'Consent', { chainId: customer.chainId, storeId: customer.homeStoreId }, ['restriction']);
    const repository = tx.getRepository(ProcessingRestriction);
    const before = await repository.findOneBy({ customerId: customer.id });
    if (restricted && before?.restricted) throw badInput('customerId', 'processing of this customer is already restricted');
    if (!restricted && !before?.restricted) throw badInput('customerId', 'processing of this customer is not restricted');

    const values = { chainId: customer.chainId, customerId: customer.id, restricted, reason, recordedById: principal.userId };
    const occurredAt = new Date();
    await tx.getRepository(ProcessingRestrictionEvent).insert({ ...values, occurredAt });
    await repository.upsert({ ...values, changedAt: occurredAt }, ['customerId']);
    const after = await repository.findOneByOrFail({ customerId: customer.id });
    await recordChanges(tx, ChangeLogKind.PERSONAL, principal, ctx.request, [{
      action: before ? ChangeAction.UPDATE : ChangeAction.CREATE, subject: 'Consent', entity: ProcessingRestriction,
      recordId: customer.id, customerId: customer.id, storeId: customer.homeStoreId, before, after,
    }]);
    ctx.loaders.processingRestriction.clear(customer);
    ctx.loaders.processingRestrictionHistory.clearAll();
    return Object.assign(new ProcessingRestrictionView(), customerScope(customer), { restricted, since: after.changedAt, reason });
  });
}

/** Restricts processing of the customer's data (Art. 18): off every marketing list until lifted. */
export function restrictProcessing(ctx: AuthenticatedContext, customerId: string, reason: string): Promise<ProcessingRestrictionView> {
  return changeRestriction(ctx, customerId, reason, true);
}

/** Lifts the customer's restriction of processing. */
export function liftRestriction(ctx: AuthenticatedContext, customerId: string, reason: string): Promise<ProcessingRestrictionView> {
  return changeRestriction(ctx, customerId, reason, false);
}
