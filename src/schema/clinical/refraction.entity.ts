/**
 * Refraction (clinical): one per eye per method within an examination. Sphere and cylinder in
 * dioptres, minus-cylinder convention is not imposed: the sign is stored as entered.
 */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { numericTransformer } from '../column-transformers';
import { PrismBaseHorizontal, PrismBaseVertical, RefractionType } from '../enums';
import { ExaminationFindingBase } from './examination-finding.base';

@ObjectType({ description: 'A refraction of one eye. Cylinder sign as entered (plus or minus cylinder form).' })
@Entity()
export class Refraction extends ExaminationFindingBase {
  @Field(() => RefractionType)
  @Column({ type: 'enum', enum: RefractionType, enumName: 'refraction_type' })
  type: RefractionType;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numericTransformer })
  sphere: number;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 5, scale: 2, default: 0, transformer: numericTransformer })
  cylinder: number;

  @Field(() => Int)
  @Column({ type: 'smallint', nullable: true })
  axis: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  nearAdd: number | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  prismHorizontal: number | null;

  @Field(() => PrismBaseHorizontal)
  @Column({ type: 'enum', enum: PrismBaseHorizontal, enumName: 'prism_base_horizontal', nullable: true })
  prismHorizontalBase: PrismBaseHorizontal | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  prismVertical: number | null;

  @Field(() => PrismBaseVertical)
  @Column({ type: 'enum', enum: PrismBaseVertical, enumName: 'prism_base_vertical', nullable: true })
  prismVerticalBase: PrismBaseVertical | null;
}
