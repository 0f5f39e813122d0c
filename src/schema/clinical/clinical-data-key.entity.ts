/**
 * ClinicalDataKey (clinical database): one AES-256 data key of a chain of stores, under which its clinical
 * free text is encrypted (src/crypto/). Only the key wrapped by a master key is stored (AES-256-GCM:
 * 12-byte IV, ciphertext, 16-byte tag), with the master key's id. A chain has one active key (retiredAt
 * null: new writes use it); `keys:rotate` retires it for a new one and re-encrypts the rows, and keeps the
 * retired keys (re-wrapped under the new master key) because the append-only change log still holds text
 * encrypted under them. Not in the GraphQL schema.
 */
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity()
@Index('UQ_clinical_data_key_active', ['chainId'], { unique: true, where: 'retired_at IS NULL' })
export class ClinicalDataKey {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Column('bytea')
  wrappedKey: Buffer;

  /** The id of the master key that wrapped it (src/config/master-key.ts `masterKeyId`). */
  @Column({ type: 'varchar', length: 16 })
  masterKeyId: string;

  /** The key rotation that created it (null: created on a chain's first write). */
  @Column({ type: 'uuid', nullable: true })
  rotationId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
