/**
 * Input for booking an appointment.
 */
import { Field, ID, InputType } from 'type-graphql';
import { AppointmentType } from '../enums';

@InputType({ description: 'A new appointment.' })
export class BookAppointmentInput {
  @Field(() => ID, { nullable: false }) customerId: string;
  @Field(() => ID, { nullable: false }) storeId: string;
  @Field(() => ID) practitionerId?: string | null;
  @Field(() => AppointmentType, { nullable: false }) type: AppointmentType;
  @Field(() => Date, { nullable: false }) startsAt: Date;
  @Field(() => Date, { nullable: false }) endsAt: Date;
}
