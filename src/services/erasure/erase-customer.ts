/**
 * `eraseCustomer(customerId, dataRequestId)`: answers an ERASURE request of the register. Needs `erase Customer`
 * at the customer's home store and an open ERASURE request of that customer (lockRequestForAct). A customer with
 * any clinical record (looked up in the clinical database) is INACTIVATED, every other one ERASED (a tombstone),
 * by the steps in erasure-steps.ts; the request is completed with the outcome, in the same transaction. A
 * tombstone cannot be erased again (BAD_USER_INPUT on customerId).
 *
 * Both databases, in the request's unit of work (src/db/request-transaction.ts): the clinical part (redacting a
 * clinical change log that still names an ERASED customer; nothing is deleted there) commits first, then the core.
 * A core commit that fails after it leaves only redacted values of a customer without clinical records, and the
 * request still open: erasing again completes it.
 */
import { AuthenticatedContext } from '../../context/authenticated-context';
import { badInput } from '../../errors/errors';
import { redactChangeLog } from '../../hash-chain/change-log-redaction';
import { assertMay } from '../../policies/input-guard';
import { Customer } from '../../schema/core/customer.entity';
import { DataRequest } from '../../schema/core/data-request.entity';
import { ErasureResult, RetainedData } from '../../schema/core/erasure.types';
import { ChangeLogKind, ConsentSource, CustomerStatus, DataRequestChannel, DataRequestEventKind, DataRequestType, ErasureOutcome } from '../../schema/enums';
import { lockRequestForAct, recordRequestEvent } from '../data-requests/request-link';
import { CUSTOMER_COLUMNS, findVisible } from '../visible-rows';
import { clinicalHolding } from './clinical-records';
import { hasObjected } from './dispose-customer';
import { eraseInCore, inactivateInCore, ObjectionSource, StepContext } from './erasure-steps';
import { erasedRetained, inactivatedRetained, Retained } from './retained';
import { DISPOSAL_LOCK_SQL, disposalLockKey } from '../retention/disposal-lock';
import { retentionPolicyFor } from '../retention/retention-policy';
import { addYears, retentionDecision } from '../retention/retention-rule';

/** The source the inactivation's objection and withdrawals are recorded with, from the channel the request came by. */
const SOURCE_OF_CHANNEL: Record<DataRequestChannel, ObjectionSource> = {
  [DataRequestChannel.IN_STORE]: ConsentSource.IN_STORE,
  [DataRequestChannel.EMAIL]: ConsentSource.PAPER_FORM,
  [DataRequestChannel.POST]: ConsentSource.PAPER_FORM,
  [DataRequestChannel.PHONE]: ConsentSource.PHONE,
  [DataRequestChannel.WEBSITE]: ConsentSource.WEBSITE,
};

export async function eraseCustomer(ctx: AuthenticatedContext, customerId: string, dataRequestId: string): Promise<ErasureResult> {
  const { principal, ability } = ctx;
  return ctx.core.transaction(async (tx) => {
    const customer = await findVisible(tx, { entity: Customer, subjectName: 'Customer', alias: 'c', columns: CUSTOMER_COLUMNS, lock: 'update' }, principal, ability, customerId);
    assertMay(ability, 'erase', 'Customer', { chainId: customer.chainId, storeId: customer.homeStoreId, id: customer.id });
    if (customer.status === CustomerStatus.ERASED) throw badInput('customerId', 'is already erased: only the tombstone is left');
    const request = await lockRequestForAct(ctx, tx, dataRequestId, customer.id, [DataRequestType.ERASURE], 'dataRequestId');
    // A legal hold in force keeps everything (Art. 17(3)(e): needed for legal claims): the erasure is refused, changing
    // nothing, until the hold is released or the request is refused. The hold's lock makes a concurrent placeLegalHold wait.
    await tx.query(`SELECT pg_advisory_xact_lock(${DISPOSAL_LOCK_SQL})`, [disposalLockKey(customer.id)]);
    const held = (await tx.query('SELECT 1 FROM legal_hold WHERE customer_id = $1 AND released_at IS NULL LIMIT 1', [customer.id])) as unknown[];
    if (held.length) throw badInput('customerId', 'is under a legal hold: release the hold first, or refuse the request (Art. 17(3)(e))');
    const { channel } = await tx.getRepository(DataRequest).findOneByOrFail({ id: request.id });
    const step: StepContext = { author: principal, request: ctx.request, reason: `erasure request ${request.id}` };

    const holding = await clinicalHolding(ctx.clinical.manager, customer.chainId, customer.id);
    let outcome: ErasureOutcome;
    let retained: Retained[];
    if (holding.records > 0) {
      outcome = ErasureOutcome.INACTIVATED;
      // Kept until the chain's retention rule says (src/services/retention/retention-rule.ts); without a date of birth, as an adult.
      const policy = await retentionPolicyFor(tx, customer.chainId);
      const retainUntil = customer.dateOfBirth
        ? retentionDecision(policy, customer.dateOfBirth, holding.lastContact!).keptUntil
        : addYears(holding.lastContact!, policy.adultYears);
      await inactivateInCore(tx, step, customer, { source: SOURCE_OF_CHANNEL[channel], recordedById: principal.userId, suppressionKey: ctx.config.suppressionKey });
      retained = inactivatedRetained(holding, retainUntil);
    } else {
      outcome = ErasureOutcome.ERASED;
      const logged = (await ctx.clinical.query(
        `SELECT 1 FROM clinical_change_log_entry WHERE chain_id = $1 AND customer_id = $2 AND changes <> change_log_redacted(changes, NULL) LIMIT 1`, [customer.chainId, customer.id])) as unknown[];
      if (logged.length) {
        await redactChangeLog(ctx.clinical.manager, ChangeLogKind.CLINICAL, {
          chainId: customer.chainId, customerId: customer.id, fields: null, userId: principal.userId, requestId: ctx.request.requestId, reason: step.reason,
        });
      }
      await eraseInCore(tx, step, customer);
      retained = erasedRetained(await hasObjected(tx, customer.chainId, customer.id));
    }
    await recordRequestEvent(ctx, tx, request.id, {
      kind: DataRequestEventKind.COMPLETED,
      outcome: outcome === ErasureOutcome.ERASED
        ? 'Erased: personal data removed; a tombstone is kept for the audit trail.'
        : 'Inactivated: the customer has health records, which are kept for their retention period; contact details erased, marketing stopped.',
      details: { outcome, retained: retained.map((r) => r.category) },
    });
    const scope = { chainId: customer.chainId, storeId: customer.homeStoreId };
    return Object.assign(new ErasureResult(), {
      ...scope, outcome, retained: retained.map((r) => Object.assign(new RetainedData(), { ...scope, ...r })),
    });
  });
}
