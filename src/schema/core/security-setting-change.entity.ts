/**
 * SecuritySettingChange: one change of a chain's security settings (today the audit settings: anomaly
 * thresholds and window, emergency access length), with every setting's value before and after and the
 * names of the settings it weakened. Append-only and hash-chained per chain of stores, like the change logs:
 * a BEFORE INSERT trigger dates it (the database's clock under the chain's lock) and sets `seq`, `prevHash`
 * and `hash` (migrations/core/*SecuritySettingHistory.ts; verified by `npm run audit:verify`,
 * src/hash-chain/security-setting-chain.ts). Written in the same transaction as the change. Not yet readable through
 * the API (planned: a review query); the weakening it records reaches reviewers as a security event.
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
@Index(['chainId', 'seq'], { unique: true })
export class SecuritySettingChange {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  chainId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column('uuid')
  userId: string;

  @Column('uuid')
  sessionId: string;

  @Column()
  requestId: string;

  @Column()
  setting: string;

  @Column('jsonb')
  before: Record<string, unknown>;

  @Column('jsonb')
  after: Record<string, unknown>;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  weakened: string[];

  @Column('bigint')
  seq: string;

  @Column('bytea')
  prevHash: Buffer;

  @Column('bytea')
  hash: Buffer;
}
