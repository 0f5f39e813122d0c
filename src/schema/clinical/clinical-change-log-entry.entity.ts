/**
 * ClinicalChangeLogEntry (clinical database): every change to clinical data (examinations with their
 * refractions, visual acuities and pressures, spectacle prescriptions, contact lens specifications,
 * clinical notes) with the changed fields' values before and after. Append-only and hash-chained per
 * chain of stores (migrations/clinical/*ClinicalChangeLog.ts); see ChangeLogEntryBase for the columns.
 */
import { Column, Entity, Index } from 'typeorm';
import { ChangeLogEntryBase } from '../audit/change-log-entry.base';

@Entity()
@Index(['chainId', 'occurredAt'])
@Index(['chainId', 'customerId', 'occurredAt'])
@Index(['chainId', 'userId', 'occurredAt'])
@Index(['chainId', 'seq'], { unique: true })
export class ClinicalChangeLogEntry extends ChangeLogEntryBase {
  /** The member of staff: every clinical change is made by one. */
  @Column('uuid')
  userId: string;

  @Column('uuid')
  sessionId: string;
}
