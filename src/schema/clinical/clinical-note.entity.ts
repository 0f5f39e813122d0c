/**
 * ClinicalNote (clinical): a SOAP note by a practitioner, optionally tied to an examination.
 * Its four parts are stored encrypted (AES-256-GCM under the chain's data key `dataKeyId`: src/crypto/);
 * the CHECK refuses a part that is not an encrypted envelope. GraphQL reads decrypt them per field.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { ClinicalRecordBase } from './clinical-record.base';

@ObjectType({ description: 'A clinical note in SOAP form.' })
@Entity()
@Index(['customerId'])
@Check('CHK_clinical_note_encrypted', `(subjective IS NULL OR subjective LIKE 'enc:v1:%') AND (objective IS NULL OR objective LIKE 'enc:v1:%') AND (assessment IS NULL OR assessment LIKE 'enc:v1:%') AND (plan IS NULL OR plan LIKE 'enc:v1:%')`)
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

  /** The data key the parts are encrypted under (null: no part given). Not in GraphQL. */
  @Column({ type: 'uuid', nullable: true })
  dataKeyId: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
