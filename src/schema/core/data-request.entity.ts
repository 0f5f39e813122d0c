/**
 * DataRequest: one data-subject request (access, portability, rectification, erasure, restriction, objection)
 * in the request register, with its legal clock. This row is the request's current state; every change to it is
 * an append-only DataRequestEvent written in the same transaction (src/services/data-requests/), so the history
 * says who did what, when, and how the due date moved.
 *
 * Scope: a request belongs to the customer's home store at receipt (`storeId`), which decides who may see it,
 * like a Customer. `customerId` stays valid after an erasure: the customer's tombstone keeps its id.
 *
 * The clock (src/services/data-requests/legal-clock.ts): `dueAt` is the current due date (one calendar month from
 * receipt, the end of that day in UTC, moved by any extension and by the time the clock was stopped);
 * `extensionMonths` the months extended so far (at most 2); `pausedAt` when the clock stopped (PAUSED only).
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DataRequestChannel, DataRequestStatus, DataRequestType } from '../enums';
import { Customer } from './customer.entity';
import { Store } from './store.entity';

@ObjectType({ description: 'A data-subject request in the request register, with its legal clock.' })
@Entity()
@Index(['chainId', 'storeId', 'dueAt'])
@Index(['chainId', 'customerId'])
export class DataRequest {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ID, { description: 'The customer (data subject) the request is about.' })
  @Column('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Field(() => ID, { description: 'The customer’s home store when the request was received: it decides who may see the request.' })
  @Column('uuid')
  storeId: string;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: Store;

  @Field(() => DataRequestType)
  @Column({ type: 'enum', enum: DataRequestType, enumName: 'data_request_type' })
  type: DataRequestType;

  @Field(() => DataRequestChannel)
  @Column({ type: 'enum', enum: DataRequestChannel, enumName: 'data_request_channel' })
  channel: DataRequestChannel;

  @Field(() => DataRequestStatus)
  @Column({ type: 'enum', enum: DataRequestStatus, enumName: 'data_request_status', default: DataRequestStatus.OPEN })
  status: DataRequestStatus;

  @Field(() => Date, { description: 'When the request was received (the clock starts on that day, in UTC).' })
  @Column('timestamptz')
  receivedAt: Date;

  @Field(() => Date, { description: 'The current due date (end of the day, UTC): one calendar month from receipt, moved by extensions and by time the clock was stopped. While PAUSED it is the due date as of the pause; resuming moves it by the paused time.' })
  @Column('timestamptz')
  dueAt: Date;

  @Field(() => Int, { description: 'Months the due date was extended by (0, 1 or 2).' })
  @Column('int', { default: 0 })
  extensionMonths: number;

  @Field(() => Date, { description: 'When the clock was stopped (PAUSED requests only).' })
  @Column({ type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Field(() => String)
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Field(() => Date)
  @Column({ type: 'timestamptz', nullable: true })
  identityVerifiedAt: Date | null;

  @Field(() => ID)
  @Column({ type: 'uuid', nullable: true })
  identityVerifiedById: string | null;

  @Field(() => String, { description: 'How the requester’s identity was verified (e.g. "passport seen in store").' })
  @Column({ type: 'varchar', nullable: true })
  identityMethod: string | null;

  @Field(() => ID, { description: 'The member of staff handling the request.' })
  @Column({ type: 'uuid', nullable: true })
  handlerId: string | null;

  @Field(() => String, { description: 'What was done (COMPLETED), or why refused or withdrawn.' })
  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Field(() => Date, { description: 'When the request was closed (completed, refused or withdrawn).' })
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Field(() => ID)
  @Column('uuid')
  createdById: string;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
