/**
 * ClinicalRecordBase (clinical): the columns every top-level clinical record carries: its uuid id
 * and the chain, store and customer it belongs to (plain columns, no foreign keys to core).
 * chainId and storeId are indexed here; subclasses index customerId where they need it.
 * Plain @ObjectType(): type-graphql 2 has no isAbstract, and a type no resolver reaches is not emitted.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType()
export abstract class ClinicalRecordBase {
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
  @Column('uuid')
  customerId: string;
}
