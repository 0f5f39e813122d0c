/**
 * effectivePermissions and explain: what a user may do at a store, and why. The user is named by id or
 * email, the store by id or name (exactly one of each: src/services/roles/matrix-lookup.ts).
 */
import { ID, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { effectivePermissions, explain } from '../services/roles/matrix-service';
import { EffectivePermission, Explanation } from '../schema/roles/matrix.types';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

const USER_ID = 'The user’s id (or give userEmail).';
const USER_EMAIL = 'The user’s email, case-insensitive (instead of userId).';
const STORE_ID = 'The store’s id (or give storeName).';
const STORE_NAME = 'The store’s name, case-insensitive (instead of storeId).';

@Resolver()
export class MatrixResolver {
  @Query(() => [EffectivePermission], { nullable: false, description: 'Everything a user may do at a store, per subject, action and field, with the assignments that grant it. Name the user by userId or userEmail and the store by storeId or storeName.' })
  async effectivePermissions(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('userId', () => ID, { nullable: true, description: USER_ID }) userId?: string,
    @Arg('storeId', () => ID, { nullable: true, description: STORE_ID }) storeId?: string,
    @Arg('userEmail', () => String, { nullable: true, description: USER_EMAIL }) userEmail?: string,
    @Arg('storeName', () => String, { nullable: true, description: STORE_NAME }) storeName?: string,
  ): Promise<EffectivePermission[]> {
    return effectivePermissions(ctx, { userId, userEmail, storeId, storeName });
  }

  @Query(() => Explanation, { description: 'Whether a user may do one thing at a store, and the rule and assignment responsible. Name the user by userId or userEmail and the store by storeId or storeName.' })
  async explain(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('action') action: string,
    @Arg('subject') subject: string,
    @Arg('field', () => String, { nullable: true }) field?: string,
    @Arg('userId', () => ID, { nullable: true, description: USER_ID }) userId?: string,
    @Arg('storeId', () => ID, { nullable: true, description: STORE_ID }) storeId?: string,
    @Arg('userEmail', () => String, { nullable: true, description: USER_EMAIL }) userEmail?: string,
    @Arg('storeName', () => String, { nullable: true, description: STORE_NAME }) storeName?: string,
  ): Promise<Explanation> {
    return explain(ctx, { userId, userEmail, storeId, storeName, action, subject, field });
  }
}
