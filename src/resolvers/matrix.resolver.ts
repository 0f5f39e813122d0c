/**
 * effectivePermissions and explain: what a user may do at a store, and why.
 */
import { Ctx, ID, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { effectivePermissions, explain } from '../services/roles/matrix-service';
import { EffectivePermission, Explanation } from '../schema/roles/matrix.types';
import { AppContext, requireAuth } from '../context/app-context';

@Resolver()
export class MatrixResolver {
  @Query(() => [EffectivePermission], { nullable: false, description: 'Everything a user may do at a store, per subject, action and field, with the assignments that grant it.' })
  effectivePermissions(@Ctx() ctx: AppContext, @Arg('userId', () => ID) userId: string, @Arg('storeId', () => ID) storeId: string): Promise<EffectivePermission[]> {
    const { principal, ability } = requireAuth(ctx);
    return effectivePermissions(ctx, principal, ability, userId, storeId);
  }

  @Query(() => Explanation, { description: 'Whether a user may do one thing at a store, and the rule and assignment responsible.' })
  explain(
    @Ctx() ctx: AppContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('action') action: string,
    @Arg('subject') subject: string,
    @Arg('field', () => String, { nullable: true }) field?: string,
  ): Promise<Explanation> {
    const { principal, ability } = requireAuth(ctx);
    return explain(ctx, principal, ability, { userId, storeId, action, subject, field });
  }
}
