/**
 * GraphQL types of `eraseCustomer`'s answer (src/services/erasure/): the outcome, and what was kept and why.
 * Governed by `erase Customer` at the customer's home store (src/policies/type-policies.ts): the caller who could
 * erase reads the answer.
 */
import { Field, ObjectType } from 'type-graphql';
import { ErasureOutcome } from '../enums';

/** Row scope for the permission model: the erased customer's chain and home store (not GraphQL fields). */
abstract class ErasureScoped {
  chainId: string;
  storeId: string;
}

@ObjectType({ description: 'A category of the customer’s data that was kept, and why.' })
export class RetainedData extends ErasureScoped {
  @Field({ nullable: false, description: 'What is kept (health records, audit trail entries, marketing suppression, …).' })
  category: string;

  @Field({ nullable: false, description: 'Why it is kept: the legal ground, and until when where there is an end.' })
  reason: string;
}

@ObjectType({ description: 'How an erasure request was answered.' })
export class ErasureResult extends ErasureScoped {
  @Field(() => ErasureOutcome, { nullable: false })
  outcome: ErasureOutcome;

  @Field(() => [RetainedData], { nullable: false })
  retained: RetainedData[];
}
