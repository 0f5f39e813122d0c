/**
 * ClinicalNote (clinical): a SOAP note by a practitioner, optionally tied to an examination.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { ClinicalRecordBase } from './clinical-record.base';

@ObjectType({ description: 'A clinical note in SOAP form.' })
@Entity()
@Index(['customerId'])
export class ClinicalNote extends ClinicalRecordBase {
  @Field(() => ID)
  @Column({ type: 'uuid', nullable: true })
  examinationId: string | null;

  @Field(() => ID)
  @Column('uuid')
  authorId: string;

  @Field(() => String)
  @Column({ type: 'text', nullable: true })
  subjective: string | null;

  @Field(() => String)
  @Column({ type: 'text', nullable: true })
  objective: string | null;

  @Field(() => String)
  @Column({ type: 'text', nullable: true })
  assessment: string | null;

  @Field(() => String)
  @Column({ type: 'text', nullable: true })
  plan: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
