/**
 * EncryptedSoapNote: a clinical note's SOAP parts as the practice encrypted them (docs/clinical-encryption.md,
 * format of src/client/soap-note-crypto.ts). Built from the note's `soap*` columns; carries the note's scope (chain,
 * store, customer, note id) for the field guard and the access log, none of it exposed.
 */
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'SOAP parts encrypted by the practice with its own key (the server never sees them in plaintext): format "AES-256-GCM" of docs/clinical-encryption.md.' })
export class EncryptedSoapNote {
  chainId: string;
  storeId: string;
  customerId: string;
  /** The note (the access log's record id). */
  parentRecordId: string;

  @Field(() => String, { description: 'The practice key id the note was encrypted under.' })
  keyId: string;

  @Field(() => String, { description: 'Always "AES-256-GCM" (256-bit key, 12-byte IV, 16-byte tag).' })
  algorithm: string;

  @Field(() => String, { description: 'The 12-byte IV, base64.' })
  iv: string;

  @Field(() => String, { description: 'The ciphertext followed by its 16-byte GCM tag, base64; additional data `visus-soap-v1|<customerId>|<keyId>`; plaintext: the JSON object {subjective, objective, assessment, plan}.' })
  ciphertext: string;
}
