/**
 * The answer to `beginTotpEnrollment`: the new secret, shown once, as base32 text, as an `otpauth://` URI and as a
 * QR code (SVG text) an authenticator app scans. Nothing is switched on until `confirmTotpEnrollment`.
 */
import { Field, ObjectType } from 'type-graphql';

@ObjectType('TotpEnrollment', { description: 'A TOTP secret to add to an authenticator app; confirm it with confirmTotpEnrollment(code).' })
export class TotpEnrollment {
  @Field({ nullable: false, description: 'The secret, base32 (for typing into an app by hand).' })
  secret: string;

  @Field({ nullable: false, description: 'otpauth://totp/Visus:<email>?secret=…&issuer=Visus&algorithm=SHA1&digits=6&period=30' })
  otpauthUri: string;

  @Field({ nullable: false, description: 'The otpauth URI as a QR code: SVG text.' })
  qrCodeSvg: string;
}
