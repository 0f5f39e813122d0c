/**
 * Password hashing with argon2id (OWASP parameters: 19 MiB, 2 iterations, 1 lane). Passwords are hashed and
 * verified in their NFKC form (NIST SP 800-63B-4 §3.1.1.2; the password policy checks the same form), so "ﬁ" and
 * "fi" are one password. A hash made before normalisation was introduced is of the raw text: when the NFKC form
 * does not verify and differs from the raw text, the raw text is tried too (ASCII is its own NFKC form, so for the
 * demo passwords and every ASCII password the two are one and nothing is tried twice).
 */
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password.normalize('NFKC'), OPTIONS);
}

async function verifies(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const normalised = password.normalize('NFKC');
  if (await verifies(hash, normalised)) return true;
  return normalised !== password && verifies(hash, password);
}

/** A hash of nothing anyone knows: verified against when the email is unknown, so timing does not reveal accounts. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  return decoy;
}
