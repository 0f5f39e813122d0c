/**
 * SpectaclePrescription (clinical): issued after a sight test; per-eye sphere, cylinder, axis, near
 * add and prism, with the prescriber and the outcome. Per-eye values are flat columns (right*, left*).
 */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { numericTransformer } from '../column-transformers';
import { PrescriptionOutcome, PrismBaseHorizontal, PrismBaseVertical } from '../enums';
import { IssuedPrescriptionBase } from './issued-prescription.base';

@ObjectType({ description: 'A spectacle prescription.' })
@Entity()
export class SpectaclePrescription extends IssuedPrescriptionBase {
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
}
