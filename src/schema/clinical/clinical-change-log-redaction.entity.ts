/**
 * ClinicalChangeLogRedaction (clinical database): each redaction of the clinical change log's values for one
 * customer whose clinical records were disposed of after their retention period. See ChangeLogRedactionBase.
 * Append-only.
 */
import { Entity, Index } from 'typeorm';
import { ChangeLogRedactionBase } from '../audit/change-log-redaction.base';

@Entity()
@Index(['chainId', 'customerId'])
export class ClinicalChangeLogRedaction extends ChangeLogRedactionBase {}
