/**
 * The seam other data-subject-rights operations use to act on a request of the register (rectification through
 * `updateCustomer`, the customer export, `eraseCustomer`): `lockRequestForAct` finds and locks the request the act
 * answers, `recordRequestEvent` appends the act to its history in the same transaction.
 */
import { GraphQLError } from 'graphql';
import { EntityManager } from 'typeorm';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { badInput } from '../../errors/errors';
import { DataRequestEvent } from '../../schema/core/data-request-event.entity';
import { DataRequest } from '../../schema/core/data-request.entity';
import { DataRequestEventKind, DataRequestStatus, DataRequestType } from '../../schema/enums';
import { findVisible } from '../visible-rows';

/** Statuses in which a request is closed: nothing more can be done under it. */
export const CLOSED_STATUSES: readonly DataRequestStatus[] = [DataRequestStatus.COMPLETED, DataRequestStatus.REFUSED, DataRequestStatus.WITHDRAWN];

function requestNotFound(argPath: string): GraphQLError {
  return new GraphQLError('DataRequest not found.', { extensions: { code: 'NOT_FOUND', field: argPath } });
}

/**
 * Locks (FOR UPDATE) the caller's chain's request `id` for `customerId`; NOT_FOUND (path `argPath`) when it does not
 * exist, is outside the caller's scope (read DataRequest) or names another customer; BAD_USER_INPUT (path `argPath`)
 * when its status is COMPLETED, REFUSED or WITHDRAWN or its type is not in `types`.
 */
export async function lockRequestForAct(
  ctx: AuthenticatedContext,
  manager: EntityManager,
  id: string,
  customerId: string,
  types: readonly DataRequestType[],
  argPath: string,
): Promise<{ id: string; type: DataRequestType }> {
  let request: DataRequest;
  try {
    request = await findVisible(manager, { entity: DataRequest, subjectName: 'DataRequest', lock: 'update' }, ctx.principal, ctx.ability, id);
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions?.code === 'NOT_FOUND') throw requestNotFound(argPath);
    throw error;
  }
  if (request.customerId !== customerId) throw requestNotFound(argPath);
  if (CLOSED_STATUSES.includes(request.status)) throw badInput(argPath, `the request is ${request.status.toLowerCase()}: nothing more can be done under it`);
  if (!types.includes(request.type)) throw badInput(argPath, `is a ${request.type} request; this needs ${types.join(' or ')}`);
  return { id: request.id, type: request.type };
}

/** What `recordRequestEvent` appends (the clock columns are for the register's own operations). */
export interface RequestEventInput {
  kind: DataRequestEventKind;
  reason?: string | null;
  changeEntryId?: string | null;
  details?: Record<string, unknown> | null;
  outcome?: string | null;
  months?: number | null;
  dueAtBefore?: Date | null;
  dueAtAfter?: Date | null;
}

/**
 * Appends an event of `kind` (LINKED_CHANGE, LINKED_EXPORT, COMPLETED …) to the request in `manager`'s transaction,
 * naming the caller; COMPLETED also sets status COMPLETED, completed_at and outcome (text), and stops a paused clock.
 * The caller has found the request with `lockRequestForAct` (or the register's own look-up) first.
 */
export async function recordRequestEvent(
  ctx: AuthenticatedContext,
  manager: EntityManager,
  id: string,
  event: RequestEventInput,
): Promise<void> {
  const occurredAt = new Date();
  if (event.kind === DataRequestEventKind.COMPLETED) {
    await manager.getRepository(DataRequest).update(
      { id, chainId: ctx.principal.chainId },
      { status: DataRequestStatus.COMPLETED, completedAt: occurredAt, outcome: event.outcome ?? event.reason ?? null, pausedAt: null },
    );
  }
  await manager.getRepository(DataRequestEvent).insert({
    chainId: ctx.principal.chainId,
    dataRequestId: id,
    kind: event.kind,
    occurredAt,
    userId: ctx.principal.userId,
    reason: event.reason ?? (event.kind === DataRequestEventKind.COMPLETED ? event.outcome ?? null : null),
    months: event.months ?? null,
    dueAtBefore: event.dueAtBefore ?? null,
    dueAtAfter: event.dueAtAfter ?? null,
    changeEntryId: event.changeEntryId ?? null,
    details: event.details ?? null,
  });
}
