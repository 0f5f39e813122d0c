/**
 * LegalHold: a hold on one customer's records (a claim, an investigation, a regulator's request) that suspends
 * their disposal by `npm run retention` while it is in force (placed, not released). Who placed it, when and why;
 * who released it, when and why. The row is its own log: the database lets an UPDATE only release a hold in force,
 * once, and rejects DELETE and TRUNCATE (migrations/core/*LegalHoldsAndRetention.ts). Store-scoped by the
 * customer's current home store (`storeId`, filled in when read: not a column).
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A legal hold on a customer’s records: while in force, retention does not dispose of them.' })
@Entity()
@Index(['chainId', 'customerId'])
export class LegalHold {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field({ description: 'Why the records must be kept (the claim, investigation or request).' })
  @Column('text')
  reason: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  placedAt: Date;

  /** Who placed it (GraphQL: `placedBy`). */
  @Column('uuid')
  placedById: string;

  @Field(() => Date, { nullable: true, description: 'When it was released (null: in force).' })
  @Column({ type: 'timestamptz', nullable: true })
  releasedAt: Date | null;

  /** Who released it (GraphQL: `releasedBy`). */
  @Column({ type: 'uuid', nullable: true })
  releasedById: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was released, when a reason was given.' })
  @Column({ type: 'text', nullable: true })
  releaseReason: string | null;

  /** Row-scope attribute for the permission model: the customer's current home store (set when loaded). */
  storeId?: string;
}
