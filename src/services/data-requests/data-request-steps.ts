/**
 * The steps of a data-subject request after receipt, each a write of the request's current state and an
 * append-only DataRequestEvent naming the caller, in one transaction under a lock on the request:
 * identity verification, handler assignment, the clock (extend, pause, resume: legal-clock.ts) and closure
 * (complete, refuse, withdraw). Each needs `update` on DataRequest at the request's store, for the fields it
 * changes. Every refusal is BAD_USER_INPUT naming the argument (`id` when the request's state forbids the step).
 */
import { EntityManager } from 'typeorm';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { badInput } from '../../errors/errors';
import { assertMay } from '../../policies/input-guard';
import { DataRequest } from '../../schema/core/data-request.entity';
import { User } from '../../schema/core/user.entity';
import { DataRequestEventKind, DataRequestPauseReason, DataRequestStatus, DataRequestType, UserKind, UserStatus } from '../../schema/enums';
import { isUuid } from '../../schema/uuid';
import { findDataRequest, optionalText, requiredText } from './data-request-register';
import { extendedDueAt, extensionRefusal } from './legal-clock';
import { CLOSED_STATUSES, recordRequestEvent } from './request-link';

export const REASON_MAX = 2000;
const METHOD_MAX = 200;
/** What restarting a stopped clock changes. */
const RESUME_FIELDS = ['status', 'pausedAt', 'dueAt'];

type Step = (tx: EntityManager, request: DataRequest, now: Date) => Promise<void>;

/** Runs one step on request `id`: found (NOT_FOUND outside the caller's scope) and locked, `update` checked for `fields`. */
async function step(ctx: AuthenticatedContext, id: string, fields: string[], run: Step): Promise<DataRequest> {
  return ctx.core.transaction(async (tx) => {
    const request = await findDataRequest(ctx, tx, id, 'update');
    assertMay(ctx.ability, 'update', 'DataRequest', { chainId: request.chainId, storeId: request.storeId, id: request.id }, fields);
    await run(tx, request, new Date());
    return tx.getRepository(DataRequest).findOneByOrFail({ id: request.id });
  });
}

function assertNotClosed(request: DataRequest): void {
  if (CLOSED_STATUSES.includes(request.status)) throw badInput('id', `the request is ${request.status.toLowerCase()}: it can no longer change`);
}

function update(tx: EntityManager, request: DataRequest, changes: Partial<DataRequest>): Promise<unknown> {
  return tx.getRepository(DataRequest).update({ id: request.id, chainId: request.chainId }, changes);
}

/**
 * Records that the requester's identity was verified, and how. When the clock was stopped to await identity,
 * verifying it resumes the clock (a RESUMED event follows), as the reason for the pause is gone.
 */
export function verifyDataRequestIdentity(ctx: AuthenticatedContext, id: string, methodText: string): Promise<DataRequest> {
  const method = requiredText('method', methodText, METHOD_MAX);
  return step(ctx, id, ['identityVerifiedAt', 'identityVerifiedById', 'identityMethod'], async (tx, request, now) => {
    assertNotClosed(request);
    if (request.identityVerifiedAt) throw badInput('id', 'the requester’s identity is already verified');
    await update(tx, request, { identityVerifiedAt: now, identityVerifiedById: ctx.principal.userId, identityMethod: method });
    await recordRequestEvent(ctx, tx, request.id, { kind: DataRequestEventKind.IDENTITY_VERIFIED, reason: method, occurredAt: now });
    const pause = request.status === DataRequestStatus.PAUSED ? await lastPauseReason(tx, request) : null;
    if (pause === DataRequestPauseReason.IDENTITY) {
      // Restarting the clock changes it as resumeDataRequest does: the caller needs `update` on those fields too.
      assertMay(ctx.ability, 'update', 'DataRequest', { chainId: request.chainId, storeId: request.storeId, id: request.id }, RESUME_FIELDS);
      await resume(ctx, tx, request, now);
    }
  });
}

/** Assigns the member of staff who handles the request (an active staff member of the chain). */
export function assignDataRequest(ctx: AuthenticatedContext, id: string, handlerId: string): Promise<DataRequest> {
  return step(ctx, id, ['handlerId'], async (tx, request, now) => {
    assertNotClosed(request);
    const handler = isUuid(handlerId) ? await tx.getRepository(User).findOneBy({ id: handlerId, chainId: request.chainId }) : null;
    if (!handler || handler.status !== UserStatus.ACTIVE || handler.kind !== UserKind.STAFF) throw badInput('handlerId', 'is not an active member of staff of this chain');
    if (request.handlerId === handler.id) throw badInput('handlerId', 'already handles this request');
    await update(tx, request, { handlerId: handler.id });
    await recordRequestEvent(ctx, tx, request.id, {
      kind: DataRequestEventKind.ASSIGNED, occurredAt: now, details: { handlerId: handler.id, previousHandlerId: request.handlerId },
    });
  });
}

/** Extends the due date by `months` (1 or 2, at most 2 in total), with a reason, before the original due date passes. */
export function extendDataRequest(ctx: AuthenticatedContext, id: string, months: number, reasonText: string): Promise<DataRequest> {
  const reason = requiredText('reason', reasonText, REASON_MAX);
  return step(ctx, id, ['dueAt', 'extensionMonths'], async (tx, request, now) => {
    assertNotClosed(request);
    const refusal = extensionRefusal(request.receivedAt, request.extensionMonths, months, now);
    if (refusal) throw badInput(refusal.field, refusal.message);
    const total = request.extensionMonths + months;
    // The stored due date is the extended one plus the time paused so far: move it by what the extension adds.
    const added = extendedDueAt(request.receivedAt, total).getTime() - extendedDueAt(request.receivedAt, request.extensionMonths).getTime();
    const dueAt = new Date(request.dueAt.getTime() + added);
    await update(tx, request, { dueAt, extensionMonths: total });
    await recordRequestEvent(ctx, tx, request.id, {
      kind: DataRequestEventKind.EXTENDED, reason, months, dueAtBefore: request.dueAt, dueAtAfter: dueAt, occurredAt: now,
    });
  });
}

async function lastPauseReason(tx: EntityManager, request: DataRequest): Promise<string | null> {
  const rows: { reason: string | null }[] = await tx.query(
    `SELECT reason FROM data_request_event WHERE data_request_id = $1 AND kind = 'PAUSED' ORDER BY occurred_at DESC, id DESC LIMIT 1`, [request.id]);
  return rows[0]?.reason ?? null;
}

/** Stops the clock while the requester's identity or a genuinely needed clarification is awaited (OPEN requests only). */
export function pauseDataRequest(ctx: AuthenticatedContext, id: string, reason: DataRequestPauseReason, noteText?: string | null): Promise<DataRequest> {
  const note = optionalText('note', noteText, REASON_MAX);
  if (!Object.values(DataRequestPauseReason).includes(reason)) throw badInput('reason', 'must be IDENTITY or CLARIFICATION');
  return step(ctx, id, ['status', 'pausedAt'], async (tx, request, now) => {
    assertNotClosed(request);
    if (request.status === DataRequestStatus.PAUSED) throw badInput('id', 'the clock is already stopped: resume it first');
    if (reason === DataRequestPauseReason.IDENTITY && request.identityVerifiedAt) throw badInput('reason', 'the requester’s identity is already verified');
    await update(tx, request, { status: DataRequestStatus.PAUSED, pausedAt: now });
    await recordRequestEvent(ctx, tx, request.id, {
      kind: DataRequestEventKind.PAUSED, reason, dueAtBefore: request.dueAt, dueAtAfter: request.dueAt, occurredAt: now, details: note ? { note } : null,
    });
  });
}

/** Restarts a stopped clock: the due date moves later by exactly the time it was stopped. */
async function resume(ctx: AuthenticatedContext, tx: EntityManager, request: DataRequest, now: Date): Promise<void> {
  const pausedAt = request.pausedAt ?? now;
  const pausedMs = Math.max(0, now.getTime() - pausedAt.getTime());
  const dueAt = new Date(request.dueAt.getTime() + pausedMs);
  await update(tx, request, { status: DataRequestStatus.OPEN, pausedAt: null, dueAt });
  await recordRequestEvent(ctx, tx, request.id, {
    kind: DataRequestEventKind.RESUMED, dueAtBefore: request.dueAt, dueAtAfter: dueAt, occurredAt: now,
    details: { pausedAt: pausedAt.toISOString(), pausedMs },
  });
}

export function resumeDataRequest(ctx: AuthenticatedContext, id: string): Promise<DataRequest> {
  return step(ctx, id, RESUME_FIELDS, async (tx, request, now) => {
    assertNotClosed(request);
    if (request.status !== DataRequestStatus.PAUSED) throw badInput('id', 'the clock is not stopped');
    await resume(ctx, tx, request, now);
  });
}

type Closure = DataRequestEventKind.COMPLETED | DataRequestEventKind.REFUSED | DataRequestEventKind.WITHDRAWN;
const CLOSED_AS: Record<Closure, DataRequestStatus> = {
  [DataRequestEventKind.COMPLETED]: DataRequestStatus.COMPLETED,
  [DataRequestEventKind.REFUSED]: DataRequestStatus.REFUSED,
  [DataRequestEventKind.WITHDRAWN]: DataRequestStatus.WITHDRAWN,
};

function close(ctx: AuthenticatedContext, id: string, kind: Closure, argument: string, text: string): Promise<DataRequest> {
  const outcome = requiredText(argument, text, REASON_MAX);
  return step(ctx, id, ['status', 'outcome', 'completedAt'], async (tx, request, now) => {
    assertNotClosed(request);
    // Answering a request discloses or changes a person's data: only for a requester whose identity is verified.
    if (kind === DataRequestEventKind.COMPLETED && !request.identityVerifiedAt) throw badInput('id', 'verify the requester’s identity before completing the request');
    // An erasure request is answered by the erasure itself (eraseCustomer completes it in the same transaction), never
    // by a word that it was done; it can still be refused or withdrawn.
    if (kind === DataRequestEventKind.COMPLETED && request.type === DataRequestType.ERASURE) throw badInput('id', 'an ERASURE request is completed by eraseCustomer, or refused or withdrawn');
    await update(tx, request, { status: CLOSED_AS[kind], outcome, completedAt: now, pausedAt: null });
    await recordRequestEvent(ctx, tx, request.id, { kind, reason: outcome, occurredAt: now, details: { status: CLOSED_AS[kind] } });
  });
}

/** Closes the request as answered, saying what was done. */
export function completeDataRequest(ctx: AuthenticatedContext, id: string, outcome: string): Promise<DataRequest> {
  return close(ctx, id, DataRequestEventKind.COMPLETED, 'outcome', outcome);
}

/** Closes the request as refused (e.g. manifestly unfounded or excessive, Art. 12(5)), with the reason given to the requester. */
export function refuseDataRequest(ctx: AuthenticatedContext, id: string, reason: string): Promise<DataRequest> {
  return close(ctx, id, DataRequestEventKind.REFUSED, 'reason', reason);
}

/** Closes the request as withdrawn by the requester. */
export function withdrawDataRequest(ctx: AuthenticatedContext, id: string, reason: string): Promise<DataRequest> {
  return close(ctx, id, DataRequestEventKind.WITHDRAWN, 'reason', reason);
}
