/**
 * PersonalChangeLogRedaction (core database): each redaction of the personal change log's values for one
 * customer (erasure, inactivation, disposal after retention). See ChangeLogRedactionBase. Append-only.
 */
import { Entity, Index } from 'typeorm';
import { ChangeLogRedactionBase } from '../audit/change-log-redaction.base';

@Entity()
@Index(['chainId', 'customerId'])
export class PersonalChangeLogRedaction extends ChangeLogRedactionBase {}
