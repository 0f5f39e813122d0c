/**
 * ProcessingActivity: one entry of the chain's records of processing activities (Art. 30(1) GDPR): its name and
 * purpose, its lawful bases (Art. 6(1)) and, for special category data such as health data, the Art. 9(2)
 * condition, the categories of data and of data subjects, the recipients, international transfers, how long the
 * data is kept, the security measures, and the controller's and the DPO's contact. Chain-wide; every change is a
 * ProcessingActivityChange. The seed writes the platform's own activities (src/seed/processing-activities.ts).
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ProcessingBasis, SpecialCategoryCondition } from '../enums';

@ObjectType({ description: 'An entry of the chain’s records of processing activities (Art. 30(1) GDPR).' })
@Entity()
@Index(['chainId', 'name'], { unique: true })
export class ProcessingActivity {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => String, { description: 'The activity’s name (unique in the chain).' })
  @Column({ type: 'varchar' })
  name: string;

  @Field(() => String, { description: 'The purpose of the processing (Art. 30(1)(b)).' })
  @Column('text')
  purpose: string;

  @Field(() => [ProcessingBasis], { description: 'The lawful bases, Art. 6(1) (several where parts of the activity rest on different bases).' })
  @Column({ type: 'enum', enum: ProcessingBasis, enumName: 'processing_basis', array: true })
  lawfulBases: ProcessingBasis[];

  @Field(() => String, { description: 'How the bases apply (e.g. the soft opt-in of PECR reg. 22(3) for email marketing to customers).' })
  @Column({ type: 'text', nullable: true })
  lawfulBasisNotes: string | null;

  @Field(() => SpecialCategoryCondition, { description: 'For special category data (health data): the Art. 9(2) condition; null: no special category data.' })
  @Column({ type: 'enum', enum: SpecialCategoryCondition, enumName: 'special_category_condition', nullable: true })
  specialCategoryCondition: SpecialCategoryCondition | null;

  @Field(() => [String], { description: 'The categories of personal data (Art. 30(1)(c)).' })
  @Column({ type: 'text', array: true })
  dataCategories: string[];

  @Field(() => [String], { description: 'The categories of data subjects (Art. 30(1)(c)).' })
  @Column({ type: 'text', array: true })
  dataSubjects: string[];

  @Field(() => [String], { description: 'The categories of recipients (Art. 30(1)(d)); empty: none outside the chain.' })
  @Column({ type: 'text', array: true })
  recipients: string[];

  @Field(() => String, { description: 'Transfers to a third country or an international organisation, with their safeguards (Art. 30(1)(e)); null: none.' })
  @Column({ type: 'text', nullable: true })
  internationalTransfers: string | null;

  @Field(() => String, { description: 'How long the data is kept (Art. 30(1)(f)).' })
  @Column('text')
  retention: string;

  @Field(() => String, { description: 'The technical and organisational security measures (Art. 30(1)(g), Art. 32).' })
  @Column('text')
  securityMeasures: string;

  @Field(() => String, { description: 'The controller’s name and contact details (Art. 30(1)(a)).' })
  @Column('text')
  controllerContact: string;

  @Field(() => String, { description: 'The data protection officer’s contact details (Art. 30(1)(a)).' })
  @Column('text')
  dpoContact: string;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => ID, { description: 'Who last changed the entry (null: the seed).' })
  @Column({ type: 'uuid', nullable: true })
  updatedById: string | null;
}
