/**
 * The HTTPS server's certificate and key: the operator's PEM files (TLS_CERT_FILE, TLS_KEY_FILE), or the
 * self-signed development certificate (VISUS_DEV_TLS=true) made on first start in `<data>/tls/` as
 * `dev-cert.pem` and `dev-key.pem`, reused afterwards and made again when it nears its end. A client trusts it
 * with `curl --cacert <data>/tls/dev-cert.pem https://localhost:4443/...`. A file that cannot be read, or a key
 * that does not fit the certificate, stops the start with one line.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HttpsSource } from '../config/tls';
import { generateServerCertificate, Pem, readIfPresent, stillValid, writeAtomically } from '../db/certificates';
import { StartupError } from '../errors/startup-error';

const DEV_DAYS = 365;
const RENEW_DAYS = 14;

export function devCertificateFiles(dir: string): { certFile: string; keyFile: string } {
  return { certFile: path.join(dir, 'dev-cert.pem'), keyFile: path.join(dir, 'dev-key.pem') };
}

function readPem(file: string, variable: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartupError(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}

/** The operator's files, checked: a certificate, and the private key of that certificate. */
function fromFiles(certFile: string, keyFile: string): Pem {
  const cert = readPem(certFile, 'TLS_CERT_FILE');
  const key = readPem(keyFile, 'TLS_KEY_FILE');
  let matches: boolean;
  try {
    matches = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch (error) {
    throw new StartupError(`TLS_CERT_FILE / TLS_KEY_FILE: not a PEM certificate and private key (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!matches) throw new StartupError(`TLS_KEY_FILE ${keyFile} is not the private key of the certificate in TLS_CERT_FILE ${certFile}`);
  return { cert, key };
}

async function developmentCertificate(dir: string): Promise<Pem> {
  const files = devCertificateFiles(dir);
  const cert = readIfPresent(files.certFile);
  const key = readIfPresent(files.keyFile);
  if (cert && key && stillValid(cert, RENEW_DAYS)) return { cert, key };
  fs.mkdirSync(dir, { recursive: true });
  const made = await generateServerCertificate('localhost', DEV_DAYS);
  writeAtomically(files.keyFile, made.key, 0o600);
  writeAtomically(files.certFile, made.cert, 0o644);
  return made;
}

/** The certificate and key to serve HTTPS with, or null when HTTPS is off. */
export async function httpsCertificate(source: HttpsSource): Promise<Pem | null> {
  if (source.kind === 'off') return null;
  if (source.kind === 'files') return fromFiles(source.certFile, source.keyFile);
  return developmentCertificate(source.dir);
}
