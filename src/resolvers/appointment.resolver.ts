/**
 * bookAppointment and cancelAppointment.
 */
import { ID, Mutation, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Appointment } from '../schema/core/appointment.entity';
import { BookAppointmentInput } from '../schema/inputs/appointment.inputs';
import { bookAppointment, cancelAppointment } from '../services/appointment-service';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Appointment)
export class AppointmentResolver {
  @Mutation(() => Appointment)
  bookAppointment(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => BookAppointmentInput) input: BookAppointmentInput): Promise<Appointment> {
    return bookAppointment(ctx, input);
  }

  @Mutation(() => Appointment)
  cancelAppointment(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ): Promise<Appointment> {
    return cancelAppointment(ctx, id, reason);
  }
}
