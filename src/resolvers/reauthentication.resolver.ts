/**
 * reauthenticate(password, code): a fresh proof of identity on the caller's session, for sensitive acts
 * (src/services/reauthentication/reauthenticate.ts; docs/auth-policy.md).
 */
import { Mutation, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Reauthentication } from '../schema/auth/reauthentication.type';
import { reauthenticate } from '../services/reauthentication/reauthenticate';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class ReauthenticationResolver {
  @Mutation(() => Reauthentication, { nullable: false, description: 'Proves again who you are (your password, and your authenticator code when you have one) so sensitive acts are allowed for REAUTH_WINDOW_MINUTES. Alone in its operation.' })
  reauthenticate(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('password', () => String) password: string,
    @Arg('code', () => String, { nullable: true, description: 'Your authenticator app’s current code, or one of your recovery codes: required when you have an authenticator app enrolled.' }) code?: string,
  ): Promise<Reauthentication> {
    return reauthenticate(ctx, password, code);
  }
}
