/**
 * UserTotp: a member of staff's TOTP authenticator (RFC 6238, SHA-1, 6 digits, 30 s), one row per user.
 * `secret` is the confirmed secret (raw bytes; the server must read it to check codes, so it cannot be hashed:
 * docs/mfa.md says how it is protected), null until a first enrolment is confirmed; `pendingSecret` is the secret of
 * an enrolment begun (`beginTotpEnrollment`) but not yet confirmed: a new begin replaces it, a confirm moves it to
 * `secret`. `lastUsedStep` is the last accepted time step: a code is accepted only for a later step (no replay).
 * Not a GraphQL type.
 */
import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity';

@Entity({ name: 'user_totp' })
export class UserTotp {
  @PrimaryColumn('uuid')
  userId: string;

  @OneToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('uuid')
  chainId: string;

  @Column({ type: 'bytea', nullable: true })
  secret: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'bigint', nullable: true })
  lastUsedStep: string | null;

  @Column({ type: 'bytea', nullable: true })
  pendingSecret: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  pendingSince: Date | null;
}
