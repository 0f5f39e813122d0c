/**
 * eraseCustomer: answers an ERASURE request (src/services/erasure/).
 */
import { ID, Mutation, Resolver } from 'type-graphql';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';
import { Arg } from '../schema/arg';
import { ErasureResult } from '../schema/core/erasure.types';
import { eraseCustomer } from '../services/erasure';

@Resolver(() => ErasureResult)
export class ErasureResolver {
  @Mutation(() => ErasureResult, {
    nullable: false,
    description: 'Answers the customer’s ERASURE request `dataRequestId` (open, of this customer) and completes it. A customer with any clinical record is INACTIVATED (status INACTIVE, email and phone erased, marketing consents withdrawn, an objection with its suppression; health records kept for their retention period); any other is ERASED (personal data removed from both databases, change-log values redacted, a tombstone kept). `retained` lists what was kept and why. Needs `erase` on Customer at the customer’s home store. An erased customer is refused (BAD_USER_INPUT on customerId).',
  })
  eraseCustomer(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID) customerId: string,
    @Arg('dataRequestId', () => ID) dataRequestId: string,
  ): Promise<ErasureResult> {
    return eraseCustomer(ctx, customerId, dataRequestId);
  }
}
