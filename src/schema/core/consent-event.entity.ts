/**
 * ConsentEvent: one grant or withdrawal, append-only (the database rejects UPDATE and DELETE).
 * Read through Consent.history, under the Consent permission.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentChangeBase } from './consent-change.base';
import { Customer } from './customer.entity';

@ObjectType({ description: 'One grant or withdrawal of consent, as it happened.' })
@Entity()
@Index(['customerId', 'channel', 'changedAt'])
export class ConsentEvent extends ConsentChangeBase {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;
}
