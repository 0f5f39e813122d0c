/**
 * SpectaclePrescription (clinical): issued after a sight test; per-eye sphere, cylinder, axis, near
 * add and prism, with the prescriber and the outcome. Per-eye values are flat columns (right*, left*).
 */
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../db/column-transformers';
import { PrescriptionOutcome, PrismBaseHorizontal, PrismBaseVertical } from '../enums';

@ObjectType({ description: 'A spectacle prescription.' })
@Entity()
export class SpectaclePrescription {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  storeId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  customerId: string;

  @Field(() => ID)
  @Column({ type: 'uuid', nullable: true })
  examinationId: string | null;

  @Field(() => GraphQLLocalDate)
  @Column({ type: 'date' })
  issuedOn: string;

  @Field(() => ID)
  @Column('uuid')
  prescriberId: string;

  @Field({ description: 'Prescriber name as printed on the prescription.' })
  @Column()
  prescriberName: string;

  @Field({ description: 'Prescriber professional registration number (e.g. GOC).' })
  @Column()
  prescriberRegistrationNumber: string;

  @Field(() => PrescriptionOutcome)
  @Column({ type: 'enum', enum: PrescriptionOutcome, enumName: 'prescription_outcome' })
  outcome: PrescriptionOutcome;

  @Field(() => String)
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericTransformer })
  rightSphere: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericTransformer })
  rightCylinder: number | null;

  @Field(() => Int)
  @Column({ type: 'smallint', nullable: true })
  rightAxis: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  rightNearAdd: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  rightPrismHorizontal: number | null;

  @Field(() => PrismBaseHorizontal)
  @Column({ type: 'enum', enum: PrismBaseHorizontal, enumName: 'prism_base_horizontal', nullable: true })
  rightPrismHorizontalBase: PrismBaseHorizontal | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  rightPrismVertical: number | null;

  @Field(() => PrismBaseVertical)
  @Column({ type: 'enum', enum: PrismBaseVertical, enumName: 'prism_base_vertical', nullable: true })
  rightPrismVerticalBase: PrismBaseVertical | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericTransformer })
  leftSphere: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericTransformer })
  leftCylinder: number | null;

  @Field(() => Int)
  @Column({ type: 'smallint', nullable: true })
  leftAxis: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  leftNearAdd: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  leftPrismHorizontal: number | null;

  @Field(() => PrismBaseHorizontal)
  @Column({ type: 'enum', enum: PrismBaseHorizontal, enumName: 'prism_base_horizontal', nullable: true })
  leftPrismHorizontalBase: PrismBaseHorizontal | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  leftPrismVertical: number | null;

  @Field(() => PrismBaseVertical)
  @Column({ type: 'enum', enum: PrismBaseVertical, enumName: 'prism_base_vertical', nullable: true })
  leftPrismVerticalBase: PrismBaseVertical | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
