/**
 * The HTTP front's own settings, read from the environment: which address the server listens on
 * (HOST) and which browser origins may call the API cross-origin (VISUS_CORS_ORIGINS). Each bad
 * value stops the process at start with an error naming its variable.
 */
import { isIP } from 'node:net';

/** A DNS host name (RFC 1123 labels), for HOST values that are not IP addresses (e.g. `localhost`). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * HOST: the address to listen on. Unset: loopback only (`127.0.0.1`) in development, every interface
 * (`0.0.0.0`) when NODE_ENV=production, where the server sits behind a load balancer or in a container.
 */
export function hostFrom(raw: string | undefined, production: boolean): string {
  const text = raw?.trim() ?? '';
  if (text === '') return production ? '0.0.0.0' : '127.0.0.1';
  if (isIP(text) === 0 && !HOST_NAME.test(text)) {
    throw new Error(`HOST must be an IP address (127.0.0.1, 0.0.0.0, ::1, ::) or a host name, got "${raw}"`);
  }
  return text;
}

/**
 * VISUS_CORS_ORIGINS: a comma-separated list of exact browser origins (`scheme://host[:port]`, no path,
 * no trailing slash) allowed to call /graphql from another origin, with credentials (cookies and
 * `Authorization`). Unset or empty: no cross-origin access. `*` is refused: a wildcard cannot be
 * combined with credentials, and an API of personal and clinical data names the apps it serves.
 */
export function corsOriginsFrom(raw: string | undefined): readonly string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const origins: string[] = [];
  for (const entry of raw.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    if (entry === '*') {
      throw new Error('VISUS_CORS_ORIGINS must list exact origins: "*" is not accepted, because the API answers with credentials (cookies, Authorization)');
    }
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`VISUS_CORS_ORIGINS must be a comma-separated list of origins such as http://localhost:3000, got "${entry}"`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry) {
      const hint = url.protocol === 'http:' || url.protocol === 'https:' ? ` (did you mean "${url.origin}"?)` : '';
      throw new Error(`VISUS_CORS_ORIGINS entries must be exact http(s) origins (scheme://host[:port], lower case, no path or trailing slash), got "${entry}"${hint}`);
    }
    if (!origins.includes(entry)) origins.push(entry);
  }
  return origins;
}
