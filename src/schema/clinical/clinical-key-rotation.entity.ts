/**
 * ClinicalKeyRotation (clinical database): one run of `npm run keys:rotate` and its progress, so that an
 * interrupted run resumes where it stopped: from which master key to which, RUNNING until every data key is
 * re-wrapped and every encrypted row re-encrypted under its chain's new data key, then DONE.
 * Not in the GraphQL schema.
 */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum KeyRotationState {
  RUNNING = 'RUNNING',
  DONE = 'DONE',
}

@Entity()
@Index('UQ_clinical_key_rotation_running', ['state'], { unique: true, where: `state = 'RUNNING'` })
export class ClinicalKeyRotation {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  fromMasterKeyId: string;

  @Column({ type: 'varchar', length: 16 })
  toMasterKeyId: string;

  @Column({ type: 'enum', enum: KeyRotationState, enumName: 'key_rotation_state' })
  state: KeyRotationState;

  /** Rows to re-encrypt, counted when the run started, and rows re-encrypted so far (committed with each batch). */
  @Column('integer')
  rowsTotal: number;

  @Column('integer', { default: 0 })
  rowsDone: number;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
