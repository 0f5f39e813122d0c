/**
 * ClinicalNote (clinical): a SOAP note by a practitioner, optionally tied to an examination.
 * Its four parts are stored encrypted (AES-256-GCM under the chain's data key `dataKeyId`: src/crypto/);
 * the CHECK refuses a part that is not an encrypted envelope. GraphQL reads decrypt them per field.
 * In a chain whose SOAP notes are client-side encrypted (ClinicalEncryptionPolicy; docs/clinical-encryption.md) the
 * four parts are null and the note is the practice's ciphertext (`soap*` columns, never seen in plaintext by the
 * server, stored as given: no server envelope); a CHECK keeps the two forms apart.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { ClinicalRecordBase } from './clinical-record.base';

@ObjectType({ description: 'A clinical note in SOAP form.' })
@Entity()
@Index(['customerId'])
@Check('CHK_clinical_note_client_encrypted', `(soap_ciphertext IS NULL AND soap_key_id IS NULL AND soap_algorithm IS NULL AND soap_iv IS NULL) OR (soap_algorithm = 'AES-256-GCM' AND soap_key_id IS NOT NULL AND soap_iv IS NOT NULL AND soap_ciphertext IS NOT NULL AND subjective IS NULL AND objective IS NULL AND assessment IS NULL AND plan IS NULL)`)
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

  /** Client-side encrypted note (GraphQL: encryptedSoapNote): the practice's key id. Null: a server-encrypted note. */
  @Column({ type: 'text', nullable: true })
  soapKeyId: string | null;

  /** The client-side algorithm: 'AES-256-GCM' (src/client/soap-note-crypto.ts). */
  @Column({ type: 'text', nullable: true })
  soapAlgorithm: string | null;

  /** The client's 12-byte IV, base64. */
  @Column({ type: 'text', nullable: true })
  soapIv: string | null;

  /** The client's ciphertext (with its GCM tag), base64. */
  @Column({ type: 'text', nullable: true })
  soapCiphertext: string | null;

  /** The chain's data key the parts are encrypted under (a client-side-encrypted note: the chain's key id, nothing sealed under it). Not in GraphQL. */
  @Column({ type: 'uuid', nullable: true })
  dataKeyId: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
