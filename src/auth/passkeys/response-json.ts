/**
 * Reading a WebAuthn answer sent as JSON text (`response` of finishPasskeyRegistration, finishPasskeySignIn,
 * reauthenticateWithPasskey): the shape of RegistrationResponseJSON / AuthenticationResponseJSON with every
 * binary member a base64url string, at most 64 KiB. Anything else is BAD_USER_INPUT naming `response`; whether
 * the answer is genuine is for the verification that follows.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { badInput } from '../../errors/errors';

const MAX_LENGTH = 65_536;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

type Json = Record<string, unknown>;

function parse(text: string, field: string): Json {
  if (typeof text !== 'string' || text.length === 0) throw badInput(field, 'must be the JSON of a WebAuthn credential');
  if (text.length > MAX_LENGTH) throw badInput(field, `must be at most ${MAX_LENGTH} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badInput(field, 'must be the JSON of a WebAuthn credential');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badInput(field, 'must be the JSON of a WebAuthn credential');
  const json = value as Json;
  if (json.type !== 'public-key') throw badInput(field, 'must be a public-key credential');
  for (const key of ['id', 'rawId']) {
    const member = json[key];
    if (typeof member !== 'string' || member.length === 0 || member.length > 1400 || !BASE64URL.test(member)) {
      throw badInput(field, `must carry a base64url ${key}`);
    }
  }
  if (!json.response || typeof json.response !== 'object') throw badInput(field, 'must carry the authenticator response');
  if (json.clientExtensionResults !== undefined && (typeof json.clientExtensionResults !== 'object' || json.clientExtensionResults === null)) {
    throw badInput(field, 'clientExtensionResults must be an object');
  }
  return json;
}

function requireBase64url(response: Json, keys: string[], field: string, optional: string[] = []): void {
  for (const key of [...keys, ...optional]) {
    const member = response[key];
    if (member === undefined && optional.includes(key)) continue;
    if (typeof member !== 'string' || !BASE64URL.test(member) || (keys.includes(key) && member.length === 0)) {
      throw badInput(field, `must carry a base64url response.${key}`);
    }
  }
}

export function registrationResponse(text: string, field = 'response'): RegistrationResponseJSON {
  const json = parse(text, field);
  const response = json.response as Json;
  requireBase64url(response, ['clientDataJSON', 'attestationObject'], field);
  if (response.transports !== undefined && (!Array.isArray(response.transports) || !response.transports.every((t) => typeof t === 'string'))) {
    throw badInput(field, 'response.transports must be a list of strings');
  }
  return { ...json, clientExtensionResults: (json.clientExtensionResults as Json | undefined) ?? {} } as unknown as RegistrationResponseJSON;
}

export function authenticationResponse(text: string, field = 'response'): AuthenticationResponseJSON {
  const json = parse(text, field);
  const response = json.response as Json;
  requireBase64url(response, ['clientDataJSON', 'authenticatorData', 'signature'], field, ['userHandle']);
  return { ...json, clientExtensionResults: (json.clientExtensionResults as Json | undefined) ?? {} } as unknown as AuthenticationResponseJSON;
}
