/**
 * EmergencyAccess ("break the glass"): a member of staff without clinical visibility for a customer
 * declared an emergency, with a written reason, and was granted read access to that customer's health
 * records (and identity) for a limited time. Append-only (the database rejects UPDATE, DELETE and
 * TRUNCATE): reviewers acknowledge a grant in the review acknowledgement table, never by editing it.
 * Every read it grants is logged with its id (clinical_access_log_entry.emergency_access_id).
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A break-the-glass emergency access to one customer’s health records: who, why, until when.' })
@Entity()
@Index(['chainId', 'grantedAt'])
@Index(['userId', 'expiresAt'])
export class EmergencyAccess {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ID, { description: 'The member of staff who broke the glass.' })
  @Column('uuid')
  userId: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field(() => ID, {
    description: 'The customer’s home store when access was granted (scopes who reviews it). Derived from the customer: readable only by those who may also read the customer’s homeStoreId.',
  })
  @Column('uuid')
  storeId: string;

  @Field({ description: 'The written reason given.' })
  @Column('text')
  reason: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  grantedAt: Date;

  @Field(() => Date)
  @Column('timestamptz')
  expiresAt: Date;

  @Column('uuid')
  sessionId: string;

  @Column()
  requestId: string;

  @Column({ type: 'varchar', nullable: true })
  clientAddress: string | null;
}
