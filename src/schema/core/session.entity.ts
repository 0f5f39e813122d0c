/**
 * Session: one signed-in browser of one user. The token itself is never stored, only its SHA-256.
 */
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

@Entity()
// One open session per user (one browser at a time), enforced by the database as well.
@Index('session_one_open_per_user', ['userId'], { unique: true, where: 'ended_at IS NULL' })
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('uuid')
  chainId: string;

  @Index({ unique: true })
  @Column({ type: 'bytea' })
  tokenHash: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;

  /** Absolute end, however active the session is. */
  @Column({ type: 'timestamptz' })
  maxExpiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** LOGOUT, REPLACED (a newer login), or null while open. Idle expiry is computed, not written. */
  @Column({ type: 'varchar', nullable: true })
  endedReason: string | null;

  @Column({ type: 'varchar', nullable: true })
  clientAddress: string | null;

  @Column({ type: 'varchar', nullable: true })
  userAgent: string | null;
}
