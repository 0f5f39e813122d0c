/**
 * Input for changing a chain's clinical encryption policy; settings left out stay as they are. Checked by
 * src/services/clinical-encryption/clinical-encryption-policy.ts (BAD_USER_INPUT naming e.g. `input.practiceKeyIds`).
 */
import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Changes to the chain’s clinical encryption policy; settings left out stay as they are. Applies to notes written afterwards.' })
export class UpdateClinicalEncryptionPolicyInput {
  @Field(() => Boolean, { nullable: true, description: 'SOAP notes are encrypted by the client (plaintext parts refused).' })
  clientSideSoapNotes?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'The practice key ids new notes may name (each 1-100 of A-Z a-z 0-9 . _ : -, at most 20); replaces the list; empty: any.' })
  practiceKeyIds?: string[] | null;
}
