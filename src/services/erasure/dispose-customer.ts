/**
 * Disposal after the retention period (`disposeCustomer`, called by the retention run, `npm run retention --
 * --apply`): everything about one customer, in both databases. Clinical first, in one clinical transaction: every
 * clinical record and its findings deleted, each logged as a DELETE without values, the clinical change log's
 * values for the customer redacted; the clinical access log is kept (identifiers only). Then the core, in one core
 * transaction: the same as an erasure (src/services/erasure/erasure-steps.ts). A failure between the two leaves a
 * customer without clinical records who is not yet erased: running it again erases them. A tombstone is left alone
 * (idempotent). The caller decides that the customer is due and that no legal hold is in force.
 */
import { DataSource } from 'typeorm';
import { RequestInfo } from '../../context/request-info';
import { ChangeAuthor } from '../../hash-chain/change-log';
import { recordDisposals, redactChangeLog } from '../../hash-chain/change-log-redaction';
import { Customer } from '../../schema/core/customer.entity';
import { ChangeLogKind, CustomerStatus } from '../../schema/enums';
import { clinicalHolding, deleteClinicalRecords } from './clinical-records';
import { eraseInCore, StepContext } from './erasure-steps';
import { erasedRetained, Retained } from './retained';

/** Who an erasure or disposal is recorded against (the change-log author, the request and operation names). */
export interface ErasureActor { chainId: string; userId: string | null; sessionId: string | null; requestId: string; operationName: string }

function stepOf(actor: ErasureActor, reason: string): StepContext {
  const author: ChangeAuthor = { chainId: actor.chainId, userId: actor.userId, sessionId: actor.sessionId };
  const request: RequestInfo = {
    requestId: actor.requestId, clientAddress: null, userAgent: null, operationName: actor.operationName, purpose: null, purposeProblem: null, token: null,
  };
  return { author, request, reason };
}

/** Whether the customer objected to direct marketing (their suppression outlives them). */
export async function hasObjected(core: { query: DataSource['query'] }, chainId: string, customerId: string): Promise<boolean> {
  const rows = (await core.query(`SELECT 1 FROM marketing_objection WHERE chain_id = $1 AND customer_id = $2 LIMIT 1`, [chainId, customerId])) as unknown[];
  return rows.length > 0;
}

/**
 * Everything about one customer past retention, in both databases: clinical records deleted, clinical change-log
 * values redacted, then the same as an erasure (personal fields removed, tombstone, consent history pseudonymised,
 * suppressions kept). Idempotent (a tombstone is left alone). Runs its own transactions on both databases.
 */
export async function disposeCustomer(
  dataSources: { core: DataSource; clinical: DataSource },
  actor: ErasureActor,
  customerId: string,
  reason: string,
): Promise<{ retained: { category: string; reason: string }[] }> {
  const step = stepOf(actor, reason);
  const found = await dataSources.core.getRepository(Customer).findOneBy({ id: customerId, chainId: actor.chainId });
  if (!found) throw new Error(`disposeCustomer: no customer ${customerId} in chain ${actor.chainId}`);

  await dataSources.clinical.transaction(async (tx) => {
    const deleted = await deleteClinicalRecords(tx, actor.chainId, customerId);
    const logged = (await tx.query(`SELECT 1 FROM clinical_change_log_entry WHERE chain_id = $1 AND customer_id = $2 AND changes <> change_log_redacted(changes, NULL) LIMIT 1`, [actor.chainId, customerId])) as unknown[];
    if (logged.length) {
      await redactChangeLog(tx, ChangeLogKind.CLINICAL, {
        chainId: actor.chainId, customerId, fields: null, userId: actor.userId, requestId: actor.requestId, reason,
      });
    }
    await recordDisposals(tx, step.author, step.request, customerId,
      deleted.map((d) => ({ subject: d.subject, recordType: d.recordType, recordId: d.id, storeId: d.storeId })));
  });

  await dataSources.core.transaction(async (tx) => {
    const customer = await tx.getRepository(Customer).findOne({ where: { id: customerId, chainId: actor.chainId }, lock: { mode: 'pessimistic_write' } });
    if (!customer || customer.status === CustomerStatus.ERASED) return;
    // A clinical record written since the clinical step (a visit after all): nothing is erased; the run reports it.
    const holding = await clinicalHolding(dataSources.clinical.manager, actor.chainId, customerId);
    if (holding.records > 0) throw new Error(`disposeCustomer: customer ${customerId} has new clinical records; not erased`);
    await eraseInCore(tx, step, customer);
  });
  const retained: Retained[] = erasedRetained(await hasObjected(dataSources.core, actor.chainId, customerId));
  return { retained };
}
