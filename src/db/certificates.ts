/**
 * Certificates this server makes for itself (library `selfsigned`, EC P-256, SHA-256): a CA, a server
 * certificate it signs, or a self-signed server certificate; for loopback names (localhost, 127.0.0.1, ::1).
 * Used for the embedded PostgreSQL's TLS (src/db/pg-tls.ts) and the HTTPS development certificate
 * (src/server/tls-certificates.ts). Files are written 0600 (keys) / 0644 (certificates) via a temporary file
 * and a rename, so a reader never sees half a file.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { generate as Generate } from 'selfsigned';

/** selfsigned (and its X.509 library) loads only when a certificate is made, not on every start. */
async function generate(...args: Parameters<typeof Generate>): ReturnType<typeof Generate> {
  const selfsigned = await import('selfsigned');
  return selfsigned.generate(...args);
}

export interface Pem {
  cert: string;
  key: string;
}

const DAY = 24 * 3600 * 1000;
const LOOPBACK_NAMES = [{ type: 2 as const, value: 'localhost' }, { type: 7 as const, ip: '127.0.0.1' }, { type: 7 as const, ip: '::1' }];

function validity(days: number): { notBeforeDate: Date; notAfterDate: Date } {
  // An hour back: a client whose clock is a little behind still accepts a certificate made just now.
  return { notBeforeDate: new Date(Date.now() - 3600 * 1000), notAfterDate: new Date(Date.now() + days * DAY) };
}

export async function generateCa(commonName: string, days: number): Promise<Pem> {
  const pem = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256', ...validity(days),
    extensions: [{ name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }],
  });
  return { cert: pem.cert, key: pem.private };
}

/** A TLS server certificate for the loopback names: signed by `ca`, or self-signed when no CA is given. */
export async function generateServerCertificate(commonName: string, days: number, ca?: Pem): Promise<Pem> {
  const pem = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256', ...validity(days),
    ...(ca ? { ca: { cert: ca.cert, key: ca.key } } : {}),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: LOOPBACK_NAMES },
    ],
  });
  return { cert: pem.cert, key: pem.private };
}

/** Whether the certificate in `certPem` is still valid `marginDays` from now (and, given `issuer`, was signed by it). */
export function stillValid(certPem: string, marginDays: number, issuerPem?: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (new Date(cert.validTo).getTime() < Date.now() + marginDays * DAY) return false;
    if (issuerPem) {
      const issuer = new X509Certificate(issuerPem);
      return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    }
    return true;
  } catch {
    return false;
  }
}

export function readIfPresent(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Writes `text` to `file` through a temporary file and a rename, with `mode`. */
export function writeAtomically(file: string, text: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode });
  fs.chmodSync(temporary, mode);
  fs.renameSync(temporary, file);
}
