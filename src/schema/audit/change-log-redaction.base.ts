/**
 * ChangeLogRedactionBase: the record of one redaction of a change log's values (both databases: the personal
 * change log's in core, the clinical change log's in clinical). Written only by the SECURITY DEFINER functions
 * `personal_change_log_redact` / `clinical_change_log_redact` (migrations/<db>/*ChangeLogRedaction.ts), in the
 * same statement as the redaction: which chain and customer, which fields (null: all), how many entries, who
 * asked (user, request), why, when. Append-only. Identifiers and counts only. Not an entity of its own.
 */
import { Column, PrimaryGeneratedColumn } from 'typeorm';

export abstract class ChangeLogRedactionBase {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  chainId: string;

  /** The customer whose entries were redacted (an erased customer's tombstone keeps its id). */
  @Column('uuid')
  customerId: string;

  /** The fields redacted in each entry; null: every field. */
  @Column({ type: 'text', array: true, nullable: true })
  fields: string[] | null;

  /** How many entries were redacted (entries already redacted are not counted again). */
  @Column('int')
  entries: number;

  /** The member of staff on whose behalf (null: the retention run). */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar' })
  requestId: string;

  /** Why: the erasure request, or the retention rule. */
  @Column('text')
  reason: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  redactedAt: Date;
}
