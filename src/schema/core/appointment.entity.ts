/**
 * Appointment: a booking of a customer at a store, optionally with a practitioner.
 *
 * In the database: an appointment ends after it starts, and one practitioner's appointments that are
 * not CANCELLED never overlap (an exclusion constraint over the practitioner and the time range,
 * needing the btree_gist extension for uuid equality in a GiST index), so two concurrent bookings of
 * one slot cannot both commit. The booking rules that need more than one row (who may be booked,
 * when) are in src/services/appointment-service.ts and src/policies/practitioners.ts.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentStatus, AppointmentType } from '../enums';
import { Customer } from './customer.entity';
import { Store } from './store.entity';
import { User } from './user.entity';

/** The exclusion constraint that keeps one practitioner's appointments apart (its violation is mapped to BAD_USER_INPUT). */
export const PRACTITIONER_OVERLAP_CONSTRAINT = 'appointment_practitioner_no_overlap';

@ObjectType({ description: 'An appointment at a store.' })
@Entity()
@Index(['customerId', 'startsAt'])
@Check('appointment_ends_after_start', `"ends_at" > "starts_at"`)
@Exclusion(
  PRACTITIONER_OVERLAP_CONSTRAINT,
  `USING gist ("practitioner_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("practitioner_id" IS NOT NULL AND "status" <> 'CANCELLED')`,
)
export class Appointment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  storeId: string;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: Store;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  practitionerId: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'practitioner_id' })
  practitioner?: User;

  @Field(() => AppointmentType)
  @Column({ type: 'enum', enum: AppointmentType, enumName: 'appointment_type' })
  type: AppointmentType;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Field(() => AppointmentStatus)
  @Column({ type: 'enum', enum: AppointmentStatus, enumName: 'appointment_status', default: AppointmentStatus.BOOKED })
  status: AppointmentStatus;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  cancellationReason: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
