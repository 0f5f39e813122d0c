/**
 * Retention: the chain's retention policy (retentionPolicy, updateRetentionPolicy) and legal holds (placeLegalHold,
 * releaseLegalHold, legalHolds) with who placed and released them. The disposal itself is `npm run retention`.
 */
import { Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { readRetentionPolicy, updateRetentionPolicy } from '../services/retention/retention-policy';
import { listLegalHolds, placeLegalHold, releaseLegalHold } from '../services/retention/legal-holds';
import { UpdateRetentionPolicyInput } from '../schema/inputs/retention.inputs';
import { RetentionPolicy } from '../schema/core/retention-policy.entity';
import { LegalHold } from '../schema/core/legal-hold.entity';
import { User } from '../schema/core/user.entity';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => RetentionPolicy)
export class RetentionPolicyResolver {
  @Query(() => RetentionPolicy, { nullable: false, description: 'The chain’s retention rules for health records (the defaults until changed).' })
  retentionPolicy(@Authenticated() ctx: AuthenticatedContext): Promise<RetentionPolicy> {
    return readRetentionPolicy(ctx);
  }

  @Mutation(() => RetentionPolicy, { description: 'Changes the chain’s retention rules; kept in the security settings history. Applies to the next retention run.' })
  updateRetentionPolicy(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => UpdateRetentionPolicyInput) input: UpdateRetentionPolicyInput): Promise<RetentionPolicy> {
    return updateRetentionPolicy(ctx, input);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who last changed the policy (null: never changed).' })
  updatedBy(@Root() policy: RetentionPolicy, @Ctx() ctx: AppContext): Promise<User | null> | null {
    return policy.updatedById ? ctx.loaders.user.load(policy.updatedById) : null;
  }
}

@Resolver(() => LegalHold)
export class LegalHoldResolver {
  @Mutation(() => LegalHold, { nullable: false, description: 'Places a legal hold on a customer’s records: while in force, retention does not dispose of them.' })
  placeLegalHold(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID) customerId: string,
    @Arg('reason', () => String, { description: '1-1000 characters: the claim, investigation or request the records are kept for.' }) reason: string,
  ): Promise<LegalHold> {
    return placeLegalHold(ctx, customerId, reason);
  }

  @Mutation(() => LegalHold, { nullable: false, description: 'Releases a legal hold in force (once); retention may then dispose of the customer when due.' })
  releaseLegalHold(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true, description: 'Optional, up to 1000 characters: why it is released.' }) reason?: string,
  ): Promise<LegalHold> {
    return releaseLegalHold(ctx, id, reason);
  }

  @Query(() => [LegalHold], { nullable: false, description: 'Legal holds the caller may read (of one customer, when given): those in force first, then newest first (at most 500).' })
  legalHolds(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('customerId', () => ID, { nullable: true }) customerId?: string,
  ): Promise<LegalHold[]> {
    return listLegalHolds(ctx, customerId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who placed it.' })
  placedBy(@Root() hold: LegalHold, @Ctx() ctx: AppContext): Promise<User | null> {
    return ctx.loaders.user.load(hold.placedById);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who released it (null: in force).' })
  releasedBy(@Root() hold: LegalHold, @Ctx() ctx: AppContext): Promise<User | null> | null {
    return hold.releasedById ? ctx.loaders.user.load(hold.releasedById) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether it is in force (not released): it suspends disposal.' })
  inForce(@Root() hold: LegalHold): boolean {
    return hold.releasedAt === null || hold.releasedAt === undefined;
  }
}
