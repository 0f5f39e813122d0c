/**
 * MarketingSuppression: the chain's do-not-market list, append-only. One row is written with every
 * objection, holding the keyed hashes (HMAC-SHA256 under the server's suppression key,
 * src/services/consent/contact-hash-sql.ts) of the customer's email and phone at that moment, never the
 * plaintext and never the customer: it outlives erasure, and a customer re-created with the same email or
 * phone is still suppressed (marketing lists anti-join on the hashes at read time).
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
@Index(['chainId', 'emailHash'])
@Index(['chainId', 'phoneHash'])
export class MarketingSuppression {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  /** HMAC-SHA256 of `<chainId>:email:<lower(trim(email))>`; null when there was no email. */
  @Column({ type: 'bytea', nullable: true })
  emailHash: Buffer | null;

  /** HMAC-SHA256 of `<chainId>:phone:<digits of the phone>`; null when there was no phone. */
  @Column({ type: 'bytea', nullable: true })
  phoneHash: Buffer | null;

  /**
   * The objection that wrote it (marketing_objection.id). No foreign key: both tables are append-only, and a
   * key would make TRUNCATE of marketing_objection fail on the key before its append-only trigger could refuse it.
   */
  @Column({ type: 'uuid', nullable: true })
  objectionId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
