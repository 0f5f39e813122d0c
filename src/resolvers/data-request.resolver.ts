/**
 * The request register: createDataRequest, dataRequests, dataRequest and the steps of a request (identity,
 * handler, clock, closure); a request's customer, history and linked changes.
 */
import { Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';
import { Arg } from '../schema/arg';
import { DataChangeEntryView } from '../schema/audit/data-change.types';
import { Customer } from '../schema/core/customer.entity';
import { DataRequestEvent } from '../schema/core/data-request-event.entity';
import { DataRequest } from '../schema/core/data-request.entity';
import { DataRequestConnection } from '../schema/core/data-request.types';
import { DataRequestPauseReason, DataRequestStatus } from '../schema/enums';
import { CreateDataRequestInput } from '../schema/inputs/data-request.inputs';
import { requestEvents } from '../services/data-requests/data-request-events';
import { createDataRequest, getDataRequest, listDataRequests } from '../services/data-requests/data-request-register';
import {
  assignDataRequest, completeDataRequest, extendDataRequest, pauseDataRequest, refuseDataRequest, resumeDataRequest,
  verifyDataRequestIdentity, withdrawDataRequest,
} from '../services/data-requests/data-request-steps';
import { isDueSoon, isOverdue, originalDueAt } from '../services/data-requests/legal-clock';
import { linkedChangesOf } from '../services/data-requests/linked-changes';

@Resolver(() => DataRequest)
export class DataRequestResolver {
  @Query(() => DataRequestConnection, { nullable: false, description: 'Data-subject requests the caller may see: overdue first, then due within 7 days, then the rest, each by due date.' })
  dataRequests(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('status', () => DataRequestStatus, { nullable: true }) status?: DataRequestStatus,
    @Arg('overdue', () => Boolean, { nullable: true, description: 'true: only overdue requests; false: none that are overdue.' }) overdue?: boolean,
    @Arg('dueBefore', () => Date, { nullable: true, description: 'Only requests due before this instant.' }) dueBefore?: Date,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<DataRequestConnection> {
    return listDataRequests(ctx, { status, overdue, dueBefore, first, after });
  }

  @Query(() => DataRequest, { description: 'One data-subject request; NOT_FOUND when outside the caller’s scope.' })
  dataRequest(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<DataRequest> {
    return getDataRequest(ctx, id);
  }

  @Mutation(() => DataRequest, { nullable: false, description: 'Records a data-subject request as received; its legal clock starts from receivedAt.' })
  createDataRequest(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => CreateDataRequestInput) input: CreateDataRequestInput): Promise<DataRequest> {
    return createDataRequest(ctx, input);
  }

  @Mutation(() => DataRequest, { nullable: false, description: 'Records how the requester’s identity was verified (resumes a clock stopped for IDENTITY).' })
  verifyDataRequestIdentity(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string, @Arg('method', () => String) method: string): Promise<DataRequest> {
    return verifyDataRequestIdentity(ctx, id, method);
  }

  @Mutation(() => DataRequest, { nullable: false, description: 'Assigns the member of staff who handles the request.' })
  assignDataRequest(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string, @Arg('handlerId', () => ID) handlerId: string): Promise<DataRequest> {
    return assignDataRequest(ctx, id, handlerId);
  }

  @Mutation(() => DataRequest, { nullable: false, description: 'Extends the due date by 1 or 2 months (at most 2 in total), with a reason, before the original due date.' })
  extendDataRequest(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('months', () => Int) months: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<DataRequest> {
    return extendDataRequest(ctx, id, months, reason);
  }

  @Mutation(() => DataRequest, { nullable: false, description: 'Stops the clock while the requester’s identity or a clarification is awaited (OPEN requests only).' })
  pauseDataRequest(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => DataRequestPauseReason) reason: DataRequestPauseReason,
    @Arg('note', () => String, { nullable: true, description: 'What is awaited, in words.' }) note?: string,
  ): Promise<DataRequest> {
    return pauseDataRequest(ctx, id, reason, note);
  }

  @Mutation(() => DataRequest, { nullable: false, description: 'Restarts a stopped clock: the due date moves later by the paused time.' })
  resumeDataRequest(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<DataRequest> {
    return resumeDataRequest(ctx, id);
  }

  @Mutation(() => DataRequest, { nullable: false, description: 'Closes the request as answered (identity verified first), saying what was done.' })
  completeDataRequest(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string, @Arg('outcome', () => String) outcome: string): Promise<DataRequest> {
    return completeDataRequest(ctx, id, outcome);
  }

  @Mutation(() => DataRequest, { nullable: false, description: 'Closes the request as refused, with the reason given to the requester.' })
  refuseDataRequest(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string): Promise<DataRequest> {
    return refuseDataRequest(ctx, id, reason);
  }

  @Mutation(() => DataRequest, { nullable: false, description: 'Closes the request as withdrawn by the requester.' })
  withdrawDataRequest(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string): Promise<DataRequest> {
    return withdrawDataRequest(ctx, id, reason);
  }

  @FieldResolver(() => Date, { description: 'The original due date: the end of the same day next month as receipt (or of its last day).' })
  originalDueAt(@Root() request: DataRequest): Date {
    return originalDueAt(request.receivedAt);
  }

  @FieldResolver(() => Boolean, { description: 'OPEN or PAUSED and past its due date (a stopped clock’s due date recedes while it is stopped).' })
  overdue(@Root() request: DataRequest): boolean {
    return isOverdue(request, new Date());
  }

  @FieldResolver(() => Boolean, { description: 'OPEN or PAUSED, not overdue, and due within 7 days.' })
  dueSoon(@Root() request: DataRequest): boolean {
    return isDueSoon(request, new Date());
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer (shown where the caller may read the customer).' })
  customer(@Root() request: DataRequest, @Ctx() ctx: AppContext): Promise<Customer | null> {
    return ctx.loaders.customer.load(request.customerId);
  }

  @FieldResolver(() => [DataRequestEvent], { description: 'The request’s history, oldest first.' })
  events(@Root() request: DataRequest, @Authenticated() ctx: AuthenticatedContext): Promise<DataRequestEvent[]> {
    return requestEvents(ctx, request);
  }

  @FieldResolver(() => [DataChangeEntryView], { description: 'The change-log entries of the corrections made under this request (rectification), each with its before/after values, governed like dataChangeLog’s.' })
  linkedChanges(@Root() request: DataRequest, @Authenticated() ctx: AuthenticatedContext): Promise<DataChangeEntryView[]> {
    return linkedChangesOf(ctx, request);
  }
}

@Resolver(() => DataRequestEvent)
export class DataRequestEventResolver {
  @FieldResolver(() => ID, { nullable: true, description: 'LINKED_CHANGE: the change-log entry (its DataChangeEntry id, "personal:<n>").' })
  changeEntryId(@Root() event: DataRequestEvent): string | null {
    return event.changeEntryId ? `personal:${event.changeEntryId}` : null;
  }
}
