/**
 * securityEvents and acknowledgeSecurityEvent: the review of anomaly alerts; an event's user and
 * acknowledgement, and the acknowledging reviewer.
 */
import { Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { acknowledgementView, acknowledgeSecurityEvent, listSecurityEvents } from '../services/audit/security-event-review';
import { SecurityEventAcknowledgement, SecurityEventConnection } from '../schema/audit/security-event.types';
import { SecurityEvent } from '../schema/core/security-event.entity';
import { User } from '../schema/core/user.entity';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => SecurityEvent)
export class SecurityEventResolver {
  @Query(() => SecurityEventConnection, { nullable: false, description: 'Security events (anomaly alerts) of the chain, newest first, optionally only (un)acknowledged ones or one user’s.' })
  securityEvents(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('acknowledged', () => Boolean, { nullable: true }) acknowledged?: boolean,
    @Arg('userId', () => ID, { nullable: true }) userId?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-200 (default 50).' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<SecurityEventConnection> {
    return listSecurityEvents(ctx, { acknowledged, userId, first, after });
  }

  @Mutation(() => SecurityEvent, { description: 'Acknowledges a security event with a note (1-1000 characters); once only, and not one about yourself.' })
  acknowledgeSecurityEvent(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String) note: string,
  ): Promise<SecurityEvent> {
    return acknowledgeSecurityEvent(ctx, id, note);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The member of staff whose use of data raised the event; null for a system event.' })
  async user(@Root() event: SecurityEvent, @Ctx() ctx: AppContext): Promise<User | null> {
    return event.userId ? ctx.loaders.user.load(event.userId) : null;
  }

  @FieldResolver(() => Boolean)
  async acknowledged(@Root() event: SecurityEvent, @Ctx() ctx: AppContext): Promise<boolean> {
    return (await ctx.loaders.securityEventAcknowledgements.load(event.id)) !== null;
  }

  @FieldResolver(() => SecurityEventAcknowledgement, { nullable: true, description: 'Null until acknowledged.' })
  async acknowledgement(@Root() event: SecurityEvent, @Ctx() ctx: AppContext): Promise<SecurityEventAcknowledgement | null> {
    const row = await ctx.loaders.securityEventAcknowledgements.load(event.id);
    return row ? acknowledgementView(row) : null;
  }
}

@Resolver(() => SecurityEventAcknowledgement)
export class SecurityEventAcknowledgementResolver {
  @FieldResolver(() => User, { description: 'The reviewer who acknowledged the event.' })
  by(@Root() acknowledgement: SecurityEventAcknowledgement, @Ctx() ctx: AppContext): Promise<User | null> {
    return ctx.loaders.user.load(acknowledgement.byId);
  }
}
