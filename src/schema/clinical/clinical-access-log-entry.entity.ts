/**
 * ClinicalAccessLogEntry (clinical database): one entry per request, customer, subject and outcome:
 * who read (or was refused) which clinical records and fields. Only identifiers, never values.
 * Written in one batched INSERT per request; the API refuses to return clinical data it could not log.
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AccessOutcome } from '../enums';

@Entity()
@Index(['chainId', 'customerId', 'occurredAt'])
@Index(['chainId', 'userId', 'occurredAt'])
export class ClinicalAccessLogEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  chainId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column('uuid')
  userId: string;

  @Column('uuid')
  sessionId: string;

  @Column()
  requestId: string;

  @Column({ type: 'varchar', nullable: true })
  clientAddress: string | null;

  @Column({ type: 'varchar', nullable: true })
  operationName: string | null;

  @Column('uuid')
  customerId: string;

  @Column({ type: 'uuid', nullable: true })
  storeId: string | null;

  @Column()
  subject: string;

  @Column({ type: 'uuid', array: true })
  recordIds: string[];

  @Column({ type: 'text', array: true })
  fields: string[];

  @Column({ type: 'enum', enum: AccessOutcome, enumName: 'access_outcome' })
  outcome: AccessOutcome;
}
