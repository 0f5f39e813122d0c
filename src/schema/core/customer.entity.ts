/**
 * Customer (patient): identity, contact and administrative fields. A customer belongs to a home
 * store, which is the store whose scope decides who may see them.
 */
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CustomerStatus, Sex } from '../enums';
import { Chain } from './chain.entity';
import { Store } from './store.entity';

@ObjectType({ description: 'A customer (patient) of the chain.' })
@Entity()
@Index(['chainId', 'homeStoreId', 'id'])
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

  @Field()
  @Column()
  firstName: string;

  @Field()
  @Column()
  lastName: string;

  @Field(() => GraphQLLocalDate)
  @Column({ type: 'date' })
  dateOfBirth: string;

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
