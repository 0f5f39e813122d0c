/**
 * BreachEvent: one change of a breach register entry (recorded, or updated), with who, when, from which request,
 * and the entry's changed fields before and after. Append-only (the database rejects UPDATE, DELETE and TRUNCATE).
 */
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { RegisterChange } from '../enums';

@ObjectType({ description: 'One change of a breach register entry: who, when, and the changed fields before and after.' })
@Entity()
@Index(['breachId', 'occurredAt'])
export class BreachEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Column('uuid')
  breachId: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Field(() => ID)
  @Column('uuid')
  userId: string;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @Field(() => String)
  @Column({ type: 'varchar' })
  requestId: string;

  @Field(() => RegisterChange)
  @Column({ type: 'enum', enum: RegisterChange, enumName: 'register_change' })
  action: RegisterChange;

  @Field(() => GraphQLJSON, { description: 'The changed fields as they were (null when recorded).' })
  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Field(() => GraphQLJSON, { description: 'The changed fields as they are now.' })
  @Column({ type: 'jsonb' })
  after: Record<string, unknown>;
}
