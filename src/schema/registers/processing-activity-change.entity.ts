/**
 * ProcessingActivityChange: one change of an entry of the records of processing (created, or updated): who, when,
 * from which request, the changed fields before and after. Append-only (the database rejects UPDATE, DELETE and
 * TRUNCATE).
 */
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { RegisterChange } from '../enums';

@ObjectType({ description: 'One change of an entry of the records of processing: who, when, and the changed fields before and after.' })
@Entity()
@Index(['processingActivityId', 'occurredAt'])
export class ProcessingActivityChange {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Column('uuid')
  processingActivityId: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Field(() => ID, { description: 'Who made the change (null: the seed).' })
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @Field(() => String)
  @Column({ type: 'varchar' })
  requestId: string;

  @Field(() => RegisterChange)
  @Column({ type: 'enum', enum: RegisterChange, enumName: 'register_change' })
  action: RegisterChange;

  @Field(() => GraphQLJSON, { description: 'The changed fields as they were (null when created).' })
  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Field(() => GraphQLJSON, { description: 'The changed fields as they are now.' })
  @Column({ type: 'jsonb' })
  after: Record<string, unknown>;
}
