/**
 * The request register: `createDataRequest`, the `dataRequests` list and `dataRequest(id)`. Requests are scoped by
 * the customer's home store at receipt (`storeId`), filtered in SQL by the caller's `read DataRequest` rules.
 * The list is ordered overdue first, then due within seven days, then the rest, each by (effective) due date,
 * then id: a PAUSED request's due date recedes while the clock is stopped (legal-clock.ts `effectiveDueAt`).
 */
import { EntityManager } from 'typeorm';
import { unsafeTextProblem } from '../../audit/audit-text';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { badInput } from '../../errors/errors';
import { assertListable, givenFilters } from '../../policies/filter-guard';
import { assertMay } from '../../policies/input-guard';
import { accessibleSql, ColumnMap, SqlParams } from '../../policies/sql-condition';
import { DataRequest } from '../../schema/core/data-request.entity';
import { DataRequestConnection } from '../../schema/core/data-request.types';
import { DataRequestEventKind, DataRequestStatus } from '../../schema/enums';
import { CreateDataRequestInput } from '../../schema/inputs/data-request.inputs';
import { isUuid } from '../../schema/uuid';
import { afterPosition, pageSize, RECORD_PAGE } from '../page-args';
import { encodeCursor } from '../page-cursor';
import { findVisible, findVisibleCustomer } from '../visible-rows';
import { DUE_SOON_DAYS, originalDueAt } from './legal-clock';
import { recordRequestEvent } from './request-link';

export const NOTES_MAX = 2000;
export const DATA_REQUEST_COLUMNS: ColumnMap = { chainId: 'r.chain_id', storeId: 'r.store_id', id: 'r.id', customerId: 'r.customer_id' };

/**
 * Optional text: trimmed, blank as null, at most `max` characters (BAD_USER_INPUT naming `path`). It enters the
 * request's history for a reviewer, so it must show what it says (src/audit/audit-text.ts): no text-direction
 * overrides or isolates, invisible marks or separators; line breaks and tabs are text here.
 */
export function optionalText(path: string, value: string | null | undefined, max: number): string | null {
  const trimmed = (value ?? '').trim();
  if (!trimmed) return null;
  if (trimmed.length > max) throw badInput(path, `must be at most ${max} characters`);
  const unsafe = unsafeTextProblem(trimmed.replace(/[\t\n\r]/g, ' '));
  if (unsafe) throw badInput(path, unsafe);
  return trimmed;
}

/** Required text: trimmed, non-blank, at most `max` characters. */
export function requiredText(path: string, value: string | null | undefined, max: number): string {
  const trimmed = optionalText(path, value, max);
  if (!trimmed) throw badInput(path, 'is required');
  return trimmed;
}

/** One request, as the caller may see it (NOT_FOUND otherwise); `lock` for a write. */
export function findDataRequest(ctx: AuthenticatedContext, manager: EntityManager, id: string, lock?: 'update'): Promise<DataRequest> {
  return findVisible(manager, { entity: DataRequest, subjectName: 'DataRequest', alias: 'r', columns: DATA_REQUEST_COLUMNS, lock }, ctx.principal, ctx.ability, id);
}

export function getDataRequest(ctx: AuthenticatedContext, id: string): Promise<DataRequest> {
  return findDataRequest(ctx, ctx.core.manager, id);
}

/** Records a request as received: the clock starts from `receivedAt` (not in the future); a RECEIVED event names who recorded it. */
export async function createDataRequest(ctx: AuthenticatedContext, input: CreateDataRequestInput): Promise<DataRequest> {
  const { principal, ability } = ctx;
  const now = new Date();
  const receivedAt = input.receivedAt;
  if (!(receivedAt instanceof Date) || Number.isNaN(receivedAt.getTime())) throw badInput('input.receivedAt', 'must be a date and time');
  if (receivedAt.getTime() > now.getTime()) throw badInput('input.receivedAt', 'must not be in the future');
  if (receivedAt.getUTCFullYear() < 2000) throw badInput('input.receivedAt', 'must be after 2000');
  const notes = optionalText('input.notes', input.notes, NOTES_MAX);
  if (!isUuid(input.customerId)) throw badInput('input.customerId', 'is not a customer id');
  return ctx.core.transaction(async (tx) => {
    const customer = await findVisibleCustomer(tx, principal, ability, input.customerId, 'share');
    assertMay(ability, 'create', 'DataRequest', { chainId: principal.chainId, storeId: customer.homeStoreId }, ['customerId', 'type', 'receivedAt', 'channel', ...(notes ? ['notes'] : [])]);
    const repository = tx.getRepository(DataRequest);
    const dueAt = originalDueAt(receivedAt);
    const created = repository.create({
      chainId: principal.chainId, customerId: customer.id, storeId: customer.homeStoreId, type: input.type, channel: input.channel,
      status: DataRequestStatus.OPEN, receivedAt, dueAt, extensionMonths: 0, pausedAt: null, notes, createdById: principal.userId,
    });
    await repository.insert(created);
    await recordRequestEvent(ctx, tx, created.id, {
      kind: DataRequestEventKind.RECEIVED, dueAtAfter: dueAt, details: { type: input.type, channel: input.channel, receivedAt: receivedAt.toISOString() },
    });
    return repository.findOneByOrFail({ id: created.id });
  });
}

export interface DataRequestListArgs {
  status?: DataRequestStatus | null;
  overdue?: boolean | null;
  dueBefore?: Date | null;
  first?: number | null;
  after?: string | null;
}

/** Where a page ends: the last row's tier (0 overdue, 1 due soon, 2 the rest), effective due (µs, UTC) and id. */
interface Position { tier: number; due: string; id: string }
const POSITION = /^([012])\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f-]{36})$/;
function positionOf(decoded: string): Position | null {
  const match = POSITION.exec(decoded);
  return match && isUuid(match[3]) ? { tier: Number(match[1]), due: match[2], id: match[3] } : null;
}

/** The due date as it stands now ($1 = now): a paused clock's due date moves with the time paused so far. */
const EFFECTIVE_DUE = `(CASE WHEN r.status = 'PAUSED' AND r.paused_at IS NOT NULL THEN r.due_at + ($1::timestamptz - r.paused_at) ELSE r.due_at END)`;
const RUNNING = `r.status IN ('OPEN', 'PAUSED')`;
const TIER = `(CASE WHEN ${RUNNING} AND ${EFFECTIVE_DUE} < $1::timestamptz THEN 0
  WHEN ${RUNNING} AND ${EFFECTIVE_DUE} <= $1::timestamptz + interval '${DUE_SOON_DAYS} days' THEN 1 ELSE 2 END)`;

/** The filter arguments and the DataRequest field each filters by (src/policies/filter-guard.ts). */
const FILTER_FIELDS = { status: 'status', overdue: 'dueAt', dueBefore: 'dueAt' };

export async function listDataRequests(ctx: AuthenticatedContext, args: DataRequestListArgs): Promise<DataRequestConnection> {
  const { principal, ability } = ctx;
  if (args.dueBefore !== undefined && args.dueBefore !== null && Number.isNaN(args.dueBefore.getTime())) throw badInput('dueBefore', 'must be a date and time');
  assertListable(ability, { list: 'dataRequests', subject: 'DataRequest', filters: givenFilters({ ...args }, FILTER_FIELDS), orderedBy: 'dueAt' });
  const first = pageSize(args.first, RECORD_PAGE);
  const after = afterPosition(args.after, positionOf);
  const now = new Date();

  const params = new SqlParams();
  const values: unknown[] = [now.toISOString(), principal.chainId];
  // `$1` (now) typed in every statement, also those that do not compare with it (the count without filters).
  const where = ['r.chain_id = $2 AND $1::timestamptz IS NOT NULL', params.positional(accessibleSql(ability, 'read', 'DataRequest', DATA_REQUEST_COLUMNS, params), values)];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (args.status) add('r.status = ?::data_request_status', args.status);
  if (args.overdue === true) where.push(`${TIER} = 0`);
  if (args.overdue === false) where.push(`${TIER} <> 0`);
  if (args.dueBefore) add(`${EFFECTIVE_DUE} < ?::timestamptz`, args.dueBefore.toISOString());

  const [{ total }]: { total: number }[] = await ctx.core.query(`SELECT count(*)::int AS total FROM data_request r WHERE ${where.join(' AND ')}`, values);
  if (after) {
    values.push(after.tier, after.due, after.id);
    const n = values.length;
    where.push(`(${TIER}, ${EFFECTIVE_DUE}, r.id) > ($${n - 2}::int, $${n - 1}::timestamptz, $${n}::uuid)`);
  }
  values.push(first + 1);
  const rows: { id: string; tier: number; due: string }[] = await ctx.core.query(
    `SELECT r.id, ${TIER} AS tier, to_char(${EFFECTIVE_DUE} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS due
       FROM data_request r WHERE ${where.join(' AND ')}
      ORDER BY 2, ${EFFECTIVE_DUE}, r.id LIMIT $${values.length}`,
    values,
  );
  const page = rows.slice(0, first);
  const byId = new Map((page.length ? await ctx.core.getRepository(DataRequest).createQueryBuilder('r').whereInIds(page.map((row) => row.id)).getMany() : [])
    .map((request) => [request.id, request]));
  const edges = page.map((row) => ({ cursor: encodeCursor(`${row.tier}|${row.due}|${row.id}`), node: byId.get(row.id)! }));
  return {
    totalCount: total,
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
