/**
 * The staff lifecycle: createUser, updateUser, deactivateUser, reactivateUser, resetUserPassword, and the anonymous
 * acceptInvitation (alone in its operation). Services in src/services/staff/.
 */
import { Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { User } from '../schema/core/user.entity';
import { CreatedUser, InvitationPayload } from '../schema/core/staff.types';
import { CreateUserInput, UpdateUserInput } from '../schema/inputs/staff.inputs';
import { SessionPayload } from '../schema/session.type';
import { acceptInvitation } from '../services/staff/accept-invitation';
import { createUser } from '../services/staff/create-user';
import { resetUserPassword } from '../services/staff/reset-password';
import { updateUser } from '../services/staff/update-user';
import { deactivateUser, reactivateUser } from '../services/staff/user-status';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class StaffResolver {
  @Mutation(() => CreatedUser, { description: 'Creates a member of staff (with a one-time invitation to set their password, shown this once) or a service account.' })
  createUser(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => CreateUserInput) input: CreateUserInput): Promise<CreatedUser> {
    return createUser(ctx, input);
  }

  @Mutation(() => User, { description: 'Changes a user’s name, email, profession or registration number.' })
  updateUser(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateUserInput) input: UpdateUserInput,
  ): Promise<User> {
    return updateUser(ctx, id, input);
  }

  @Mutation(() => User, { description: 'Deactivates a user: ends their sessions and revokes their API tokens and invitations at once. Never yourself, never the chain’s last role manager.' })
  deactivateUser(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<User> {
    return deactivateUser(ctx, id);
  }

  @Mutation(() => User, { description: 'Reactivates a user: they can sign in again with the same password; revoked API tokens stay revoked.' })
  reactivateUser(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<User> {
    return reactivateUser(ctx, id);
  }

  @Mutation(() => InvitationPayload, { description: 'Issues a new invitation for a member of staff: their password stops working and their sessions end.' })
  resetUserPassword(@Authenticated() ctx: AuthenticatedContext, @Arg('userId', () => ID) userId: string): Promise<InvitationPayload> {
    return resetUserPassword(ctx, userId);
  }

  @Mutation(() => SessionPayload, { description: 'Sets your password with a one-time invitation token and signs you in. Send it as a request of its own.' })
  acceptInvitation(@Arg('token') token: string, @Arg('password') password: string, @Ctx() ctx: AppContext): Promise<SessionPayload> {
    return acceptInvitation(ctx, token, password);
  }
}
