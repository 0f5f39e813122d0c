/**
 * ContactLensSpecification (clinical): per-eye lens parameters and an expiry date after which lenses
 * must not be supplied (Opticians Act); for under-16s it carries the date of birth (a field derived from
 * Customer.dateOfBirth: see src/policies/derived-fields.ts).
 */
import { LocalDate } from '../local-date';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { numericTransformer } from '../column-transformers';
import { LensReplacement } from '../enums';
import { IssuedPrescriptionBase } from './issued-prescription.base';

@ObjectType({ description: 'A contact lens specification.' })
@Entity()
export class ContactLensSpecification extends IssuedPrescriptionBase {
  @Field(() => LocalDate, { description: 'Lenses must not be supplied after this date.' })
  @Column({ type: 'date' })
  expiresOn: string;

  @Field(() => LocalDate, {
    description: 'Date of birth, required when the patient is under 16 (null otherwise). Derived from the customer: readable only by those who may also read the customer’s dateOfBirth (at their home store).',
  })
  @Column({ type: 'date', nullable: true })
  patientDateOfBirth: string | null;

  @Field(() => LensReplacement)
  @Column({ type: 'enum', enum: LensReplacement, enumName: 'lens_replacement', nullable: true })
  replacement: LensReplacement | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  rightBrand: string | null;

  @Field(() => String, { description: 'Design, e.g. spherical, toric, multifocal.' })
  @Column({ type: 'varchar', nullable: true })
  rightDesign: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  rightMaterial: string | null;

  @Field(() => Float, { description: 'Base curve in mm.' })
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  rightBaseCurve: number | null;

  @Field(() => Float, { description: 'Diameter in mm.' })
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  rightDiameter: number | null;

  @Field(() => Float, { description: 'Back vertex power (sphere) in dioptres.' })
  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericTransformer })
  rightPower: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericTransformer })
  rightCylinder: number | null;

  @Field(() => Int)
  @Column({ type: 'smallint', nullable: true })
  rightAxis: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  rightNearAdd: number | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  leftBrand: string | null;

  @Field(() => String, { description: 'Design, e.g. spherical, toric, multifocal.' })
  @Column({ type: 'varchar', nullable: true })
  leftDesign: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  leftMaterial: string | null;

  @Field(() => Float, { description: 'Base curve in mm.' })
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  leftBaseCurve: number | null;

  @Field(() => Float, { description: 'Diameter in mm.' })
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  leftDiameter: number | null;

  @Field(() => Float, { description: 'Back vertex power (sphere) in dioptres.' })
  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericTransformer })
  leftPower: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericTransformer })
  leftCylinder: number | null;

  @Field(() => Int)
  @Column({ type: 'smallint', nullable: true })
  leftAxis: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  leftNearAdd: number | null;
}
