/**
 * Data quality: verificationDue (customers whose details are due to be confirmed) and confirmCustomerDetails.
 */
import { ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { CustomerConnection } from '../schema/connection';
import { Customer } from '../schema/core/customer.entity';
import { confirmCustomerDetails, listVerificationDue } from '../services/registers/verification';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class VerificationResolver {
  @Query(() => CustomerConnection, { nullable: false, description: 'Active customers whose details were not confirmed within the chain’s verification period (AuditSettings.verificationPeriodMonths): never confirmed first, then the longest unconfirmed.' })
  verificationDue(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('storeId', () => ID, { nullable: true, description: 'Only customers of this home store.' }) storeId?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<CustomerConnection> {
    return listVerificationDue(ctx, { storeId, first, after });
  }

  @Mutation(() => Customer, { nullable: false, description: 'Records that the customer confirmed their details are correct: dataVerifiedAt = now, dataVerifiedById = the caller.' })
  confirmCustomerDetails(@Authenticated() ctx: AuthenticatedContext, @Arg('customerId', () => ID) customerId: string): Promise<Customer> {
    return confirmCustomerDetails(ctx, customerId);
  }
}
