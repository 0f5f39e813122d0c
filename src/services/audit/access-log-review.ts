/**
 * The review side of the clinical access log, for those allowed to read it (the DPO in the demo):
 * entries filtered by customer, user, store and time range, newest first, paginated; and the
 * "who accessed my data" report of one customer for a subject access request. Reading the log is
 * itself logged (subject AccessLogEntry, one entry per customer whose history was read).
 */
import { badInput } from '../../errors/errors';
import { readGrants } from '../../policies/readable-fields';
import { accessibleSql, SqlParams } from '../../policies/sql-condition';
import { AccessLogConnection, AccessLogEntryView } from '../../schema/audit/access-log.types';
import { AccessOutcome } from '../../schema/enums';
import { pageOf } from '../page-cursor';
import { findVisibleCustomer } from '../visible-rows';
import { isUuid } from '../../schema/uuid';
import { assertListable, givenFilters } from '../../policies/filter-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { afterPosition, LOG_PAGE, pageSize, serialId } from '../page-args';

export interface AccessLogFilter {
  customerId?: string | null;
  userId?: string | null;
  storeId?: string | null;
  emergencyAccessId?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}


interface EntryRow {
  id: string;
  occurredAt: Date;
  userId: string;
  customerId: string;
  storeId: string | null;
  subject: string;
  recordIds: string[];
  fields: string[];
  outcome: AccessOutcome;
  requestId: string;
  clientAddress: string | null;
  operationName: string | null;
  userAgent: string | null;
  purpose: string | null;
  assignmentIds: string[];
  emergencyAccessId: string | null;
}

function checkFilter(filter: AccessLogFilter): void {
  for (const key of ['customerId', 'userId', 'storeId', 'emergencyAccessId'] as const) {
    const value = filter[key];
    if (value && !isUuid(value)) throw badInput(key, 'is not an id');
  }
  if (filter.from && filter.to && filter.from > filter.to) throw badInput('to', 'must not be before from');
}

/** The filter arguments of clinicalAccessLog and the AccessLogEntry field each filters by (src/policies/filter-guard.ts). */
const FILTER_FIELDS = { customerId: 'customerId', userId: 'userId', storeId: 'storeId', emergencyAccessId: 'emergencyAccessId', from: 'occurredAt', to: 'occurredAt' };

export async function reviewAccessLog(ctx: AuthenticatedContext, filter: AccessLogFilter, list = 'clinicalAccessLog'): Promise<AccessLogConnection> {
  const { principal, ability } = ctx;
  checkFilter(filter);
  assertListable(ability, { list, subject: 'AccessLogEntry', filters: givenFilters({ ...filter }, FILTER_FIELDS), orderedBy: 'id' });
  const first = pageSize(filter.first, LOG_PAGE);
  const afterId = afterPosition(filter.after, serialId);

  const params = new SqlParams();
  const visible = accessibleSql(ability, 'read', 'AccessLogEntry', { chainId: 'e.chain_id', storeId: 'e.store_id', id: 'e.id' }, params);
  const values: unknown[] = [principal.chainId];
  const where = [`e.chain_id = $1`, params.positional(visible, values)];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (filter.customerId) add('e.customer_id = ?', filter.customerId);
  if (filter.userId) add('e.user_id = ?', filter.userId);
  if (filter.storeId) add('e.store_id = ?', filter.storeId);
  if (filter.emergencyAccessId) add('e.emergency_access_id = ?', filter.emergencyAccessId);
  if (filter.from) add('e.occurred_at >= ?', filter.from);
  if (filter.to) add('e.occurred_at <= ?', filter.to);
  const whereSql = where.join(' AND ');

  const [{ total }]: { total: number }[] = await ctx.clinical.query(`SELECT count(*)::int AS total FROM clinical_access_log_entry e WHERE ${whereSql}`, values);
  const pageValues = [...values];
  let pageWhere = whereSql;
  if (afterId) {
    pageValues.push(afterId);
    pageWhere += ` AND e.id < $${pageValues.length}`;
  }
  pageValues.push(first + 1);
  const rows: EntryRow[] = await ctx.clinical.query(
    `SELECT e.id::text AS id, e.occurred_at AS "occurredAt", e.user_id AS "userId", e.customer_id AS "customerId",
            e.store_id AS "storeId", e.subject, e.record_ids AS "recordIds", e.fields, e.outcome,
            e.request_id AS "requestId", e.client_address AS "clientAddress", e.operation_name AS "operationName",
            e.user_agent AS "userAgent", e.purpose, e.assignment_ids AS "assignmentIds", e.emergency_access_id AS "emergencyAccessId"
       FROM clinical_access_log_entry e WHERE ${pageWhere} ORDER BY e.id DESC LIMIT $${pageValues.length}`,
    pageValues,
  );
  const entries = rows.map((row) => Object.assign(new AccessLogEntryView(), row, { chainId: principal.chainId }));
  const page = pageOf(entries, first, afterId !== null);
  recordLogRead(ctx, page.edges.map((edge) => edge.node));
  return { totalCount: total, ...page };
}

/** Reading the log is logged: one entry per customer whose access history was returned. */
function recordLogRead(ctx: AuthenticatedContext, entries: AccessLogEntryView[]): void {
  const { principal, ability } = ctx;
  for (const entry of entries) {
    ctx.accessLog.record(principal, {
      customerId: entry.customerId, storeId: entry.storeId, subject: 'AccessLogEntry', recordId: null, field: 'clinicalAccessLog',
      granted: true, grants: readGrants(ability, 'AccessLogEntry', entry, null),
    });
  }
}

/** Every access to one customer's health records, newest first, for a subject access request. */
export async function customerAccessReport(ctx: AuthenticatedContext, customerId: string): Promise<AccessLogEntryView[]> {
  const { principal, ability } = ctx;
  const customer = await findVisibleCustomer(ctx.core.manager, principal, ability, customerId);
  const entries: AccessLogEntryView[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await reviewAccessLog(ctx, { customerId: customer.id, first: LOG_PAGE.maxSize, after }, 'customerAccessReport');
    entries.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage || entries.length >= 10_000) break;
    after = page.pageInfo.endCursor;
  }
  return entries;
}
