/**
 * RetentionPolicy: a chain's rules for how long health records are kept (docs/retention.md). Adults: `adultYears`
 * after the last clinical contact; a child (younger than `childUnderAge` at the last contact): until the later of
 * their `childUntilAge`th birthday and `adultYears` after the last contact. One row per chain; a chain without a row
 * has the defaults (also the column defaults). Every change is an entry of the security settings history
 * (setting `RetentionPolicy`, src/hash-chain/security-setting-chain.ts).
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Chain } from './chain.entity';

/** The defaults of a chain that never changed its policy (UK health-record practice: 10 years; children to 25). */
export const DEFAULT_RETENTION_POLICY = {
  adultYears: 10,
  childUntilAge: 25,
  childUnderAge: 18,
} as const;

export type RetentionPolicyValues = { -readonly [K in keyof typeof DEFAULT_RETENTION_POLICY]: number };

/** The accepted range of each rule (src/services/retention/retention-policy.ts checks changes against it). */
export const RETENTION_POLICY_RANGES: Record<keyof typeof DEFAULT_RETENTION_POLICY, { min: number; max: number }> = {
  adultYears: { min: 1, max: 100 },
  childUntilAge: { min: 1, max: 100 },
  childUnderAge: { min: 1, max: 25 },
};

@ObjectType({ description: 'The chain’s retention rules for health records (the defaults until changed).' })
@Entity()
export class RetentionPolicy {
  @PrimaryColumn('uuid')
  chainId: string;

  @ManyToOne(() => Chain, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chain_id' })
  chain?: Chain;

  @Field(() => Int, { description: 'Years a record is kept after the customer’s last clinical contact (adults; children at least this too).' })
  @Column({ type: 'int', default: DEFAULT_RETENTION_POLICY.adultYears })
  adultYears: number;

  @Field(() => Int, { description: 'A child’s records are kept at least until this birthday (or adultYears after the last contact, whichever is later).' })
  @Column({ type: 'int', default: DEFAULT_RETENTION_POLICY.childUntilAge })
  childUntilAge: number;

  @Field(() => Int, { description: 'A customer younger than this on the day of their last clinical contact counts as a child.' })
  @Column({ type: 'int', default: DEFAULT_RETENTION_POLICY.childUnderAge })
  childUnderAge: number;

  @Field(() => Date, { nullable: true, description: 'When the policy was last changed (null: never, the defaults apply).' })
  @Column({ type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  /** Who last changed it (GraphQL: `updatedBy`). */
  @Column({ type: 'uuid', nullable: true })
  updatedById: string | null;
}
