/**
 * The chain's auth policy (authPolicy, updateAuthPolicy): second factors and passkeys by role, session limits.
 * The rules and their defaults are src/services/auth-policy/'s (docs/auth-policy.md).
 */
import { Mutation, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { AuthPolicyView } from '../schema/auth/auth-policy.type';
import { UpdateAuthPolicyInput } from '../schema/inputs/auth-policy.inputs';
import { readAuthPolicy, updateAuthPolicy } from '../services/auth-policy/auth-policy';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => AuthPolicyView)
export class AuthPolicyResolver {
  @Query(() => AuthPolicyView, { nullable: false, description: 'The chain’s sign-in rules: which roles need a second factor or a passkey, the session limits (the defaults until changed).' })
  authPolicy(@Authenticated() ctx: AuthenticatedContext): Promise<AuthPolicyView> {
    return readAuthPolicy(ctx);
  }

  @Mutation(() => AuthPolicyView, { nullable: false, description: 'Changes the chain’s sign-in rules (needs a recent sign-in); kept in the security settings history. Applies to sessions opened afterwards.' })
  updateAuthPolicy(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => UpdateAuthPolicyInput) input: UpdateAuthPolicyInput): Promise<AuthPolicyView> {
    return updateAuthPolicy(ctx, input);
  }
}
