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

  /**
   * Minutes this session may stay unused before it ends: the chain's auth policy at sign-in (src/auth/session-limits.ts),
   * so a later policy change applies to new sessions only.
   */
  @Column({ type: 'int', default: 15 })
  idleMinutes: number;

  /** LOGOUT, REPLACED (a newer login), or null while open. Idle expiry is computed, not written. */
  @Column({ type: 'varchar', nullable: true })
  endedReason: string | null;

  /**
   * When the holder last proved who they are: at sign-in, and again at each `reauthenticate`. Sensitive acts
   * (breaking the glass, exports, role changes) need it to be recent.
   */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  authenticatedAt: Date;

  /**
   * FULL: an ordinary session. ENROLMENT: signed in with a password alone by a user whose role requires a second
   * factor they have not enrolled yet; such a session may only enrol it (and read `me`, sign out).
   */
  @Column({ type: 'varchar', length: 16, default: 'FULL' })
  scope: string;

  /** The second factor the sign-in used (TOTP, RECOVERY_CODE, PASSKEY), or null for a password alone. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  secondFactor: string | null;

  @Column({ type: 'varchar', nullable: true })
  clientAddress: string | null;

  @Column({ type: 'varchar', nullable: true })
  userAgent: string | null;
}
