/**
 * IssuedPrescriptionBase (clinical): what spectacle prescriptions and contact lens specifications
 * share: the optional source examination, the issue date, the prescriber as printed, createdAt,
 * and an index on customerId. No @Entity and no type of its own in the schema.
 */
import { LocalDate } from '../local-date';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Index } from 'typeorm';
import { ClinicalRecordBase } from './clinical-record.base';

@ObjectType()
@Index(['customerId'])
export abstract class IssuedPrescriptionBase extends ClinicalRecordBase {
  @Field(() => ID)
  @Column({ type: 'uuid', nullable: true })
  examinationId: string | null;

  @Field(() => LocalDate)
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

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
