/**
 * DataRequestEvent: one step in a data-subject request's history (received, identity verified, handler assigned,
 * clock paused / resumed / extended, a change or export linked, closed), append-only (the database rejects
 * UPDATE, DELETE and TRUNCATE). Who (`userId`), when, why, and for clock changes the due date before and after,
 * so the clock can be re-read from the events. `changeEntryId` names a personal change-log entry (its bigint id,
 * as text) for LINKED_CHANGE.
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DataRequestEventKind } from '../enums';
import { DataRequest } from './data-request.entity';

@ObjectType({ description: 'One step in the history of a data-subject request.' })
@Entity()
@Index(['dataRequestId', 'occurredAt'])
export class DataRequestEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Column('uuid')
  dataRequestId: string;

  @ManyToOne(() => DataRequest, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'data_request_id' })
  dataRequest?: DataRequest;

  @Field(() => DataRequestEventKind)
  @Column({ type: 'enum', enum: DataRequestEventKind, enumName: 'data_request_event_kind' })
  kind: DataRequestEventKind;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt: Date;

  @Field(() => ID, { description: 'The member of staff (null: the system).' })
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Field(() => String, { description: 'Why (an extension’s or refusal’s reason, a pause’s reason, the outcome, …).' })
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Field(() => Int, { description: 'EXTENDED: by how many months.' })
  @Column({ type: 'int', nullable: true })
  months: number | null;

  @Field(() => Date)
  @Column({ type: 'timestamptz', nullable: true })
  dueAtBefore: Date | null;

  @Field(() => Date)
  @Column({ type: 'timestamptz', nullable: true })
  dueAtAfter: Date | null;

  /** LINKED_CHANGE: the personal change-log entry (personal_change_log_entry.id, a bigint). */
  @Column({ type: 'bigint', nullable: true })
  changeEntryId: string | null;

  /** Further facts of the step (e.g. the handler assigned, a pause's note, an export's format). */
  @Column({ type: 'jsonb', nullable: true })
  details: object | null;
}
