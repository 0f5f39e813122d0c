/**
 * MarketingListExport: one export of a marketing list, whichever way it left: a page of the `marketingList`
 * query (route GRAPHQL) or one streamed export (route STREAM, GET /exports/marketing-list). Who (user and
 * the session or API token), when, from which request and address, the filter (channel, store ids), the
 * format, how many customers left, the manifest's content hash and whether the stream completed.
 * Identifiers and counts only, never a customer. Append-only (the database rejects UPDATE, DELETE and
 * TRUNCATE). Streamed exports count toward the BULK_EXPORTS anomaly rule from here (src/audit/anomaly-check.ts).
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentChannel } from '../enums';

@Entity()
@Index(['chainId', 'userId', 'occurredAt'])
export class MarketingListExport {
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

  /** 'GRAPHQL' (one page of the query) or 'STREAM' (the streamed export). */
  @Column({ type: 'varchar' })
  route: string;

  @Column({ type: 'enum', enum: ConsentChannel, enumName: 'consent_channel' })
  channel: ConsentChannel;

  /** The `storeIds` filter as given (empty: the caller's whole list scope). */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  storeIds: string[];

  /** 'csv' or 'ndjson' for a stream; null for a GraphQL page. */
  @Column({ type: 'varchar', nullable: true })
  format: string | null;

  /** Customers that left: the page's edges, or the rows streamed (before a disconnect, those sent). */
  @Column('int')
  rowCount: number;

  /** The manifest's content hash (lowercase hex SHA-256 of the whole list, docs/marketing-lists.md). */
  @Column({ type: 'varchar', length: 64 })
  manifestHash: string;

  /** False when the stream was cut off (client disconnect or an error) before its end. */
  @Column('boolean')
  completed: boolean;
}
