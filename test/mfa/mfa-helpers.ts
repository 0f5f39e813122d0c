/**
 * Helpers for the MFA suites: TOTP codes computed here from the base32 secret the API handed out, written from
 * RFC 6238 / RFC 4226 with node:crypto (the authenticator app's side: HMAC-SHA-1, 6 digits, 30 s; not the server's
 * code), a fresh member of staff with a password, and the GraphQL documents of the MFA flow.
 */
import { createHmac } from 'node:crypto';
import { createStaff, acceptAs, freshEmail } from '../support/staff-accounts';
import type { TestApp } from '../support/test-app';

export const PASSWORD = 'Ultramarine-kettle-drum-4417';
export const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { mfaRequired challenge token expiresAt scope user { id email } } }';
export const VERIFY = 'mutation($c: String!, $code: String!) { verifyMfa(challenge: $c, code: $code) { token expiresAt scope user { id email } } }';
export const BEGIN = 'mutation { beginTotpEnrollment { secret otpauthUri qrCodeSvg } }';
export const CONFIRM = 'mutation($code: String!) { confirmTotpEnrollment(code: $code) { codes generatedAt } }';

export interface LoginData { login: { mfaRequired: boolean; challenge: string | null; token: string | null; expiresAt: string | null; scope: string | null; user: { id: string; email: string } | null } }
export interface VerifyData { verifyMfa: { token: string; expiresAt: string; scope: string; user: { id: string; email: string } } }
export interface BeginData { beginTotpEnrollment: { secret: string; otpauthUri: string; qrCodeSvg: string } }
export interface ConfirmData { confirmTotpEnrollment: { codes: string[]; generatedAt: string } }

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP (dynamic truncation, 6 digits) of `counter`, HMAC-SHA-1. */
export function hotp(secret: string, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The code an authenticator shows now (synchronous: for request tables built at call time). */
export function totpNow(secret: string, steps = 0): string {
  return hotp(secret, Math.floor(Date.now() / 1000 / 30) + steps);
}

/** The code an authenticator shows `steps` time steps from now (-1: the previous step, +1: the next). */
export async function totpCode(secret: string, steps = 0): Promise<string> {
  return totpNow(secret, steps);
}

/** Waits until at least `margin` seconds remain in the current 30-second step, so codes computed now stay in the window. */
export async function awayFromStepEdge(margin = 4): Promise<void> {
  const into = (Date.now() / 1000) % 30;
  if (30 - into < margin) await new Promise((resolve) => setTimeout(resolve, (30 - into + 0.3) * 1000));
}

/** A new member of staff of Clearview who has set their password; their first session's token. */
export async function newStaff(app: TestApp, managerToken: string): Promise<{ id: string; email: string; token: string }> {
  const staff = await createStaff(app, managerToken, { email: freshEmail('mfa') });
  const accepted = await acceptAs(app, staff.token, PASSWORD);
  if (!accepted.data?.acceptInvitation) throw new Error(`acceptInvitation: ${JSON.stringify(accepted.errors)}`);
  return { id: staff.id, email: staff.email, token: accepted.data.acceptInvitation.token };
}

/**
 * Enrols TOTP for the holder of `token`, confirming with the previous step's code (so the current and next steps
 * are still free for sign-ins). Returns the secret and the recovery codes.
 */
export async function enrol(app: TestApp, token: string): Promise<{ secret: string; codes: string[] }> {
  await awayFromStepEdge();
  const begun = await app.request<BeginData>(BEGIN, {}, token);
  if (!begun.data?.beginTotpEnrollment) throw new Error(`begin: ${JSON.stringify(begun.errors)}`);
  const secret = begun.data.beginTotpEnrollment.secret;
  const confirmed = await app.request<ConfirmData>(CONFIRM, { code: await totpCode(secret, -1) }, token);
  if (!confirmed.data?.confirmTotpEnrollment) throw new Error(`confirm: ${JSON.stringify(confirmed.errors)}`);
  return { secret, codes: confirmed.data.confirmTotpEnrollment.codes };
}

export async function challengeFor(app: TestApp, email: string, password = PASSWORD): Promise<string> {
  const result = await app.request<LoginData>(LOGIN, { e: email, p: password });
  if (!result.data?.login?.challenge) throw new Error(`login: ${JSON.stringify(result.errors ?? result.data)}`);
  return result.data.login.challenge;
}
