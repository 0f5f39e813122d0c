/**
 * Breach: one personal data breach in the chain's breach register (Art. 33(5) GDPR: every breach is recorded,
 * notified or not). When it was discovered, what happened, which data, how many customers (estimated, or counted
 * from the clinical access log for a user and a time range), the risk assessment, and the decisions: notified to
 * the supervisory authority (when, and why late after the 72-hour deadline) or decided not notifiable (why), and
 * whether the customers were told (Art. 34). Chain-wide: no store, no customer id. Every change is a BreachEvent.
 * The rules are in src/services/registers/breach-rules.ts.
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BreachRisk } from '../enums';

@ObjectType({ description: 'A personal data breach in the chain’s breach register (Art. 33(5) GDPR).' })
@Entity()
@Index(['chainId', 'discoveredAt'])
export class Breach {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => Date, { description: 'When the chain became aware of the breach: the 72-hour clock starts here.' })
  @Column({ type: 'timestamptz' })
  discoveredAt: Date;

  @Field(() => Date, { description: 'When the breach happened (or began), if known.' })
  @Column({ type: 'timestamptz', nullable: true })
  occurredAt: Date | null;

  @Field(() => String, { description: 'What happened.' })
  @Column('text')
  description: string;

  @Field(() => [String], { description: 'The categories of personal data concerned (e.g. contact details, clinical records).' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  dataCategories: string[];

  @Field(() => Int, { description: 'How many customers are affected (approximately, where not known exactly); null: not yet known.' })
  @Column({ type: 'int', nullable: true })
  affectedCustomers: number | null;

  @Field(() => ID, { description: 'When the count came from the access log: the member of staff whose reads were counted.' })
  @Column({ type: 'uuid', nullable: true })
  affectedCountUserId: string | null;

  @Field(() => Date, { description: 'When the count came from the access log: the start of the range counted.' })
  @Column({ type: 'timestamptz', nullable: true })
  affectedCountFrom: Date | null;

  @Field(() => Date, { description: 'When the count came from the access log: the end of the range counted.' })
  @Column({ type: 'timestamptz', nullable: true })
  affectedCountTo: Date | null;

  @Field(() => BreachRisk, { description: 'The risk to the customers’ rights and freedoms (Art. 33(1), 34(1)).' })
  @Column({ type: 'enum', enum: BreachRisk, enumName: 'breach_risk' })
  risk: BreachRisk;

  @Field(() => String, { description: 'Why that risk: the assessment (likely consequences, Art. 33(3)(c)).' })
  @Column('text')
  riskAssessment: string;

  @Field(() => String, { description: 'Measures taken or proposed to address the breach and mitigate its effects (Art. 33(3)(d)).' })
  @Column({ type: 'text', nullable: true })
  measures: string | null;

  @Field(() => Date, { description: 'When the supervisory authority was notified; null: not (yet) notified.' })
  @Column({ type: 'timestamptz', nullable: true })
  notifiedAuthorityAt: Date | null;

  @Field(() => String, { description: 'The authority’s reference for the notification.' })
  @Column({ type: 'varchar', nullable: true })
  authorityReference: string | null;

  @Field(() => String, { description: 'Why the breach was decided not notifiable (only for a breach UNLIKELY to result in a risk); null: no such decision.' })
  @Column({ type: 'text', nullable: true })
  notNotifiableReason: string | null;

  @Field(() => String, { description: 'Why the authority was notified after the 72-hour deadline (Art. 33(1)); required then.' })
  @Column({ type: 'text', nullable: true })
  delayReason: string | null;

  @Field(() => Date, { description: 'When the affected customers were told (Art. 34); null: not told.' })
  @Column({ type: 'timestamptz', nullable: true })
  customersNotifiedAt: Date | null;

  @Field(() => String, { description: 'Why the customers of a HIGH_RISK breach are not told individually (an Art. 34(3) exception).' })
  @Column({ type: 'text', nullable: true })
  customersNotNotifiedReason: string | null;

  @Field(() => ID, { description: 'Who recorded the breach.' })
  @Column('uuid')
  recordedById: string;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
