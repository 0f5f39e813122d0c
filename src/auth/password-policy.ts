/**
 * The rules every new password must meet (NIST SP 800-63B-4 §3.1.1.2), checked wherever a password is set
 * (acceptInvitation, changePassword). The password is NFKC-normalised first (src/auth/password.ts hashes the same
 * form) and its length counted in code points: at least 15 when the password is the only factor, 8 when the user has
 * a second factor; at most 256. Printing characters, spaces and any Unicode are accepted; control characters are not.
 * No composition rules. Refused, with the reason: a password on the shipped list of common and breached passwords
 * (src/auth/breached-passwords.ts), one made of repeated or sequential characters (src/auth/password-patterns.ts), and
 * one containing a context word: the chain's name, a part of the user's name or email address (case-insensitive).
 * Every refusal is BAD_USER_INPUT naming `context.field`; the message says why and never repeats the password.
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../errors/errors';
import { isCommonPassword } from './breached-passwords';
import { isRepetitiveOrSequential } from './password-patterns';

export const PASSWORD_MIN_ONLY_FACTOR = 15;
export const PASSWORD_MIN_WITH_SECOND_FACTOR = 8;
export const PASSWORD_MAX = 256;
/** Context words shorter than this are not checked (too many innocent passwords contain "al" or "jo"). */
export const CONTEXT_WORD_MIN = 3;

export interface PasswordContext {
  /** The input path named in a refusal, e.g. "password" or "newPassword". */
  field: string;
  user: { name: string; email: string; chainId: string };
  /** The user has a second factor enrolled: 8 characters suffice, else 15. */
  hasSecondFactor: boolean;
}

/** The form a password is checked and hashed in (NIST: NFKC or NFKD; Visus uses NFKC). */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Words of a name or address part: split on anything that is not a letter or digit; at least CONTEXT_WORD_MIN long, not only digits. */
function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').split(/[^\p{L}\p{N}]+/u)
    .filter((w) => [...w].length >= CONTEXT_WORD_MIN && !/^\p{N}+$/u.test(w));
}

/** The context words of a user, each with the reason a password containing it is refused. */
export function contextWords(user: { name: string; email: string }, chainName: string | null): { word: string; reason: string }[] {
  const out: { word: string; reason: string }[] = [];
  const add = (list: string[], reason: string) => { for (const word of list) out.push({ word, reason }); };
  if (chainName) {
    const whole = chainName.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, '');
    add(whole.length >= CONTEXT_WORD_MIN ? [whole] : [], 'contains the chain’s name');
    add(words(chainName), 'contains the chain’s name');
  }
  add(words(user.name), 'contains your name');
  const at = user.email.lastIndexOf('@');
  const local = at >= 0 ? user.email.slice(0, at) : user.email;
  const domain = at >= 0 ? user.email.slice(at + 1) : '';
  const localWhole = local.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  add([...(localWhole.length >= CONTEXT_WORD_MIN ? [localWhole] : []), ...words(local)], 'contains your email address');
  // every label of the domain but the last (the top-level domain): "clearview" of clearview.example
  add(words(domain.split('.').slice(0, -1).join('.')), 'contains your email address');
  return out;
}

/** Control characters (tab, line feed and carriage return included: a password is one line) and lone surrogates. */
function hasControlCharacter(password: string): boolean {
  return /\p{Cc}|\p{Cs}/u.test(password);
}

/** Throws BAD_USER_INPUT naming `context.field` when the password may not be used; otherwise returns. */
export async function assertAcceptablePassword(db: EntityManager, password: string, context: PasswordContext): Promise<void> {
  const { field } = context;
  if (typeof password !== 'string' || password.length === 0) throw badInput(field, 'must not be empty');
  // NFKC may lengthen a string up to 18 times; a string far past the limit is refused before normalising it.
  if (password.length > PASSWORD_MAX * 4) throw badInput(field, `must be at most ${PASSWORD_MAX} characters`);
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  const min = context.hasSecondFactor ? PASSWORD_MIN_WITH_SECOND_FACTOR : PASSWORD_MIN_ONLY_FACTOR;
  if (length > PASSWORD_MAX) throw badInput(field, `must be at most ${PASSWORD_MAX} characters`);
  if (length < min) {
    throw badInput(field, context.hasSecondFactor
      ? `must be at least ${min} characters`
      : `must be at least ${min} characters (${PASSWORD_MIN_WITH_SECOND_FACTOR} once you have a second factor)`);
  }
  if (hasControlCharacter(normalised)) throw badInput(field, 'must not contain control characters such as tabs or line breaks (letters, digits, symbols and spaces are all fine)');
  if (isCommonPassword(normalised)) throw badInput(field, 'is in a list of common or breached passwords; choose another (a few unrelated words make a good one)');
  if (isRepetitiveOrSequential(normalised)) throw badInput(field, 'is made of repeated or sequential characters (like "aaaa" or "1234"); choose another');
  const rows: { name: string }[] = await db.query('SELECT name FROM chain WHERE id = $1', [context.user.chainId]);
  const lower = normalised.toLowerCase();
  const found = contextWords(context.user, rows[0]?.name ?? null).find((w) => lower.includes(w.word));
  if (found) throw badInput(field, found.reason);
}
