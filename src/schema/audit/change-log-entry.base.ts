/**
 * ChangeLogEntryBase: the columns of a data change log entry, shared by the personal change log (core
 * database) and the clinical change log (clinical database). One entry per record a mutation created,
 * changed, signed, cancelled or removed: who (user, session), from where (request, client address, user
 * agent, GraphQL operation), what (action, catalog subject, record type and id, customer, store) and the
 * changed fields with their values before and after (`changes`, jsonb). Written by src/hash-chain/change-log.ts
 * in the mutation's own transaction. Not an entity or a GraphQL type of its own.
 *
 * Who: `userId` and `sessionId` are the staff user and session; in the personal change log both are null
 * for the customer's own change through a customer channel (see PersonalChangeLogEntry).
 *
 * Tamper-evident like the clinical access log: a BEFORE INSERT trigger fills `seq`, `prevHash` and `hash`
 * under a per-chain lock (migrations/<db>/*ChangeLog.ts); src/hash-chain/change-log-chain.ts re-checks them.
 */
import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { ChangeAction } from '../enums';

/** One changed field: its value before and after (JSON; null before on create, null after on removal). */
export interface FieldValues {
  before: unknown;
  after: unknown;
}

export abstract class ChangeLogEntryBase {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  chainId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  // userId and sessionId (who, in which session) are declared by each log: the personal change log also
  // holds entries no member of staff made (the customer's own, through the unsubscribe link).

  @Column()
  requestId: string;

  @Column({ type: 'varchar', nullable: true })
  clientAddress: string | null;

  @Column({ type: 'varchar', nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', nullable: true })
  operationName: string | null;

  @Column({ type: 'enum', enum: ChangeAction, enumName: 'change_action' })
  action: ChangeAction;

  /** The catalog subject the record belongs to (an examination's findings: Examination). */
  @Column()
  subject: string;

  /** The kind of record (the GraphQL type): Customer, Consent, Refraction… */
  @Column()
  recordType: string;

  @Column('uuid')
  recordId: string;

  @Column('uuid')
  customerId: string;

  @Column({ type: 'uuid', nullable: true })
  storeId: string | null;

  /**
   * `{ "<field>": { "before": <value>, "after": <value> }, … }` for the changed fields only. After an erasure
   * or disposal a field's values may be redacted to `{ "redacted": true }` (src/hash-chain/change-log-redaction.ts).
   */
  @Column('jsonb')
  changes: Record<string, FieldValues | { redacted: true }>;

  /**
   * SHA-256 of `changes::text` as written (set by the trigger). The hash chain covers this digest, not the
   * values themselves, so redacting `changes` leaves the chain intact; the verifier checks the digest
   * wherever the values are still present.
   */
  @Column('bytea')
  changesDigest: Buffer;

  /** Position in the chain of stores' log: 1, 2, 3… without gaps (set by the trigger). */
  @Column('bigint')
  seq: string;

  /** The previous entry's `hash` (32 zero bytes for seq 1). */
  @Column('bytea')
  prevHash: Buffer;

  /** SHA-256 over the entry's canonical form, which includes `prevHash` (see src/hash-chain/change-log-chain.ts). */
  @Column('bytea')
  hash: Buffer;
}
