/**
 * Examination (clinical database): a sight test or clinical visit. Drafted, then signed; a signed
 * examination is locked. Its findings (refractions, visual acuities, pressures) are child rows.
 * There are no foreign keys to core: chainId, storeId, customerId and practitionerId are plain columns.
 * The free text (reasonForVisit, history) is stored encrypted under the chain's data key `dataKeyId`
 * (src/crypto/); the CHECK refuses anything else. GraphQL reads decrypt it per field.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { ExaminationStatus } from '../enums';
import { ClinicalRecordBase } from './clinical-record.base';

@ObjectType({ description: 'An eye examination.' })
@Entity()
@Index(['customerId', 'examinedAt'])
@Check('CHK_examination_encrypted', `(reason_for_visit IS NULL OR reason_for_visit LIKE 'enc:v1:%') AND (history IS NULL OR history LIKE 'enc:v1:%')`)
export class Examination extends ClinicalRecordBase {
  @Field(() => ID)
  @Column('uuid')
  practitionerId: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  examinedAt: Date;

  @Field(() => String)
  @Column({ type: 'text', nullable: true })
  reasonForVisit: string | null;

  @Field(() => String, { description: 'General, ocular, medication and family history as taken.' })
  @Column({ type: 'text', nullable: true })
  history: string | null;

  /** The data key the free text is encrypted under (null: none given). Not in GraphQL. */
  @Column({ type: 'uuid', nullable: true })
  dataKeyId: string | null;

  @Field(() => ExaminationStatus)
  @Column({ type: 'enum', enum: ExaminationStatus, enumName: 'examination_status', default: ExaminationStatus.DRAFT })
  status: ExaminationStatus;

  @Field(() => Date)
  @Column({ type: 'timestamptz', nullable: true })
  signedAt: Date | null;

  @Field(() => ID)
  @Column({ type: 'uuid', nullable: true })
  signedById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
