/**
 * RecoveryCode: one of a user's ten single-use recovery codes (NIST SP 800-63B-4 §3.1.2 look-up secrets), issued
 * when a TOTP enrolment is confirmed. Only an argon2id hash of the normalised code is stored (a 60-bit random code:
 * src/auth/totp/recovery-codes.ts; under 112 bits NIST wants a salted password hash); `usedAt` is set when it is
 * spent. A new confirmed enrolment deletes the old set.
 * Not a GraphQL type.
 */
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

@Entity({ name: 'recovery_code' })
@Index(['userId'])
export class RecoveryCode {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** argon2id, encoded (salt and parameters included). */
  @Column('text')
  codeHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
