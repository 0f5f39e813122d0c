/**
 * The GraphQL view of a chain's clinical encryption policy (`clinicalEncryptionPolicy`,
 * `updateClinicalEncryptionPolicy`; src/services/clinical-encryption/). The stored row is
 * clinical-encryption-policy.entity.ts. Fields are nullable, as every data field.
 */
import { Field, ObjectType } from 'type-graphql';

@ObjectType('ClinicalEncryptionPolicy', { description: 'Whether the chain’s SOAP notes are encrypted by the client with the practice’s key (docs/clinical-encryption.md).' })
export class ClinicalEncryptionPolicyView {
  /** Whose policy (not exposed: always the caller's chain). */
  chainId: string;

  @Field(() => Boolean, { description: 'SOAP notes are encrypted by the client: addClinicalNote takes encryptedSoapNote and refuses plaintext parts. Default: off.' })
  clientSideSoapNotes: boolean;

  @Field(() => [String], { description: 'The practice key ids new notes may name; empty: any well-formed key id.' })
  practiceKeyIds: string[];

  @Field(() => Boolean, { description: 'True while the chain has never set the policy (off).' })
  isDefault: boolean;

  @Field(() => Date, { nullable: true, description: 'When the policy was last changed (null: never).' })
  updatedAt: Date | null;
}
