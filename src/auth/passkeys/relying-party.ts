/**
 * The fixed terms of Visus's WebAuthn ceremonies (docs/passkeys.md): the relying party's name, how long a
 * challenge lives, which public-key algorithms are accepted, and the WebAuthn user handle of a user (the 16
 * bytes of their id: stable, so an authenticator keeps one passkey per user, and no personal data).
 */
export const RP_NAME = 'Visus';
/** Minutes a begin… challenge stays answerable. */
export const CHALLENGE_MINUTES = 5;
/** Per ceremony: the user has this long to answer the browser's prompt (the WebAuthn `timeout`, milliseconds). */
export const CEREMONY_TIMEOUT_MS = CHALLENGE_MINUTES * 60_000;
/** COSE algorithms accepted: EdDSA (-8), ES256 (-7), RS256 (-257). */
export const SUPPORTED_ALGORITHMS = [-8, -7, -257];

/** The WebAuthn user handle of a user: the 16 bytes of their UUID. */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));
}

/** The user handle as the browser returns it (base64url). */
export function userHandleText(userId: string): string {
  return Buffer.from(userHandleOf(userId)).toString('base64url');
}
