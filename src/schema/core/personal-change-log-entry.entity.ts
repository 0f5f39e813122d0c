/**
 * PersonalChangeLogEntry (core database): every change to personal data (customers, consents,
 * appointments) with the changed fields' values before and after. Append-only and hash-chained per
 * chain of stores (migrations/core/*PersonalChangeLog.ts); see ChangeLogEntryBase for the columns.
 */
import { Entity, Index } from 'typeorm';
import { ChangeLogEntryBase } from '../audit/change-log-entry.base';

@Entity()
@Index(['chainId', 'occurredAt'])
@Index(['chainId', 'customerId', 'occurredAt'])
@Index(['chainId', 'userId', 'occurredAt'])
@Index(['chainId', 'seq'], { unique: true })
export class PersonalChangeLogEntry extends ChangeLogEntryBase {}
