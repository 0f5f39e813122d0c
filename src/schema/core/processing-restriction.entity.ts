/**
 * ProcessingRestriction: whether one customer's processing is restricted now (GDPR Art. 18), derived from
 * the append-only ProcessingRestrictionEvent history and upserted in the same transaction as each event.
 * A customer with no row is not restricted.
 */
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Customer } from './customer.entity';

@Entity()
export class ProcessingRestriction {
  @PrimaryColumn('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Index()
  @Column('uuid')
  chainId: string;

  @Column()
  restricted: boolean;

  /** The reason of the latest event. */
  @Column('text')
  reason: string;

  /** When the latest event happened. */
  @Column('timestamptz')
  changedAt: Date;

  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;
}
