/**
 * dataChangeLog: the review query of the personal and clinical data change logs.
 */
import { Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { changedFieldsRead, reviewDataChangeLog } from '../services/audit/change-log-review';
import { DataChangeConnection, DataChangeEntryView, FieldChangeView } from '../schema/audit/data-change.types';
import { Store } from '../schema/core/store.entity';
import { User } from '../schema/core/user.entity';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => DataChangeEntryView)
export class DataChangeResolver {
  @Query(() => DataChangeConnection, {
    nullable: false,
    description: 'Changes to personal and clinical data (both change logs merged), newest first, filtered by customer, user, subject, record and time. Clinical values returned are written to the clinical access log.',
  })
  dataChangeLog(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID, { nullable: true }) customerId?: string,
    @Arg('userId', () => ID, { nullable: true, description: 'The member of staff who made the changes.' }) userId?: string,
    @Arg('subject', () => String, { nullable: true, description: 'Customer, Consent, Appointment, Examination, SpectaclePrescription, ContactLensSpecification or ClinicalNote.' }) subject?: string,
    @Arg('recordId', () => ID, { nullable: true, description: 'One record’s history.' }) recordId?: string,
    @Arg('from', () => Date, { nullable: true }) from?: Date,
    @Arg('to', () => Date, { nullable: true }) to?: Date,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-200 (default 50).' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<DataChangeConnection> {
    return reviewDataChangeLog(ctx, { customerId, userId, subject, recordId, from, to, first, after });
  }

  @FieldResolver(() => [FieldChangeView], { description: 'The changed fields with their values before and after (a derived field, e.g. a specification’s patientDateOfBirth, only where its source is readable).' })
  changes(@Root() entry: DataChangeEntryView, @Authenticated() ctx: AuthenticatedContext): Promise<FieldChangeView[]> {
    return changedFieldsRead(ctx, entry);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The member of staff; null for the customer’s own change through a customer channel.' })
  user(@Root() entry: DataChangeEntryView, @Ctx() ctx: AppContext): Promise<User | null> | null {
    return entry.userId ? ctx.loaders.user.load(entry.userId) : null;
  }

  @FieldResolver(() => Store, { nullable: true })
  store(@Root() entry: DataChangeEntryView, @Ctx() ctx: AppContext): Promise<Store | null> | null {
    return entry.storeId ? ctx.loaders.store.load(entry.storeId) : null;
  }
}
