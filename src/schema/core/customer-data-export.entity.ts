/**
 * CustomerDataExport: one disclosure of one customer's data to its subject's request, through
 * GET /exports/customers/{id} (access and portability, src/server/customer-export-route.ts). Who (user and
 * the session or API token), when, from which request and address, whose data, the data-subject request it
 * answers (if given), the format, whether the stream completed and which parts left. Identifiers only,
 * never the data itself. Append-only (the database rejects UPDATE, DELETE and TRUNCATE). Each export counts
 * its customer toward the BULK_EXPORTS anomaly rule from here (src/audit/anomaly-check.ts).
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
@Index(['chainId', 'userId', 'occurredAt'])
@Index(['chainId', 'customerId'])
export class CustomerDataExport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Column('uuid')
  userId: string;

  /** The session, or the API token, the export was made under. */
  @Column('uuid')
  sessionId: string;

  @Column({ type: 'varchar' })
  requestId: string;

  @Column({ type: 'varchar', nullable: true })
  clientAddress: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column('uuid')
  customerId: string;

  /** The ACCESS or PORTABILITY data-subject request the export answers (null: none named). */
  @Column({ type: 'uuid', nullable: true })
  dataRequestId: string | null;

  /** 'xml' or 'json'. */
  @Column({ type: 'varchar' })
  format: string;

  /** False when the stream was cut off (client disconnect or an error) before its end. */
  @Column('boolean')
  completed: boolean;

  /** The parts (sections of the document) that were sent, in order; all of them when completed. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  parts: string[];
}
