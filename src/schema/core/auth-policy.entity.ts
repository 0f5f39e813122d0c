/**
 * AuthPolicy: a chain's sign-in rules (docs/auth-policy.md): which roles must sign in with a second factor, which with
 * a passkey, and its sessions' idle timeout and maximum. One row per chain; a chain without a row has the defaults
 * (src/services/auth-policy/auth-policy-defaults.ts). A null column keeps that rule's default: the second-factor
 * roles derived from the roles' permissions, the idle timeout and maximum of the process configuration
 * (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS). Every change is an entry of the security settings history (setting `AuthPolicy`).
 */
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Chain } from './chain.entity';

/** The accepted range of each session limit (src/services/auth-policy/ checks changes against it). */
export const AUTH_POLICY_RANGES = {
  idleTimeoutMinutes: { min: 1, max: 60 },
  sessionMaxHours: { min: 1, max: 24 },
} as const;

@Entity()
export class AuthPolicy {
  @PrimaryColumn('uuid')
  chainId: string;

  @ManyToOne(() => Chain, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chain_id' })
  chain?: Chain;

  /** Roles whose holders must sign in with a second factor; null: the default (every role with clinical read or any export). */
  @Column({ type: 'uuid', array: true, nullable: true })
  secondFactorRoleIds: string[] | null;

  /** Roles whose holders must sign in with a passkey (which is a second factor too). */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  passkeyRoleIds: string[];

  /** Minutes a session may stay unused (1-60); null: SESSION_IDLE_MINUTES. */
  @Column({ type: 'int', nullable: true })
  idleTimeoutMinutes: number | null;

  /** Hours a session lasts at most (1-24); null: SESSION_MAX_HOURS. */
  @Column({ type: 'int', nullable: true })
  sessionMaxHours: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  updatedById: string | null;
}
