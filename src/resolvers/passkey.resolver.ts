/**
 * Passkeys (WebAuthn, docs/passkeys.md): registering, listing and removing one's own, signing in with one
 * (finishPasskeySignIn: anonymous, alone in its operation like login) and re-authenticating with one.
 * Services in src/services/passkeys/.
 */
import { Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { PasskeyOptions } from '../schema/auth/passkey-options.type';
import { Reauthentication } from '../schema/auth/reauthentication.type';
import { Passkey } from '../schema/core/passkey.entity';
import { SessionPayload } from '../schema/session.type';
import { ownPasskeys, removePasskey } from '../services/passkeys/own-passkeys';
import { beginPasskeySignIn, finishPasskeySignIn, reauthenticateWithPasskey } from '../services/passkeys/passkey-sign-in';
import { beginPasskeyRegistration, finishPasskeyRegistration } from '../services/passkeys/registration';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class PasskeyResolver {
  @Query(() => [Passkey], { nullable: false, description: 'Your passkeys (names and dates; never the keys).' })
  passkeys(@Authenticated() ctx: AuthenticatedContext): Promise<Passkey[]> {
    return ownPasskeys(ctx);
  }

  @Mutation(() => PasskeyOptions, { nullable: false, description: 'Begins registering a passkey for you: pass `optionsJSON` to navigator.credentials.create. With a second factor already enrolled, needs a recent re-authentication.' })
  beginPasskeyRegistration(@Authenticated() ctx: AuthenticatedContext): Promise<PasskeyOptions> {
    return beginPasskeyRegistration(ctx);
  }

  @Mutation(() => Passkey, { nullable: false, description: 'Finishes registering a passkey: `response` is the JSON of the browser’s RegistrationResponseJSON, `name` what you call it.' })
  finishPasskeyRegistration(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('challenge') challenge: string,
    @Arg('response') response: string,
    @Arg('name') name: string,
  ): Promise<Passkey> {
    return finishPasskeyRegistration(ctx, challenge, response, name);
  }

  @Mutation(() => Boolean, { nullable: false, description: 'Removes one of your passkeys; needs a recent re-authentication.' })
  removePasskey(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return removePasskey(ctx, id);
  }

  @Mutation(() => PasskeyOptions, { nullable: false, description: 'Begins a passkey sign-in (or re-authentication): pass `optionsJSON` to navigator.credentials.get. Without an email, the browser offers its discoverable passkeys.' })
  beginPasskeySignIn(@Ctx() ctx: AppContext, @Arg('email', () => String, { nullable: true }) email?: string | null): Promise<PasskeyOptions> {
    return beginPasskeySignIn(ctx, email);
  }

  @Mutation(() => SessionPayload, { nullable: false, description: 'Signs in with a passkey; ends any other session of the same user. Send it as a request of its own.' })
  finishPasskeySignIn(@Arg('challenge') challenge: string, @Arg('response') response: string, @Ctx() ctx: AppContext): Promise<SessionPayload> {
    return finishPasskeySignIn(ctx, challenge, response);
  }

  @Mutation(() => Reauthentication, { nullable: false, description: 'Proves who you are again with one of your passkeys (a challenge from beginPasskeySignIn). Send it as a request of its own.' })
  reauthenticateWithPasskey(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('challenge') challenge: string,
    @Arg('response') response: string,
  ): Promise<Reauthentication> {
    return reauthenticateWithPasskey(ctx, challenge, response);
  }
}
