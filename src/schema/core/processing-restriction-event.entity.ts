/**
 * ProcessingRestrictionEvent: one restriction of processing (GDPR Art. 18) or its lifting, for one customer,
 * append-only (the database rejects UPDATE and DELETE). The current state is ProcessingRestriction, written in
 * the same transaction (src/services/consent/restriction-service.ts).
 */
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Customer } from './customer.entity';

@Entity()
@Index(['customerId', 'occurredAt'])
export class ProcessingRestrictionEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Column('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  /** True: processing restricted from now on; false: the restriction lifted. */
  @Column()
  restricted: boolean;

  /** Why (the customer's request, a contested accuracy, …): 1 to 500 characters. */
  @Column('text')
  reason: string;

  /** The member of staff who recorded it; null when the system did. */
  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;
}
