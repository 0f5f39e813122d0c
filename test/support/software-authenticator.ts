/**
 * A software WebAuthn authenticator for the suites, with node:crypto only: ES256 (P-256) credentials, attestation
 * 'none', CBOR through @simplewebauthn/server's own isoCBOR helper, authenticator data with the UP and UV flags
 * and a signature counter. It answers the server's optionsJSON as a browser with a platform authenticator would
 * (RegistrationResponseJSON / AuthenticationResponseJSON), and lets a test lie: another origin or RP ID, no user
 * verification, a chosen counter, another user handle, or a credential it was never asked for.
 *
 * Written from the WebAuthn Level 3 specification (§6.1 authenticator data, §6.5 attestation, §7 client data),
 * not from the server code it checks.
 */
import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface SoftwareCredential {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

export interface CeremonyTweaks {
  /** The origin the "browser" reports in clientDataJSON (default: the authenticator's). */
  origin?: string;
  /** The RP ID whose hash goes into the authenticator data (default: the options' / the authenticator's). */
  rpId?: string;
  /** Leave the user-verified flag off. */
  noUserVerification?: boolean;
  /** clientDataJSON type (default webauthn.create / webauthn.get). */
  type?: string;
}

export interface AssertionTweaks extends CeremonyTweaks {
  /** Answer with this credential (default: the first allowed one this authenticator holds, or its only one). */
  credentialId?: string;
  /** Sign with this counter instead of the next one (the stored counter is not moved). */
  counter?: number;
  /** Report this user handle (base64url) instead of the credential's; null: report none. */
  userHandle?: string | null;
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** The credential's public key as a COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y. */
function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  const cose = new Map<number, number | Uint8Array>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
    [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
  ]);
  return isoCBOR.encode(cose);
}

export class SoftwareAuthenticator {
  readonly credentials: SoftwareCredential[] = [];

  /** `origin`: where its "browser" runs (the server's WEBAUTHN_ORIGIN in the happy path). */
  constructor(readonly origin: string) {}

  /** navigator.credentials.create: a new discoverable ES256 credential, attestation 'none'. */
  register(optionsJSON: string | PublicKeyCredentialCreationOptionsJSON, tweaks: CeremonyTweaks = {}): RegistrationResponseJSON {
    const options = typeof optionsJSON === 'string' ? (JSON.parse(optionsJSON) as PublicKeyCredentialCreationOptionsJSON) : optionsJSON;
    if (!options.pubKeyCredParams.some((p) => p.alg === -7)) throw new Error('software authenticator: ES256 not offered');
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.credentials.some((c) => excluded.has(c.id))) throw new Error('software authenticator: InvalidStateError (credential excluded)');
    const rpId = tweaks.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credentialId = randomBytes(16);
    const credential: SoftwareCredential = { id: b64url(credentialId), rpId, userHandle: options.user.id, privateKey, counter: 0 };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const flags = FLAG_UP | FLAG_AT | (tweaks.noUserVerification ? 0 : FLAG_UV);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([flags]), uint32(credential.counter), Buffer.alloc(16), idLength, credentialId, coseKey(publicKey)]);
    const attestationObject = isoCBOR.encode(new Map<string, string | Uint8Array | Map<string, string>>([
      ['fmt', 'none'], ['attStmt', new Map<string, string>()], ['authData', new Uint8Array(authData)],
    ]));
    const clientDataJSON = JSON.stringify({ type: tweaks.type ?? 'webauthn.create', challenge: options.challenge, origin: tweaks.origin ?? this.origin, crossOrigin: false });
    this.credentials.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(Buffer.from(clientDataJSON)), attestationObject: b64url(attestationObject), transports: ['internal'] },
    };
  }

  /** navigator.credentials.get: signs the challenge with a credential it holds, moving its counter. */
  authenticate(optionsJSON: string | PublicKeyCredentialRequestOptionsJSON, tweaks: AssertionTweaks = {}): AuthenticationResponseJSON {
    const options = typeof optionsJSON === 'string' ? (JSON.parse(optionsJSON) as PublicKeyCredentialRequestOptionsJSON) : optionsJSON;
    const credential = this.pick(options, tweaks.credentialId);
    let counter: number;
    if (tweaks.counter !== undefined) counter = tweaks.counter;
    else counter = credential.counter += 1;
    const rpId = tweaks.rpId ?? options.rpId ?? credential.rpId;
    const flags = FLAG_UP | (tweaks.noUserVerification ? 0 : FLAG_UV);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([flags]), uint32(counter)]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: tweaks.type ?? 'webauthn.get', challenge: options.challenge, origin: tweaks.origin ?? this.origin, crossOrigin: false }));
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey); // DER, as WebAuthn ES256 wants
    const userHandle = tweaks.userHandle === undefined ? credential.userHandle : tweaks.userHandle;
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(userHandle === null ? {} : { userHandle }),
      },
    };
  }

  private pick(options: PublicKeyCredentialRequestOptionsJSON, wanted: string | undefined): SoftwareCredential {
    if (wanted) {
      const found = this.credentials.find((c) => c.id === wanted);
      if (!found) throw new Error('software authenticator: no such credential');
      return found;
    }
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const candidates = allowed.size > 0 ? this.credentials.filter((c) => allowed.has(c.id)) : this.credentials;
    if (candidates.length === 0) throw new Error('software authenticator: NotAllowedError (no credential for this request)');
    return candidates[candidates.length - 1];
  }
}

/** A copy of a response with one byte of its signature flipped. */
export function withTamperedSignature(response: AuthenticationResponseJSON): AuthenticationResponseJSON {
  const signature = Buffer.from(response.response.signature, 'base64url');
  signature[signature.length - 1] ^= 0x01;
  return { ...response, response: { ...response.response, signature: signature.toString('base64url') } };
}
