/**
 * TLS settings of external database URLs (DATABASE_URL and the others): libpq's `sslmode` and `sslrootcert`
 * in the URL are honoured by node-postgres; what libpq also reads from the environment is added here, so the
 * same settings work for this server as for psql: PGSSLMODE when the URL names no sslmode, and PGSSLROOTCERT
 * (the CA file the server is verified against) when the URL names no sslrootcert. Use
 * `sslmode=verify-full`: the server must present a certificate the CA signed, for the host in the URL.
 * A CA file that cannot be read stops the process at start with one line.
 */
import fs from 'node:fs';
import { StartupError } from '../errors/startup-error';

export function withEnvironmentTls(url: string, env: NodeJS.ProcessEnv = process.env): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url; // not a URL (e.g. a libpq key=value string): left to node-postgres as it is
  }
  const mode = parsed.searchParams.get('sslmode') ?? (env.PGSSLMODE?.trim() || null);
  if (mode && !parsed.searchParams.has('sslmode')) parsed.searchParams.set('sslmode', mode);
  const rootCert = env.PGSSLROOTCERT?.trim();
  if (rootCert && mode && mode !== 'disable' && !parsed.searchParams.has('sslrootcert')) {
    try {
      fs.accessSync(rootCert, fs.constants.R_OK);
    } catch (error) {
      throw new StartupError(`PGSSLROOTCERT: cannot read the CA file ${rootCert} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
    }
    parsed.searchParams.set('sslrootcert', rootCert);
  }
  return parsed.toString();
}
