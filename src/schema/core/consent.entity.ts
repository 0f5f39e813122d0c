/**
 * Consent: the current state of one customer's consent for one channel. It is derived from the
 * append-only ConsentEvent history and written in the same transaction as each event.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ConsentChangeBase } from './consent-change.base';
import { Customer } from './customer.entity';

@ObjectType({ description: "A customer's current consent for one marketing channel." })
@Entity()
@Unique(['customerId', 'channel'])
export class Consent extends ConsentChangeBase {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;
}
