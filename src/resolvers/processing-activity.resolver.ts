/**
 * The records of processing (Art. 30): processingActivities, upsertProcessingActivity, and an entry's history.
 * (The JSON and CSV export is an HTTP route: src/server/register-export-route.ts.)
 */
import { Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { UpsertProcessingActivityInput } from '../schema/inputs/processing-activity.inputs';
import { ProcessingActivityChange } from '../schema/registers/processing-activity-change.entity';
import { ProcessingActivity } from '../schema/registers/processing-activity.entity';
import { activityHistory, listProcessingActivities, upsertProcessingActivity } from '../services/registers/processing-activity-service';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext, authenticated } from '../context/authenticated-context';

@Resolver(() => ProcessingActivity)
export class ProcessingActivityResolver {
  @Query(() => [ProcessingActivity], { nullable: false, description: 'The chain’s records of processing activities (Art. 30(1) GDPR), by name.' })
  processingActivities(@Authenticated() ctx: AuthenticatedContext): Promise<ProcessingActivity[]> {
    return listProcessingActivities(ctx);
  }

  @Mutation(() => ProcessingActivity, { nullable: false, description: 'Adds an entry to the records of processing, or (with `id`) replaces its content.' })
  upsertProcessingActivity(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => UpsertProcessingActivityInput) input: UpsertProcessingActivityInput): Promise<ProcessingActivity> {
    return upsertProcessingActivity(ctx, input);
  }

  @FieldResolver(() => [ProcessingActivityChange], { description: 'Every change of the entry, oldest first.' })
  history(@Root() activity: ProcessingActivity, @Ctx() ctx: AppContext): Promise<ProcessingActivityChange[]> {
    return activityHistory(authenticated(ctx), activity);
  }
}
