/**
 * PasskeyOptions: the answer of `beginPasskeyRegistration` and `beginPasskeySignIn`: the challenge's handle, to
 * hand back with the authenticator's answer, and the options to pass to the browser's WebAuthn call.
 */
import { Field, ObjectType } from 'type-graphql';

@ObjectType('PasskeyOptions', { description: 'A WebAuthn ceremony begun: pass `optionsJSON` to the browser, then hand `challenge` back with its answer (within 5 minutes, once).' })
export class PasskeyOptions {
  @Field({ nullable: false, description: 'The handle of this ceremony’s challenge: send it back with the answer.' })
  challenge: string;

  @Field({ nullable: false, description: 'JSON of PublicKeyCredentialCreationOptionsJSON (registration) or PublicKeyCredentialRequestOptionsJSON (sign-in), for `navigator.credentials.create/get` (e.g. @simplewebauthn/browser).' })
  optionsJSON: string;
}
