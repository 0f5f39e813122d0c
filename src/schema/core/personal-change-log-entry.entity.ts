/**
 * PersonalChangeLogEntry (core database): every change to personal data (customers, consents,
 * appointments) with the changed fields' values before and after. Append-only and hash-chained per
 * chain of stores (migrations/core/*PersonalChangeLog.ts); see ChangeLogEntryBase for the columns.
 *
 * Who: the member of staff (`userId`) and their session (`sessionId`), or neither: an entry without a
 * user is the customer's own change through a customer channel, today only the consent withdrawal of an
 * unsubscribe link (src/services/unsubscribe-links.ts; its `operationName` is `POST /consent/unsubscribe`,
 * which no GraphQL operation can be named). The database holds both or neither, and no user only on Consent.
 * The other entries without a user are the retention run's disposals (action ERASE: src/services/erasure/).
 * NULL has its own encoding in the hash chain's canonical form, so such entries chain and verify like any other.
 */
import { Check, Column, Entity, Index } from 'typeorm';
import { ChangeLogEntryBase } from '../audit/change-log-entry.base';

@Entity()
@Index(['chainId', 'occurredAt'])
@Index(['chainId', 'customerId', 'occurredAt'])
@Index(['chainId', 'userId', 'occurredAt'])
@Index(['chainId', 'seq'], { unique: true })
@Check('CHK_personal_change_log_entry_author',
  `(user_id IS NOT NULL AND session_id IS NOT NULL) OR (user_id IS NULL AND session_id IS NULL AND (subject = 'Consent' OR action = 'ERASE'))`)
export class PersonalChangeLogEntry extends ChangeLogEntryBase {
  /** The member of staff who made the change; null for the customer's own change (see above). */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;
}
