/**
 * requestEmergencyAccess (break the glass) and emergencyAccesses (the reviewers' queue).
 */
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DEFAULT_EMERGENCY_ACCESS_MINUTES, listEmergencyAccesses, requestEmergencyAccess } from '../audit/emergency-access';
import { EmergencyAccessConnection } from '../schema/audit/emergency-access.types';
import { EmergencyAccess } from '../schema/core/emergency-access.entity';
import { User } from '../schema/core/user.entity';
import { RequestEmergencyAccessInput } from '../schema/inputs/emergency-access.inputs';
import { AppContext, requireAuth } from '../server/context';

@Resolver(() => EmergencyAccess)
export class EmergencyAccessResolver {
  @Mutation(() => EmergencyAccess, {
    description: 'Break the glass: read access to one customer’s health records for a limited time, with a written reason. Every use is logged and reviewed.',
  })
  requestEmergencyAccess(@Ctx() ctx: AppContext, @Arg('input', () => RequestEmergencyAccessInput) input: RequestEmergencyAccessInput): Promise<EmergencyAccess> {
    const { principal, ability } = requireAuth(ctx);
    return requestEmergencyAccess(ctx, principal, ability, input, async () => DEFAULT_EMERGENCY_ACCESS_MINUTES);
  }

  @Query(() => EmergencyAccessConnection, { nullable: false, description: 'Emergency accesses, newest first: the reviewers’ queue.' })
  emergencyAccesses(
    @Ctx() ctx: AppContext,
    @Arg('userId', () => ID, { nullable: true }) userId?: string,
    @Arg('customerId', () => ID, { nullable: true }) customerId?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<EmergencyAccessConnection> {
    const { principal, ability } = requireAuth(ctx);
    return listEmergencyAccesses(ctx, principal, ability, { userId, customerId, first, after });
  }

  @FieldResolver(() => User, { nullable: true, description: 'The member of staff who broke the glass.' })
  user(@Root() access: EmergencyAccess, @Ctx() ctx: AppContext): Promise<User | null> {
    return ctx.loaders.user.load(access.userId);
  }

  @FieldResolver(() => Boolean, { description: 'Whether it still grants access now.' })
  inForce(@Root() access: EmergencyAccess): boolean {
    return access.grantedAt.getTime() <= Date.now() && Date.now() < access.expiresAt.getTime();
  }

  @FieldResolver(() => Int, { description: 'Clinical access log entries it produced (see clinicalAccessLog(emergencyAccessId)).' })
  uses(@Root() access: EmergencyAccess, @Ctx() ctx: AppContext): Promise<number> {
    return ctx.loaders.emergencyAccessUses.load(access.id);
  }
}
