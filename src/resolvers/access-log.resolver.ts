/**
 * clinicalAccessLog and customerAccessReport: the review queries of the clinical access log.
 */
import { Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { customerAccessReport, reviewAccessLog } from '../services/audit/access-log-review';
import { AccessLogConnection, AccessLogEntryView } from '../schema/audit/access-log.types';
import { Store } from '../schema/core/store.entity';
import { User } from '../schema/core/user.entity';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => AccessLogEntryView)
export class AccessLogResolver {
  @Query(() => AccessLogConnection, { nullable: false, description: 'Clinical access log entries, newest first, filtered by customer, user, store, emergency access and time. Reading it is logged.' })
  clinicalAccessLog(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID, { nullable: true }) customerId?: string,
    @Arg('userId', () => ID, { nullable: true }) userId?: string,
    @Arg('storeId', () => ID, { nullable: true }) storeId?: string,
    @Arg('emergencyAccessId', () => ID, { nullable: true, description: 'Only the reads one emergency access granted.' }) emergencyAccessId?: string,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-200 (default 50).' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<AccessLogConnection> {
    return reviewAccessLog(ctx, { customerId, userId, storeId, emergencyAccessId, from, to, first, after });
  }

  @Query(() => [AccessLogEntryView], { nullable: false, description: '"Who accessed my data": every access to one customer’s health records, for a subject access request. Reading it is logged.' })
  customerAccessReport(@Authenticated() ctx: AuthenticatedContext, @Arg('customerId', () => ID) customerId: string): Promise<AccessLogEntryView[]> {
    return customerAccessReport(ctx, customerId);
  }

  @FieldResolver(() => User, { description: 'The member of staff.' })
  user(@Root() entry: AccessLogEntryView, @Ctx() ctx: AppContext): Promise<User | null> {
    return ctx.loaders.user.load(entry.userId);
  }

  @FieldResolver(() => Store, { nullable: true })
  store(@Root() entry: AccessLogEntryView, @Ctx() ctx: AppContext): Promise<Store | null> | null {
    return entry.storeId ? ctx.loaders.store.load(entry.storeId) : null;
  }
}
