/**
 * LoginAttempt: one sign-in attempt, kept to throttle password guessing across all API processes.
 * The email is stored only as its SHA-256 (attempts at unknown emails are throttled too).
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
@Index(['emailHash', 'attemptedAt'])
@Index(['clientAddress', 'attemptedAt'])
export class LoginAttempt {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'bytea' })
  emailHash: Buffer;

  @Column({ type: 'varchar', nullable: true })
  clientAddress: string | null;

  @Column()
  succeeded: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  attemptedAt: Date;
}
