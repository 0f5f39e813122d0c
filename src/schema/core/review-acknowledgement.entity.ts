/**
 * ReviewAcknowledgement: a reviewer's acknowledgement of one reviewable item (a security event; later
 * an emergency access), with who, when and a note. At most one per item ((itemKind, itemId) is
 * unique). Append-only (the database rejects UPDATE, DELETE and TRUNCATE). Written and read through
 * src/services/audit/acknowledgements.ts.
 */
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ReviewItemKind } from '../enums';

@Entity()
@Index(['itemKind', 'itemId'], { unique: true })
@Check('CHK_review_acknowledgement_note', 'char_length(note) BETWEEN 1 AND 1000')
export class ReviewAcknowledgement {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  chainId: string;

  @Column({ type: 'enum', enum: ReviewItemKind, enumName: 'review_item_kind' })
  itemKind: ReviewItemKind;

  /** The reviewed item's id, as text (security events have bigint ids; other kinds may use uuids). */
  @Column({ type: 'varchar', length: 64 })
  itemId: string;

  @Column('uuid')
  acknowledgedById: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  acknowledgedAt: Date;

  @Column({ type: 'text' })
  note: string;
}
