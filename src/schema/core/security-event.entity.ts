/**
 * SecurityEvent: an anomaly the audit trail noticed, e.g. a user who read the clinical records of
 * more distinct customers within the chain's window than its threshold allows. Raised by
 * src/audit/security-event-log.ts (at most one per user and kind per window), reviewed and
 * acknowledged by the chain's reviewers; system events (a failed scheduled backup) have no user. Identifiers and counts only: no customer, no names.
 * Append-only (the database rejects UPDATE, DELETE and TRUNCATE).
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { SecurityEventKind } from '../enums';

@ObjectType({ description: 'An anomaly in the use of personal data: who, what kind, in which window, how much against which threshold.' })
@Entity()
@Index(['chainId', 'id'])
@Index(['chainId', 'userId', 'kind', 'windowEnd'])
export class SecurityEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => SecurityEventKind)
  @Column({ type: 'enum', enum: SecurityEventKind, enumName: 'security_event_kind' })
  kind: SecurityEventKind;

  @Field(() => ID, { nullable: true, description: 'Id of the member of staff whose use of data raised the event; null for a system event (BACKUP_VERIFICATION_FAILED).' })
  @Column('uuid', { nullable: true })
  userId: string | null;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  raisedAt: Date;

  @Field(() => Date, { description: 'Start of the window that was counted.' })
  @Column('timestamptz')
  windowStart: Date;

  @Field(() => Date, { description: 'End of the window that was counted (when the check ran).' })
  @Column('timestamptz')
  windowEnd: Date;

  @Field(() => Int, { description: 'Distinct customers counted in the window.' })
  @Column('int')
  observedCount: number;

  @Field(() => Int, { description: 'The chain’s threshold when the event was raised (the count exceeded it); for SETTING_WEAKENED the setting’s value before.' })
  @Column('int')
  threshold: number;

  @Field(() => String, { nullable: true, description: 'SETTING_WEAKENED: which setting was weakened (e.g. anomalyDistinctCustomers); null for the other kinds.' })
  @Column({ type: 'varchar', nullable: true })
  setting: string | null;
}
