/**
 * The signed-in user's own account: changePassword (src/services/account/change-password.ts).
 */
import { Mutation, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';
import { changePassword } from '../services/account/change-password';

@Resolver()
export class AccountResolver {
  @Mutation(() => Boolean, {
    nullable: false,
    description: 'Changes your own password: `current` must be right (wrong tries count toward the sign-in throttle), `new` must meet the password policy. Your other sessions end; this one stays.',
  })
  changePassword(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('current') current: string,
    @Arg('new') next: string,
  ): Promise<boolean> {
    return changePassword(ctx, current, next);
  }
}
