/**
 * ClinicalEncryptionPolicy: a chain's choice of client-side-encrypted SOAP notes (docs/clinical-encryption.md). One
 * row per chain; a chain without a row has it off (notes are written in plaintext over TLS and encrypted at rest by
 * the server). On: addClinicalNote takes only `encryptedSoapNote` (ciphertext made by the practice's apps with the
 * practice's key) and refuses plaintext parts; `practiceKeyIds`, when not empty, lists the key ids accepted for new
 * notes. Every change is an entry of the security settings history (setting `ClinicalEncryptionPolicy`).
 */
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Chain } from './chain.entity';

@Entity()
export class ClinicalEncryptionPolicy {
  @PrimaryColumn('uuid')
  chainId: string;

  @ManyToOne(() => Chain, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chain_id' })
  chain?: Chain;

  /** SOAP notes of this chain are encrypted by the client (the server refuses plaintext parts). */
  @Column({ type: 'boolean', default: false })
  clientSideSoapNotes: boolean;

  /** The practice key ids new notes may name (empty: any well-formed key id). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  practiceKeyIds: string[];

  @Column({ type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  updatedById: string | null;
}
