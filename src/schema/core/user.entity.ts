/**
 * User: a member of staff (or a service account) with personal credentials. The password hash
 * never has a GraphQL field.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Profession, UserKind, UserStatus } from '../enums';
import { Chain } from './chain.entity';

@ObjectType('User', { description: 'A member of staff, or a service account (kind SERVICE).' })
@Entity({ name: 'staff_user' })
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @ManyToOne(() => Chain, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chain_id' })
  chain?: Chain;

  @Field()
  @Column()
  name: string;

  @Field()
  @Index({ unique: true })
  @Column()
  email: string;

  @Field(() => Profession)
  @Column({ type: 'enum', enum: Profession, enumName: 'profession' })
  profession: Profession;

  @Field(() => String, { nullable: true, description: 'Professional registration number (e.g. GOC), when registered.' })
  @Column({ type: 'varchar', nullable: true })
  registrationNumber: string | null;

  @Field(() => UserStatus)
  @Column({ type: 'enum', enum: UserStatus, enumName: 'user_status', default: UserStatus.ACTIVE })
  status: UserStatus;

  @Field(() => UserKind, { description: 'STAFF, or SERVICE: a service account that cannot sign in with a password and acts through API tokens.' })
  @Column({ type: 'enum', enum: UserKind, enumName: 'user_kind', default: UserKind.STAFF })
  kind: UserKind;

  /** argon2id hash; null until an invited member of staff sets one (acceptInvitation), after resetUserPassword, and always for a SERVICE user. */
  @Column({ type: 'varchar', nullable: true })
  passwordHash: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
