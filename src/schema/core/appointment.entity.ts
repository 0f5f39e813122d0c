/**
 * Appointment: a booking of a customer at a store, optionally with a practitioner.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentStatus, AppointmentType } from '../enums';
import { Customer } from './customer.entity';
import { Store } from './store.entity';
import { User } from './user.entity';

@ObjectType({ description: 'An appointment at a store.' })
@Entity()
@Index(['customerId', 'startsAt'])
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
