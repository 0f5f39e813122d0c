/**
 * RetentionRun: one run of `npm run retention` for one chain that wrote to the database (`--apply`, or a dry run
 * recorded with `--as`): when, dry run or apply, who ran it (the member of staff named with `--as`, whose rights
 * allowed the disposals) and the counts. Identifiers and counts only. Append-only (the database rejects UPDATE,
 * DELETE and TRUNCATE).
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
@Index(['chainId', 'startedAt'])
export class RetentionRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  /** The member of staff the run acted as (`--as <email>`). */
  @Column('uuid')
  userId: string;

  /** The run's own session record (ended, unusable), which its change-log entries name; null when it wrote none. */
  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  /** The request id every change-log entry of the run carries (`retention:<run id>`). */
  @Column({ type: 'varchar' })
  requestId: string;

  /** The operating-system account and host that ran the script (informational). */
  @Column({ type: 'varchar', nullable: true })
  runBy: string | null;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  finishedAt: Date;

  @Column({ type: 'boolean' })
  dryRun: boolean;

  /** The retention policy applied (adultYears, childUntilAge, childUnderAge). */
  @Column({ type: 'jsonb' })
  policy: Record<string, number>;

  /** Customers with clinical records looked at. */
  @Column({ type: 'int' })
  examined: number;

  /** Customers whose retention has ended and who are not held. */
  @Column({ type: 'int' })
  due: number;

  /** Customers whose retention has ended but who are under a legal hold. */
  @Column({ type: 'int' })
  held: number;

  /** Disposals an earlier run began and did not finish (finished by an apply). */
  @Column({ type: 'int', default: 0 })
  unfinished: number;

  /** Due customers the operator's rights do not reach (not disposed). */
  @Column({ type: 'int' })
  notPermitted: number;

  @Column({ type: 'int' })
  disposed: number;

  @Column({ type: 'int' })
  failed: number;
}
