/**
 * apiTokens, createApiToken and revokeApiToken: API tokens of service accounts (src/services/api-token-service.ts).
 */
import { ID, Mutation, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ApiToken } from '../schema/core/api-token.entity';
import { CreatedApiToken } from '../schema/core/api-token.types';
import { CreateApiTokenInput } from '../schema/inputs/api-token.inputs';
import { createApiToken, listApiTokens, revokeApiToken } from '../services/api-token-service';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Query(() => [ApiToken], { nullable: false, description: 'The chain’s API tokens (optionally of one service account), newest first; never their text.' })
  apiTokens(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('userId', () => ID, { nullable: true, description: 'Only the tokens of this service account.' }) userId?: string,
  ): Promise<ApiToken[]> {
    return listApiTokens(ctx, userId);
  }

  @Mutation(() => CreatedApiToken, { description: 'Creates an API token for a service account; its text is returned this once.' })
  createApiToken(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput): Promise<CreatedApiToken> {
    return createApiToken(ctx, input);
  }

  @Mutation(() => ApiToken, { description: 'Revokes an API token: from the next request on it is refused. Not undone.' })
  revokeApiToken(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<ApiToken> {
    return revokeApiToken(ctx, id);
  }
}
