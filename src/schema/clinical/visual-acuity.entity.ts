/**
 * VisualAcuity (clinical): as entered (unit and value), plus a normalised logMAR where the value is
 * numeric; non-numeric results (CF, HM, PL, NPL) have no logMAR.
 */
import { Field, Float, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { numericTransformer } from '../column-transformers';
import { AcuityAid, AcuityDistance, AcuityUnit } from '../enums';
import { ExaminationFindingBase } from './examination-finding.base';

@ObjectType({ description: 'A visual acuity measurement.' })
@Entity()
export class VisualAcuity extends ExaminationFindingBase {
  @Field(() => AcuityDistance)
  @Column({ type: 'enum', enum: AcuityDistance, enumName: 'acuity_distance' })
  distance: AcuityDistance;

  @Field(() => AcuityAid)
  @Column({ type: 'enum', enum: AcuityAid, enumName: 'acuity_aid' })
  aid: AcuityAid;

  @Field(() => AcuityUnit)
  @Column({ type: 'enum', enum: AcuityUnit, enumName: 'acuity_unit' })
  unit: AcuityUnit;

  @Field({ description: 'The value as entered, e.g. "6/6", "20/40", "0.1", "N5", "CF".' })
  @Column()
  value: string;

  @Field(() => Float, { description: 'Normalised logMAR; null for CF, HM, PL and NPL.' })
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericTransformer })
  logMar: number | null;
}
