/**
 * ApiToken: a bearer token of a service account (a User of kind SERVICE), for BI tools and other
 * machine clients. The token text (`vsa_` + 43 base64url characters, 32 random bytes) is shown once, when it
 * is created; only its SHA-256 is stored, so the table cannot be replayed as tokens. A token is valid until
 * `expiresAt` unless revoked (`revokedAt`, never undone); `lastUsedAt` moves with each request it
 * authenticates (src/auth/authenticate.ts). Its id is the principal's `sessionId` for every request it makes,
 * so the audit trail names it like a session. Rows are never deleted (the audit trail names their ids).
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

@ObjectType('ApiToken', { description: 'An API token of a service account (the token text itself is shown only once, when created).' })
@Entity()
@Index(['chainId', 'userId'])
export class ApiToken {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ID, { description: 'The service account it acts as.' })
  @Column('uuid')
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Field({ description: 'What it is for (1 to 100 characters).' })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** SHA-256 of the token text. */
  @Index({ unique: true })
  @Column('bytea')
  tokenHash: Buffer;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => ID, { description: 'Who created it.' })
  @Column('uuid')
  createdById: string;

  @Field(() => Date, { description: 'After this moment it is refused.' })
  @Column('timestamptz')
  expiresAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was revoked (null: not revoked).' })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'Who revoked it.' })
  @Column({ type: 'uuid', nullable: true })
  revokedById: string | null;

  @Field(() => Date, { nullable: true, description: 'When it last authenticated a request (null: never used).' })
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
