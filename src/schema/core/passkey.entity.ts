/**
 * Passkey: a WebAuthn credential a member of staff registered (`finishPasskeyRegistration`, docs/passkeys.md).
 * Kept: the credential id (base64url, unique across every chain: one authenticator credential belongs to one
 * user), its COSE public key, the authenticator's signature counter (a clone is detected when it does not
 * increase), transports, and the name its owner gave it. The GraphQL type shows its owner the id, name and
 * dates only: never the public key or the credential id.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../column-transformers';
import { User } from './user.entity';

@ObjectType('Passkey', { description: 'One of your passkeys (WebAuthn credentials). The public key is never shown.' })
@Entity()
@Index(['chainId', 'userId'])
export class Passkey {
  @Field(() => ID, { nullable: false })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The WebAuthn credential id, base64url. */
  @Index({ unique: true })
  @Column('text')
  credentialId: string;

  /** The credential's COSE public key. */
  @Column('bytea')
  publicKey: Buffer;

  /** The authenticator's signature counter at its last use (0: the authenticator keeps none). */
  @Column('bigint', { transformer: numericTransformer })
  counter: number;

  @Column('text', { array: true, default: () => "'{}'" })
  transports: string[];

  /** singleDevice or multiDevice (synced), as the authenticator said at registration. */
  @Column({ type: 'varchar', length: 20 })
  deviceType: string;

  @Column('boolean')
  backedUp: boolean;

  @Field({ nullable: false, description: 'The name you gave it (1 to 100 characters).' })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => Date, { nullable: false })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it last signed you in or re-authenticated you (null: never).' })
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
