/**
 * MfaChallenge: the short-lived proof that a user gave the right password at `login` and now owes a second factor
 * (`verifyMfa`). The challenge text (`vsc_` + 43 base64url characters, src/auth/mfa-challenge.ts) is handed out
 * once; only its SHA-256 is stored. Valid 5 minutes, used once (`usedAt`, also set when it dies after 5 wrong
 * codes: `failures`). Not a GraphQL type. The login's throttled attempt is withdrawn when the challenge is issued
 * (the password was right), and each `verifyMfa` reserves its own (src/auth/login-throttle.ts).
 */
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

@Entity({ name: 'mfa_challenge' })
@Index(['userId', 'createdAt'])
export class MfaChallenge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('uuid')
  chainId: string;

  @Index({ unique: true })
  @Column('bytea')
  tokenHash: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz')
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  failures: number;
}
