/**
 * The breach register: breaches, breachAffectedCustomers, recordBreach, updateBreach, and a breach's computed
 * fields (deadline, overdue, notified, notifiedLate, customersToBeTold) and history.
 */
import { Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { RecordBreachInput, UpdateBreachInput } from '../schema/inputs/breach.inputs';
import { BreachEvent } from '../schema/registers/breach-event.entity';
import { Breach } from '../schema/registers/breach.entity';
import { breachHistory, listBreaches, recordBreach, updateBreach } from '../services/registers/breach-service';
import { breachDeadline, customersToBeTold, isBreachOverdue, notifiedLate } from '../services/registers/breach-rules';
import { countAffectedCustomers } from '../services/registers/affected-customers';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext, authenticated } from '../context/authenticated-context';

@Resolver(() => Breach)
export class BreachResolver {
  @Query(() => [Breach], { nullable: false, description: 'The chain’s breach register: overdue breaches first, then the most recently discovered (at most 500).' })
  breaches(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('overdue', () => Boolean, { nullable: true, description: 'Only overdue breaches (true) or only the others (false).' }) overdue?: boolean,
  ): Promise<Breach[]> {
    return listBreaches(ctx, overdue);
  }

  @Query(() => Int, { nullable: false, description: 'Distinct customers whose clinical records the member of staff read (granted) from `from` to `to`, from the clinical access log.' })
  breachAffectedCustomers(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
  ): Promise<number> {
    return countAffectedCustomers(ctx, { userId, from, to });
  }

  @Mutation(() => Breach, { nullable: false, description: 'Records a personal data breach in the register.' })
  recordBreach(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => RecordBreachInput) input: RecordBreachInput): Promise<Breach> {
    return recordBreach(ctx, input);
  }

  @Mutation(() => Breach, { nullable: false, description: 'Changes a breach register entry (assessment, notification, decisions).' })
  updateBreach(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateBreachInput) input: UpdateBreachInput,
  ): Promise<Breach> {
    return updateBreach(ctx, id, input);
  }

  @FieldResolver(() => Date, { description: 'The deadline to notify the authority: discoveredAt + 72 hours (Art. 33(1)).' })
  deadline(@Root() breach: Breach): Date {
    return breachDeadline(breach);
  }

  @FieldResolver(() => Boolean, { description: 'Not notified, not decided not notifiable, and past the deadline.' })
  overdue(@Root() breach: Breach): boolean {
    return isBreachOverdue(breach, new Date());
  }

  @FieldResolver(() => Boolean, { description: 'Whether the authority was notified.' })
  notified(@Root() breach: Breach): boolean {
    return breach.notifiedAuthorityAt !== null;
  }

  @FieldResolver(() => Boolean, { description: 'Notified after the deadline (a delay reason is then recorded).' })
  notifiedLate(@Root() breach: Breach): boolean {
    return notifiedLate(breach);
  }

  @FieldResolver(() => Boolean, { description: 'HIGH_RISK, and neither telling the customers nor an Art. 34(3) exception is recorded yet.' })
  customersToBeTold(@Root() breach: Breach): boolean {
    return customersToBeTold(breach);
  }

  @FieldResolver(() => [BreachEvent], { description: 'Every change of the entry, oldest first.' })
  history(@Root() breach: Breach, @Ctx() ctx: AppContext): Promise<BreachEvent[]> {
    return breachHistory(authenticated(ctx), breach);
  }
}
