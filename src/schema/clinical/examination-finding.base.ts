/**
 * ExaminationFindingBase (clinical): the columns of a per-eye finding row of an examination
 * (refraction, visual acuity, intraocular pressure): id, the indexed examinationId, the copied
 * chain, store and customer (not exposed in GraphQL) and the eye. No @Entity and no type of its own
 * in the schema.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Eye } from '../enums';

@ObjectType()
export abstract class ExaminationFindingBase {
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
}
