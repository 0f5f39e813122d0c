/**
 * Rectification linked to a request (Art. 16): a correction made through the normal mutations (`updateCustomer`
 * with `dataRequestId`) names an open RECTIFICATION request of the same customer; each personal change-log entry
 * the correction wrote becomes a LINKED_CHANGE event of the request. `DataRequest.linkedChanges` reads those
 * entries back as DataChangeEntry rows, filtered in SQL by the caller's `read DataChangeEntry` rules, so each
 * entry and its before/after values are governed exactly as in `dataChangeLog`.
 */
import { EntityManager } from 'typeorm';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { assertMay } from '../../policies/input-guard';
import { accessibleSql, SqlParams } from '../../policies/sql-condition';
import { DataChangeEntryView, FieldChangeView } from '../../schema/audit/data-change.types';
import { FieldValues } from '../../schema/audit/change-log-entry.base';
import { DataRequest } from '../../schema/core/data-request.entity';
import { ChangeAction, ChangeLogKind, DataRequestEventKind, DataRequestType } from '../../schema/enums';
import { lockRequestForAct, recordRequestEvent } from './request-link';

/**
 * The open RECTIFICATION request `id` of `customerId`, locked (NOT_FOUND / BAD_USER_INPUT naming `argPath`, see
 * lockRequestForAct); linking a change to it is an update of the request, so `update DataRequest.linkedChanges`
 * is needed at the request's store too.
 */
export async function lockRectificationRequest(ctx: AuthenticatedContext, tx: EntityManager, id: string, customerId: string, argPath: string): Promise<string> {
  const locked = await lockRequestForAct(ctx, tx, id, customerId, [DataRequestType.RECTIFICATION], argPath);
  const request = await tx.getRepository(DataRequest).findOneByOrFail({ id: locked.id });
  assertMay(ctx.ability, 'update', 'DataRequest', { chainId: request.chainId, storeId: request.storeId, id: request.id }, ['linkedChanges']);
  return request.id;
}

/** One LINKED_CHANGE event per personal change-log entry the correction wrote. */
export async function linkChangesToRequest(ctx: AuthenticatedContext, tx: EntityManager, requestId: string, entryIds: readonly string[]): Promise<void> {
  for (const entryId of entryIds) {
    await recordRequestEvent(ctx, tx, requestId, {
      kind: DataRequestEventKind.LINKED_CHANGE, changeEntryId: entryId, details: { log: ChangeLogKind.PERSONAL, operationName: ctx.request.operationName },
    });
  }
}

interface LinkedRow {
  id: string;
  occurredAt: Date;
  userId: string | null;
  requestId: string;
  clientAddress: string | null;
  userAgent: string | null;
  operationName: string | null;
  action: ChangeAction;
  subject: string;
  recordType: string;
  recordId: string;
  customerId: string;
  storeId: string | null;
  changes: Record<string, FieldValues>;
}

/** The change-log entries linked to `request`, oldest first, as `dataChangeLog` shows them (only those the caller may read). */
export async function linkedChangesOf(ctx: AuthenticatedContext, request: DataRequest): Promise<DataChangeEntryView[]> {
  const { principal, ability } = ctx;
  const params = new SqlParams();
  const values: unknown[] = [principal.chainId, request.id];
  const visible = params.positional(accessibleSql(ability, 'read', 'DataChangeEntry', { chainId: 'e.chain_id', storeId: 'e.store_id', id: 'e.id' }, params), values);
  const rows: LinkedRow[] = await ctx.core.query(
    `SELECT e.id::text AS id, e.occurred_at AS "occurredAt", e.user_id AS "userId", e.request_id AS "requestId",
            e.client_address AS "clientAddress", e.user_agent AS "userAgent", e.operation_name AS "operationName", e.action,
            e.subject, e.record_type AS "recordType", e.record_id AS "recordId", e.customer_id AS "customerId",
            e.store_id AS "storeId", e.changes
       FROM data_request_event ev
       JOIN personal_change_log_entry e ON e.id = ev.change_entry_id AND e.chain_id = ev.chain_id
      WHERE ev.chain_id = $1 AND ev.data_request_id = $2 AND ev.kind = 'LINKED_CHANGE' AND ${visible}
      ORDER BY e.id`,
    values,
  );
  return rows.map(({ changes, ...row }) => {
    const fieldChanges = Object.keys(changes).sort().map((field) =>
      Object.assign(new FieldChangeView(), { field, before: changes[field].before, after: changes[field].after, chainId: principal.chainId, storeId: row.storeId }));
    return Object.assign(new DataChangeEntryView(), row, { id: `personal:${row.id}`, log: ChangeLogKind.PERSONAL, chainId: principal.chainId, fieldChanges });
  });
}
