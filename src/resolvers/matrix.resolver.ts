/**
 * effectivePermissions and explain: what a user may do at a store, and why.
 */
import { ID, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { effectivePermissions, explain } from '../services/roles/matrix-service';
import { EffectivePermission, Explanation } from '../schema/roles/matrix.types';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class MatrixResolver {
  @Query(() => [EffectivePermission], { nullable: false, description: 'Everything a user may do at a store, per subject, action and field, with the assignments that grant it.' })
  effectivePermissions(@Authenticated() ctx: AuthenticatedContext, @Arg('userId', () => ID) userId: string, @Arg('storeId', () => ID) storeId: string): Promise<EffectivePermission[]> {
    return effectivePermissions(ctx, userId, storeId);
  }

  @Query(() => Explanation, { description: 'Whether a user may do one thing at a store, and the rule and assignment responsible.' })
  explain(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('action') action: string,
    @Arg('subject') subject: string,
    @Arg('field', () => String, { nullable: true }) field?: string,
  ): Promise<Explanation> {
    return explain(ctx, { userId, storeId, action, subject, field });
  }
}
