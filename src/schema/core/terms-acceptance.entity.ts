/**
 * TermsAcceptance: a customer accepted one version of the chain's terms or its privacy notice, at a moment,
 * recorded by a member of staff (or, for a customer channel, by nobody) through a source. Append-only (the
 * database rejects UPDATE and DELETE): a later acceptance is a new row. Read as Customer.termsAcceptances under
 * the TermsAcceptance subject, each row scoped by the customer's home store.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentSource, LegalDocument } from '../enums';
import { Customer } from './customer.entity';

@ObjectType({ description: 'A customer’s acceptance of one version of the terms or the privacy notice.' })
@Entity()
@Index(['customerId', 'acceptedAt'])
export class TermsAcceptance {
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

  @Field(() => LegalDocument)
  @Column({ type: 'enum', enum: LegalDocument, enumName: 'legal_document' })
  document: LegalDocument;

  @Field({ description: 'Version of the document accepted.' })
  @Column({ type: 'varchar', length: 50 })
  version: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  acceptedAt: Date;

  @Field(() => ID, { nullable: true, description: 'Staff member who recorded it.' })
  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @Field(() => ConsentSource)
  @Column({ type: 'enum', enum: ConsentSource, enumName: 'consent_source' })
  source: ConsentSource;

  /** Row-scope attribute (the customer's home store), set by the loader or the service; not a column. */
  storeId: string;
}
