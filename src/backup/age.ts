/**
 * The backup archive's encryption: age (the `age-encryption` package, ESM, loaded with a dynamic import) to public
 * recipients, so the host that writes backups cannot read them back. Recipients come from BACKUP_RECIPIENT (one or
 * more `age1…` keys, comma-separated) or BACKUP_RECIPIENTS_FILE (one per line, `#` comments); the identity that
 * decrypts from BACKUP_IDENTITY_FILE. With neither set outside production, an identity is generated once in
 * `backup-identity.txt` beside the embedded PostgreSQL's data folder (a development default: in production the
 * identity must be kept off the API host).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

type AgeModule = typeof import('age-encryption', { with: { 'resolution-mode': 'import' } });

/**
 * The ESM package. Compiled (module node16) this is a real dynamic import; under jest (ts-jest compiles to CommonJS,
 * whose require cannot load ESM) Node's own require is used instead, which loads ESM on Node >= 20.19.
 */
export async function age(): Promise<AgeModule> {
  try {
    return await import('age-encryption');
  } catch (error) {
    if ((error as Error | null)?.name !== 'SyntaxError') throw error; // (another realm's SyntaxError under jest)
    const nodeModule = process.getBuiltinModule('node:module') as typeof import('node:module');
    return nodeModule.createRequire(__filename)('age-encryption') as AgeModule;
  }
}

export interface BackupKeys {
  recipients: string[];
  /** The identity file, when one is available on this host. */
  identityFile?: string;
}

export function defaultIdentityFile(embeddedDataDir: string): string {
  return path.join(path.dirname(embeddedDataDir), 'backup-identity.txt');
}

function readLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** The recipients and identity from the environment (see the header). */
export async function backupKeys(env: NodeJS.ProcessEnv, production: boolean, embeddedDataDir: string): Promise<BackupKeys> {
  const identityFile = env.BACKUP_IDENTITY_FILE || undefined;
  const recipients = [
    ...(env.BACKUP_RECIPIENT ? env.BACKUP_RECIPIENT.split(',').map((r) => r.trim()).filter(Boolean) : []),
    ...(env.BACKUP_RECIPIENTS_FILE ? readLines(env.BACKUP_RECIPIENTS_FILE) : []),
  ];
  for (const r of recipients) if (!r.startsWith('age1')) throw new Error(`backup recipient "${r}" is not an age public key (age1…)`);
  if (recipients.length) return { recipients, identityFile };
  if (identityFile) return { recipients: [await recipientOf(identityFile)], identityFile };
  if (production) throw new Error('set BACKUP_RECIPIENT (an age1… public key) or BACKUP_RECIPIENTS_FILE in production; keep the identity off this host');
  const file = defaultIdentityFile(embeddedDataDir);
  if (!fs.existsSync(file)) {
    const identity = await (await age()).generateX25519Identity();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, `# Visus backup identity (development default). In production keep it off the API host.\n${identity}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return { recipients: [await recipientOf(file)], identityFile: file };
}

export function readIdentity(file: string): string[] {
  const ids = readLines(file).filter((l) => l.startsWith('AGE-SECRET-KEY-'));
  if (!ids.length) throw new Error(`${file} holds no age identity (AGE-SECRET-KEY-…)`);
  return ids;
}

async function recipientOf(identityFile: string): Promise<string> {
  return (await age()).identityToRecipient(readIdentity(identityFile)[0]);
}

/** `plain` encrypted to the recipients, as a Node stream. */
export async function encryptStream(plain: Readable, recipients: string[]): Promise<Readable> {
  const a = await age();
  const e = new a.Encrypter();
  for (const r of recipients) e.addRecipient(r);
  const out = await e.encrypt(Readable.toWeb(plain) as unknown as ReadableStream<Uint8Array>);
  return Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>);
}

/** `cipher` decrypted with the identities; rejects when none matches, and the stream errors on a bad chunk. */
export async function decryptStream(cipher: Readable, identities: string[]): Promise<Readable> {
  const a = await age();
  const d = new a.Decrypter();
  for (const i of identities) d.addIdentity(i);
  const out = await d.decrypt(Readable.toWeb(cipher) as unknown as ReadableStream<Uint8Array>);
  return Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>);
}
