/**
 * UnsubscribeLink: a single-use link by which a customer withdraws their marketing consent for one channel
 * themself (src/services/unsubscribe-links.ts). The token is 32 random bytes handed out once, in the link;
 * only its SHA-256 is stored, so the table cannot be replayed as links. A link is used at most once
 * (`usedAt`, set in the same transaction as the withdrawal it records, `consentEventId`) and expires.
 * Not a GraphQL type: the API returns an UnsubscribeLink view with the URL, once, when it is issued.
 */
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentChannel } from '../enums';
import { Customer } from './customer.entity';

@Entity()
@Index(['chainId', 'customerId', 'channel'])
export class UnsubscribeLink {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Column('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: 'enum', enum: ConsentChannel, enumName: 'consent_channel' })
  channel: ConsentChannel;

  /** SHA-256 of the token. */
  @Index({ unique: true })
  @Column('bytea')
  tokenHash: Buffer;

  /** The member of staff (or service account) who issued it; null when the system issued it without one. */
  @Column({ type: 'uuid', nullable: true })
  issuedById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz')
  expiresAt: Date;

  /** When the customer used it (null while unused). */
  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  /** The withdrawal it recorded (consent_event.id). */
  @Column({ type: 'uuid', nullable: true })
  consentEventId: string | null;
}
