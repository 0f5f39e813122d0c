/**
 * ClinicalChangeLogEntry (clinical database): every change to clinical data (examinations with their
 * refractions, visual acuities and pressures, spectacle prescriptions, contact lens specifications,
 * clinical notes) with the changed fields' values before and after. Append-only and hash-chained per
 * chain of stores (migrations/clinical/*ClinicalChangeLog.ts); see ChangeLogEntryBase for the columns.
 */
import { Check, Column, Entity, Index } from 'typeorm';
import { ChangeLogEntryBase } from '../audit/change-log-entry.base';

@Entity()
@Index(['chainId', 'occurredAt'])
@Index(['chainId', 'customerId', 'occurredAt'])
@Index(['chainId', 'userId', 'occurredAt'])
@Index(['chainId', 'seq'], { unique: true })
@Check('CHK_clinical_change_log_entry_author',
  `(user_id IS NOT NULL AND session_id IS NOT NULL) OR (user_id IS NULL AND session_id IS NULL AND action = 'DELETE')`)
export class ClinicalChangeLogEntry extends ChangeLogEntryBase {
  /**
   * The member of staff: every clinical change is made by one, but a record disposed of after its retention
   * period by the retention run (action DELETE, no user and no session: src/services/erasure/).
   */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;
}
