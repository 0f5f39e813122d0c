/**
 * Customer (patient): identity, contact and administrative fields. A customer belongs to a home
 * store, which is the store whose scope decides who may see them.
 *
 * An ERASED customer is a tombstone (src/services/erasure/): its id, chain, home store, status and
 * `erasedAt` stay for the audit trail; names, date of birth, address and contact are null (the CHECK
 * below allows null names and date of birth only for a tombstone).
 */
import { LocalDate } from '../local-date';
import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CustomerStatus, Sex } from '../enums';
import { Chain } from './chain.entity';
import { Store } from './store.entity';

@ObjectType({ description: 'A customer (patient) of the chain.' })
@Entity()
@Index(['chainId', 'homeStoreId', 'id'])
@Check('CHK_customer_identity_unless_erased',
  `status::text = 'ERASED' OR (first_name IS NOT NULL AND last_name IS NOT NULL AND date_of_birth IS NOT NULL)`)
export class Customer {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @ManyToOne(() => Chain, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chain_id' })
  chain?: Chain;

  @Field(() => ID)
  @Column('uuid')
  homeStoreId: string;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'home_store_id' })
  homeStoreRow?: Store;

  /** Null only on an erased customer's tombstone. */
  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  firstName: string | null;

  /** Null only on an erased customer's tombstone. */
  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  lastName: string | null;

  /** Null only on an erased customer's tombstone. */
  @Field(() => LocalDate)
  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Field(() => Sex)
  @Column({ type: 'enum', enum: Sex, enumName: 'sex', default: Sex.UNKNOWN })
  sex: Sex;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  addressLine1: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  addressLine2: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  city: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  postcode: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  country: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  phone: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', nullable: true })
  email: string | null;

  @Field(() => CustomerStatus)
  @Column({ type: 'enum', enum: CustomerStatus, enumName: 'customer_status', default: CustomerStatus.ACTIVE })
  status: CustomerStatus;

  @Field(() => Date, { description: 'When the customer last confirmed their details were correct.' })
  @Column({ type: 'timestamptz', nullable: true })
  dataVerifiedAt: Date | null;

  @Field(() => ID, { description: 'Who recorded the customer’s last confirmation of their details (confirmCustomerDetails).' })
  @Column({ type: 'uuid', nullable: true })
  dataVerifiedById: string | null;

  @Field(() => Date, { description: 'When the customer was erased (status ERASED); null otherwise.' })
  @Column({ type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** Row-scope attribute for the permission model: a customer is in their home store's scope. */
  get storeId(): string {
    return this.homeStoreId;
  }
}
