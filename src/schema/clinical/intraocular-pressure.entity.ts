/**
 * IntraocularPressure (clinical): mmHg per eye with the instrument and time of measurement.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { TonometryInstrument } from '../enums';
import { ExaminationFindingBase } from './examination-finding.base';

@ObjectType({ description: 'An intraocular pressure reading.' })
@Entity()
export class IntraocularPressure extends ExaminationFindingBase {
  @Field(() => Int)
  @Column({ type: 'smallint' })
  mmHg: number;

  @Field(() => TonometryInstrument)
  @Column({ type: 'enum', enum: TonometryInstrument, enumName: 'tonometry_instrument' })
  instrument: TonometryInstrument;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  measuredAt: Date;
}
