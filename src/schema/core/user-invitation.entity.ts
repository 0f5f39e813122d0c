/**
 * UserInvitation: a one-time token with which a member of staff sets their own password (`acceptInvitation`),
 * issued by `createUser` (kind STAFF) and `resetUserPassword`. The token text (`vsi_` + 43 base64url characters,
 * src/auth/invitation-token.ts) is shown once to the admin who made it; only its SHA-256 is stored. Valid 24 hours;
 * used once (`usedAt`); a newer invitation of the same user, or the user's deactivation, revokes it (`revokedAt`).
 * Not a GraphQL type: the `Invitation` answer (src/schema/core/invitation.types.ts) carries the text and expiry only.
 */
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

@Entity({ name: 'user_invitation' })
@Index(['chainId', 'userId'])
export class UserInvitation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** SHA-256 of the token text. */
  @Index({ unique: true })
  @Column('bytea')
  tokenHash: Buffer;

  @Column('uuid')
  createdById: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz')
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
