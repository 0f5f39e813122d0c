/**
 * The passkey ceremonies through the real API, for the suites in test/passkeys/: a fresh member of staff (created
 * by the chain manager, invitation accepted), registering a passkey with the software authenticator
 * (test/support/software-authenticator.ts), and signing in or re-authenticating with it.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { GraphQLResult } from '../support/graphql-client';
import { CeremonyTweaks, SoftwareAuthenticator } from '../support/software-authenticator';
import { acceptAs, createStaff } from '../support/staff-accounts';
import type { TestApp } from '../support/test-app';

export const STAFF_PASSWORD = 'Ultramarine-kettle-drum-4417';

export const BEGIN_REGISTRATION = 'mutation { beginPasskeyRegistration { challenge optionsJSON } }';
export const FINISH_REGISTRATION = 'mutation($c: String!, $r: String!, $n: String!) { finishPasskeyRegistration(challenge: $c, response: $r, name: $n) { id name createdAt lastUsedAt } }';
export const BEGIN_SIGN_IN = 'mutation($e: String) { beginPasskeySignIn(email: $e) { challenge optionsJSON } }';
export const FINISH_SIGN_IN = 'mutation($c: String!, $r: String!) { finishPasskeySignIn(challenge: $c, response: $r) { token expiresAt scope user { id email } } }';
export const REAUTHENTICATE = 'mutation($c: String!, $r: String!) { reauthenticateWithPasskey(challenge: $c, response: $r) { authenticatedAt validUntil } }';
export const PASSKEYS = '{ passkeys { id name createdAt lastUsedAt } }';
export const REMOVE = 'mutation($id: ID!) { removePasskey(id: $id) }';

export interface Options { challenge: string; optionsJSON: string }
export interface PasskeyData { id: string; name: string; createdAt: string; lastUsedAt: string | null }
export interface SignInData { finishPasskeySignIn: { token: string; expiresAt: string; scope: string; user: { id: string; email: string } } }

export interface Staff { id: string; email: string; token: string }

/** A new member of staff with a password and a FULL session (no second factor yet). */
export async function newStaff(app: TestApp, managerToken: string, name = 'Priya Natarajan'): Promise<Staff> {
  const staff = await createStaff(app, managerToken, { name });
  const accepted = await acceptAs(app, staff.token, STAFF_PASSWORD);
  if (!accepted.data?.acceptInvitation) throw new Error(`acceptInvitation: ${JSON.stringify(accepted.errors)}`);
  return { id: staff.id, email: staff.email, token: accepted.data.acceptInvitation.token };
}

export async function beginRegistration(app: TestApp, token: string): Promise<Options> {
  const begun = await app.request<{ beginPasskeyRegistration: Options }>(BEGIN_REGISTRATION, {}, token);
  if (!begun.data?.beginPasskeyRegistration) throw new Error(`beginPasskeyRegistration: ${JSON.stringify(begun.errors)}`);
  return begun.data.beginPasskeyRegistration;
}

export function finishRegistration(
  app: TestApp, token: string, challenge: string, response: RegistrationResponseJSON | string, name = 'Work laptop',
): Promise<GraphQLResult<{ finishPasskeyRegistration: PasskeyData }>> {
  return app.request(FINISH_REGISTRATION, { c: challenge, r: typeof response === 'string' ? response : JSON.stringify(response), n: name }, token);
}

/** Registers a passkey on `authenticator` for the session's user; returns it. */
export async function registerPasskey(app: TestApp, token: string, authenticator: SoftwareAuthenticator, name = 'Work laptop', tweaks: CeremonyTweaks = {}): Promise<PasskeyData> {
  const begun = await beginRegistration(app, token);
  const finished = await finishRegistration(app, token, begun.challenge, authenticator.register(begun.optionsJSON, tweaks), name);
  if (!finished.data?.finishPasskeyRegistration) throw new Error(`finishPasskeyRegistration: ${JSON.stringify(finished.errors)}`);
  return finished.data.finishPasskeyRegistration;
}

export async function beginSignIn(app: TestApp, email?: string | null, token?: string): Promise<Options> {
  const begun = await app.request<{ beginPasskeySignIn: Options }>(BEGIN_SIGN_IN, email === undefined ? {} : { e: email }, token ?? null);
  if (!begun.data?.beginPasskeySignIn) throw new Error(`beginPasskeySignIn: ${JSON.stringify(begun.errors)}`);
  return begun.data.beginPasskeySignIn;
}

export function finishSignIn(app: TestApp, challenge: string, response: AuthenticationResponseJSON | string): Promise<GraphQLResult<SignInData>> {
  return app.request<SignInData>(FINISH_SIGN_IN, { c: challenge, r: typeof response === 'string' ? response : JSON.stringify(response) });
}

export function reauthenticate(app: TestApp, token: string, challenge: string, response: AuthenticationResponseJSON): Promise<GraphQLResult<{ reauthenticateWithPasskey: { authenticatedAt: string; validUntil: string } }>> {
  return app.request(REAUTHENTICATE, { c: challenge, r: JSON.stringify(response) }, token);
}

/** The extensions.reason of a result's first error. */
export function reasonOf(result: GraphQLResult<unknown>): unknown {
  return (result.errors?.[0]?.extensions as { reason?: unknown } | undefined)?.reason;
}
