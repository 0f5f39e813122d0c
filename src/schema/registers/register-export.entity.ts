/**
 * RegisterExport: one export of a DPO register (the records of processing, GET /exports/processing-activities):
 * who, under which session, when, from which request and address, which register, in which format, how many
 * entries. No personal data. Append-only (the database rejects UPDATE, DELETE and TRUNCATE).
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
@Index(['chainId', 'occurredAt'])
export class RegisterExport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Column('uuid')
  userId: string;

  @Column('uuid')
  sessionId: string;

  @Column({ type: 'varchar' })
  requestId: string;

  @Column({ type: 'varchar', nullable: true })
  clientAddress: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  /** 'processing-activities'. */
  @Column({ type: 'varchar' })
  register: string;

  /** 'json' or 'csv'. */
  @Column({ type: 'varchar' })
  format: string;

  @Column('int')
  entryCount: number;
}
