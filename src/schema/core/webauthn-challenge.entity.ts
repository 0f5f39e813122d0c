/**
 * WebauthnChallenge: one WebAuthn ceremony's challenge (docs/passkeys.md), handed out by
 * `beginPasskeyRegistration` (purpose REGISTRATION: bound to the user and the session that asked) or
 * `beginPasskeySignIn` (purpose AUTHENTICATION: anonymous, answered by `finishPasskeySignIn` or
 * `reauthenticateWithPasskey`). Valid 5 minutes, used once (`usedAt`, set by one atomic UPDATE whether the
 * answer then verifies or not, so a challenge can never be answered twice).
 */
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class WebauthnChallenge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** REGISTRATION or AUTHENTICATION. */
  @Column({ type: 'varchar', length: 20 })
  purpose: string;

  /** The challenge as sent to the authenticator (base64url of 32 random bytes). */
  @Column('text')
  challenge: string;

  /** REGISTRATION: who asked; null for AUTHENTICATION. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  /** REGISTRATION: the session that asked (its answer must come from the same session). */
  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Index()
  @Column('timestamptz')
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
