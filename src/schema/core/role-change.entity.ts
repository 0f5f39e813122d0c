/**
 * RoleChange: the history of a chain's roles and role assignments — who changed what, when, with
 * the state before and after. Append-only (the database rejects UPDATE, DELETE and TRUNCATE).
 */
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'One change to a role or an assignment: who, when, what, before and after.' })
@Entity()
@Index(['chainId', 'occurredAt'])
export class RoleChange {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Field(() => ID)
  @Column('uuid')
  actorId: string;

  /** ROLE_CREATED, ROLE_UPDATED, ROLE_DELETED, ASSIGNMENT_CREATED, ASSIGNMENT_REVOKED */
  @Field(() => String)
  @Column()
  action: string;

  @Field(() => ID)
  @Column({ type: 'uuid', nullable: true })
  roleId: string | null;

  @Field(() => ID)
  @Column({ type: 'uuid', nullable: true })
  assignmentId: string | null;

  @Field(() => GraphQLJSON)
  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Field(() => GraphQLJSON)
  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;
}
