/**
 * MarketingObjection: one objection to direct marketing (GDPR Art. 21(2)) by one customer, append-only
 * (the database rejects UPDATE and DELETE). An objection is never lifted: one row is enough to keep the
 * customer off every marketing list for good; a later one is recorded as another event. `customerId` is
 * nullable so that erasure can detach the objection from the customer while the suppression
 * (MarketingSuppression, written with it) keeps working on hashes alone.
 */
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentActor, ConsentSource } from '../enums';
import { Customer } from './customer.entity';

@Entity()
@Index(['customerId', 'occurredAt'])
export class MarketingObjection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Column({ type: 'uuid', nullable: true })
  customerId: string | null;

  @ManyToOne(() => Customer, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer | null;

  @Column({ type: 'enum', enum: ConsentSource, enumName: 'consent_source' })
  source: ConsentSource;

  @Column({ type: 'enum', enum: ConsentActor, enumName: 'consent_actor' })
  actor: ConsentActor;

  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;
}
