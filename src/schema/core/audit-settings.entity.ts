/**
 * AuditSettings: a chain's settings for the audit trail's alerts: the anomaly thresholds and window
 * (src/audit/anomaly-check.ts), how long break-the-glass emergency access lasts, and the data-quality
 * verification period (src/services/registers/verification.ts). One row per chain;
 * a chain without a row has the defaults (src/services/audit/audit-settings.ts), which are also the column defaults.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Chain } from './chain.entity';

/** The defaults of a chain that never changed its settings. */
export const DEFAULT_AUDIT_SETTINGS = {
  anomalyDistinctCustomers: 50,
  anomalyWindowMinutes: 60,
  anomalyExportCustomers: 100,
  emergencyAccessMinutes: 60,
  verificationPeriodMonths: 12,
} as const;

/** The accepted range of each setting (src/services/audit/audit-settings.ts checks changes against it). */
export const AUDIT_SETTING_RANGES: Record<keyof typeof DEFAULT_AUDIT_SETTINGS, { min: number; max: number }> = {
  anomalyDistinctCustomers: { min: 1, max: 100_000 },
  anomalyWindowMinutes: { min: 1, max: 24 * 60 },
  anomalyExportCustomers: { min: 1, max: 100_000 },
  emergencyAccessMinutes: { min: 5, max: 12 * 60 },
  verificationPeriodMonths: { min: 1, max: 60 },
};

@ObjectType({ description: 'The chain’s audit settings: anomaly alert thresholds, the length of emergency access and the data-quality verification period.' })
@Entity()
export class AuditSettings {
  @PrimaryColumn('uuid')
  chainId: string;

  @ManyToOne(() => Chain, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chain_id' })
  chain?: Chain;

  @Field(() => Int, { description: 'A user who reads the clinical records of more distinct customers than this within the window raises a BULK_CLINICAL_READS event.' })
  @Column({ type: 'int', default: DEFAULT_AUDIT_SETTINGS.anomalyDistinctCustomers })
  anomalyDistinctCustomers: number;

  @Field(() => Int, { description: 'The sliding window of both anomaly rules, in minutes.' })
  @Column({ type: 'int', default: DEFAULT_AUDIT_SETTINGS.anomalyWindowMinutes })
  anomalyWindowMinutes: number;

  @Field(() => Int, { description: 'A user who exports data of more distinct customers than this within the window raises a BULK_EXPORTS event.' })
  @Column({ type: 'int', default: DEFAULT_AUDIT_SETTINGS.anomalyExportCustomers })
  anomalyExportCustomers: number;

  @Field(() => Int, { description: 'How long break-the-glass emergency access lasts, in minutes.' })
  @Column({ type: 'int', default: DEFAULT_AUDIT_SETTINGS.emergencyAccessMinutes })
  emergencyAccessMinutes: number;

  @Field(() => Int, { description: 'Data quality (Art. 5(1)(d)): a customer whose details were not confirmed for this many months is due for verification (verificationDue).' })
  @Column({ type: 'int', default: DEFAULT_AUDIT_SETTINGS.verificationPeriodMonths })
  verificationPeriodMonths: number;

  @Field(() => Date, { nullable: true, description: 'When the settings were last changed (null: never, the defaults apply).' })
  @Column({ type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  /** Who last changed them (GraphQL: `updatedBy`). */
  @Column({ type: 'uuid', nullable: true })
  updatedById: string | null;
}
