/**
 * IntraocularPressure (clinical): mmHg per eye with the instrument and time of measurement.
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Eye, TonometryInstrument } from '../enums';

@ObjectType({ description: 'An intraocular pressure reading.' })
@Entity()
export class IntraocularPressure {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  examinationId: string;

  @Column('uuid')
  chainId: string;

  @Column('uuid')
  storeId: string;

  @Column('uuid')
  customerId: string;

  @Field(() => Eye)
  @Column({ type: 'enum', enum: Eye, enumName: 'eye' })
  eye: Eye;

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
