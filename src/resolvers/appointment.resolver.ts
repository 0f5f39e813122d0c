/**
 * bookAppointment and cancelAppointment.
 */
import { Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Appointment } from '../schema/core/appointment.entity';
import { BookAppointmentInput } from '../schema/inputs/appointment.inputs';
import { bookAppointment, cancelAppointment } from '../services/appointment-service';
import { AppContext, requireAuth } from '../context/app-context';

@Resolver(() => Appointment)
export class AppointmentResolver {
  @Mutation(() => Appointment)
  bookAppointment(@Ctx() ctx: AppContext, @Arg('input', () => BookAppointmentInput) input: BookAppointmentInput): Promise<Appointment> {
    const { principal, ability } = requireAuth(ctx);
    return bookAppointment(ctx, principal, ability, input);
  }

  @Mutation(() => Appointment)
  cancelAppointment(
    @Ctx() ctx: AppContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ): Promise<Appointment> {
    const { principal, ability } = requireAuth(ctx);
    return cancelAppointment(ctx, principal, ability, id, reason);
  }
}
