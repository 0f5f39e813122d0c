/**
 * The WebAuthn relying party (passkeys, docs/passkeys.md): WEBAUTHN_ORIGIN, the exact browser origin a passkey
 * ceremony must come from (default: the origin of PUBLIC_BASE_URL, `http://localhost:4000` by default), and
 * WEBAUTHN_RP_ID, the domain passkeys are bound to (default: the origin's host, so `localhost` by default). The
 * origin's host must be the RP ID or a subdomain of it, as browsers require; anything else stops the process at start.
 */

export interface WebAuthnSettings {
  rpId: string;
  origin: string;
}

export function webauthnFrom(rawRpId: string | undefined, rawOrigin: string | undefined, publicBaseUrl: string): WebAuthnSettings {
  let url: URL;
  try {
    url = new URL(rawOrigin || publicBaseUrl);
  } catch {
    throw new Error(`WEBAUTHN_ORIGIN must be an absolute http(s) origin, got "${rawOrigin}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`WEBAUTHN_ORIGIN must be http(s), got "${rawOrigin}"`);
  if (rawOrigin && url.origin !== rawOrigin.replace(/\/+$/, '')) {
    throw new Error(`WEBAUTHN_ORIGIN must be an origin only (scheme, host, optional port), got "${rawOrigin}"`);
  }
  const host = url.hostname.toLowerCase();
  const rpId = (rawRpId || host).trim().toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(rpId)) {
    throw new Error(`WEBAUTHN_RP_ID must be a domain name (no scheme, port or path), got "${rawRpId ?? host}"`);
  }
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    throw new Error(`WEBAUTHN_ORIGIN's host (${host}) must be WEBAUTHN_RP_ID (${rpId}) or a subdomain of it`);
  }
  return { rpId, origin: url.origin };
}
