/**
 * requestEmergencyAccess (break the glass), emergencyAccesses (the reviewers' queue) and
 * acknowledgeEmergencyAccess; an access's user, uses and acknowledgement.
 */
import { Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { acknowledgeEmergencyAccess, listEmergencyAccesses, requestEmergencyAccess } from '../services/audit/emergency-access';
import { EmergencyAccessAcknowledgement, EmergencyAccessConnection } from '../schema/audit/emergency-access.types';
import { EmergencyAccess } from '../schema/core/emergency-access.entity';
import { User } from '../schema/core/user.entity';
import { RequestEmergencyAccessInput } from '../schema/inputs/emergency-access.inputs';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => EmergencyAccess)
export class EmergencyAccessResolver {
  @Mutation(() => EmergencyAccess, {
    description: 'Break the glass: read access to one customer’s health records for a limited time, with a written reason. Every use is logged and reviewed.',
  })
  requestEmergencyAccess(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => RequestEmergencyAccessInput) input: RequestEmergencyAccessInput): Promise<EmergencyAccess> {
    return requestEmergencyAccess(ctx, input);
  }

  @Mutation(() => EmergencyAccess, { description: 'A reviewer acknowledges an emergency access, with a note (once; not one’s own).' })
  acknowledgeEmergencyAccess(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { description: '1-1000 characters: what the reviewer concluded.' }) note: string,
  ): Promise<EmergencyAccess> {
    return acknowledgeEmergencyAccess(ctx, id, note);
  }

  @Query(() => EmergencyAccessConnection, { nullable: false, description: 'Emergency accesses, newest first: the reviewers’ queue.' })
  emergencyAccesses(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('pending', () => Boolean, { nullable: true, description: 'true: only those not yet acknowledged; false: only acknowledged ones.' }) pending?: boolean,
    @Arg('userId', () => ID, { nullable: true }) userId?: string,
    @Arg('customerId', () => ID, { nullable: true }) customerId?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<EmergencyAccessConnection> {
    return listEmergencyAccesses(ctx, { pending, userId, customerId, first, after });
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

  @FieldResolver(() => Boolean)
  async acknowledged(@Root() access: EmergencyAccess, @Ctx() ctx: AppContext): Promise<boolean> {
    return (await ctx.loaders.emergencyAccessAcknowledgements.load(access.id)) !== null;
  }

  @FieldResolver(() => EmergencyAccessAcknowledgement, { nullable: true, description: 'Null until a reviewer acknowledges it.' })
  async acknowledgement(@Root() access: EmergencyAccess, @Ctx() ctx: AppContext): Promise<EmergencyAccessAcknowledgement | null> {
    const row = await ctx.loaders.emergencyAccessAcknowledgements.load(access.id);
    return row
      ? Object.assign(new EmergencyAccessAcknowledgement(), { byId: row.acknowledgedById, at: row.acknowledgedAt, note: row.note, chainId: access.chainId, storeId: access.storeId })
      : null;
  }
}

@Resolver(() => EmergencyAccessAcknowledgement)
export class EmergencyAccessAcknowledgementResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The reviewer who acknowledged it.' })
  by(@Root() acknowledgement: EmergencyAccessAcknowledgement, @Ctx() ctx: AppContext): Promise<User | null> {
    return ctx.loaders.user.load(acknowledgement.byId);
  }
}
