/**
 * ClinicalAccessLogEntry (clinical database): one entry per request, customer, subject and outcome:
 * who read (or was refused) which clinical records and fields. Only identifiers, never values.
 * Written in one batched INSERT per request; the API refuses to return clinical data it could not log.
 *
 * Tamper-evident: the writer hashes each entry's content (`contentHash`, src/hash-chain/access-log-canonical.ts);
 * a BEFORE INSERT trigger (migrations/clinical/*AccessLogV2.ts) links it into the chain, filling `seq`,
 * `prevHash` and `hash` under a per-chain lock, whatever the INSERT supplies: entries of one chain of
 * stores form a gap-free hash chain that `npm run audit:verify` (src/hash-chain/verify-chain.ts) re-checks.
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AccessOutcome } from '../enums';

@Entity()
@Index(['chainId', 'customerId', 'occurredAt'])
@Index(['chainId', 'userId', 'occurredAt'])
@Index(['chainId', 'seq'], { unique: true })
@Index(['emergencyAccessId'], { where: '"emergency_access_id" IS NOT NULL' })
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

  /** The client's User-Agent header (first 300 characters). */
  @Column({ type: 'varchar', nullable: true })
  userAgent: string | null;

  /** Why the data was read, as the client declared it (X-Access-Purpose header), or the emergency reason. */
  @Column({ type: 'varchar', nullable: true })
  purpose: string | null;

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

  /** The role assignments whose permissions granted the read (empty when denied, or granted only by an emergency access). */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  assignmentIds: string[];

  /** The break-the-glass access (core `emergency_access`) that granted the read, when nothing else did. */
  @Column({ type: 'uuid', nullable: true })
  emergencyAccessId: string | null;

  /** Which canonical form the hashes use: 1 (entries before v2) or 2 (src/hash-chain/access-log-canonical.ts). */
  @Column({ type: 'smallint', default: 2 })
  canonVersion: number;

  /** Version 2: SHA-256 of the entry's content, computed by the writer (or by the trigger when not given). */
  @Column({ type: 'bytea', nullable: true })
  contentHash: Buffer | null;

  /** Position in the chain of stores' log: 1, 2, 3… without gaps (set by the trigger). */
  @Column('bigint')
  seq: string;

  /** The previous entry's `hash` (32 zero bytes for seq 1). */
  @Column('bytea')
  prevHash: Buffer;

  /** SHA-256 over the entry's canonical form, which includes `prevHash` (see src/hash-chain/verify-chain.ts). */
  @Column('bytea')
  hash: Buffer;
}
