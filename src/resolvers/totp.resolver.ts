/**
 * beginTotpEnrollment and confirmTotpEnrollment: the signed-in user's own TOTP authenticator (src/services/mfa/totp-enrolment.ts).
 */
import { Mutation, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';
import { RecoveryCodes } from '../schema/auth/recovery-codes.type';
import { TotpEnrollment } from '../schema/auth/totp-enrollment.type';
import { beginTotpEnrollment, confirmTotpEnrollment } from '../services/mfa/totp-enrolment';

@Resolver()
export class TotpResolver {
  @Mutation(() => TotpEnrollment, { nullable: false, description: 'Starts enrolling a TOTP authenticator for yourself: a new secret, otpauth URI and QR code. Replacing a confirmed one needs a recent second factor (reauthenticate).' })
  beginTotpEnrollment(@Authenticated() ctx: AuthenticatedContext): Promise<TotpEnrollment> {
    return beginTotpEnrollment(ctx);
  }

  @Mutation(() => RecoveryCodes, { nullable: false, description: 'Turns TOTP on with the current code of the authenticator being enrolled; answers ten recovery codes, shown once.' })
  confirmTotpEnrollment(@Arg('code') code: string, @Authenticated() ctx: AuthenticatedContext): Promise<RecoveryCodes> {
    return confirmTotpEnrollment(ctx, code);
  }
}
