/**
 * The rules of a user's own fields, for createUser and updateUser: a name of 1 to 200 characters with a visible
 * one and no control characters; an email address (trimmed, lower-cased, at most 254 characters, unique across
 * every chain: "is already in use", never saying where); a registration number of at most 50 characters (trimmed;
 * empty means none); profession SERVICE_ACCOUNT exactly for a service account, which has no registration number.
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../../errors/errors';
import { Profession, UserKind } from '../../schema/enums';

export const USER_NAME_MAX = 200;
export const EMAIL_MAX = 254;
export const REGISTRATION_NUMBER_MAX = 50;
/** A letter, digit, punctuation mark or symbol. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** Control, format (zero-width, bidi), surrogate, private-use and unassigned characters, and line/paragraph separators. */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\u2028\u2029]/u;
/** local@domain.tld: no spaces, one @, a dot in the domain, no empty labels. */
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/u;

export function validUserName(value: unknown, field = 'input.name'): string {
  const name = typeof value === 'string' ? value.trim() : '';
  const length = [...name].length;
  if (length < 1 || length > USER_NAME_MAX) throw badInput(field, `must be 1 to ${USER_NAME_MAX} characters`);
  if (INVISIBLE_OR_CONTROL.test(name)) throw badInput(field, 'must not contain control or invisible characters');
  if (!VISIBLE.test(name)) throw badInput(field, 'must contain a visible character');
  return name;
}

export function validEmail(value: unknown, field = 'input.email'): string {
  const email = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!email) throw badInput(field, 'must be an email address');
  if (email.length > EMAIL_MAX) throw badInput(field, `must be at most ${EMAIL_MAX} characters`);
  if (!EMAIL.test(email) || email.split('@')[0].length > 64) throw badInput(field, 'must be an email address (name@example.com)');
  return email;
}

export function validRegistrationNumber(value: unknown, field = 'input.registrationNumber'): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw badInput(field, 'must be text');
  const number = value.trim();
  if (!number) return null;
  if ([...number].length > REGISTRATION_NUMBER_MAX) throw badInput(field, `must be at most ${REGISTRATION_NUMBER_MAX} characters`);
  if (INVISIBLE_OR_CONTROL.test(number)) throw badInput(field, 'must not contain control or invisible characters');
  return number;
}

export function validProfession(value: unknown, field = 'input.profession'): Profession {
  if (!Object.values(Profession).includes(value as Profession)) throw badInput(field, 'must be a profession');
  return value as Profession;
}

export function validKind(value: unknown, field = 'input.kind'): UserKind {
  if (value !== UserKind.STAFF && value !== UserKind.SERVICE) throw badInput(field, 'must be STAFF or SERVICE');
  return value;
}

/** A service account has profession SERVICE_ACCOUNT and no registration number; a member of staff never has that profession. */
export function assertKindFits(kind: UserKind, profession: Profession, registrationNumber: string | null): void {
  if (kind === UserKind.SERVICE && profession !== Profession.SERVICE_ACCOUNT) throw badInput('input.profession', 'must be SERVICE_ACCOUNT for a service account');
  if (kind === UserKind.STAFF && profession === Profession.SERVICE_ACCOUNT) throw badInput('input.profession', 'SERVICE_ACCOUNT is only for service accounts (kind SERVICE)');
  if (kind === UserKind.SERVICE && registrationNumber !== null) throw badInput('input.registrationNumber', 'a service account has no registration number');
}

/** Refuses an email another user (of any chain) has; says nothing about where. */
export async function assertEmailFree(tx: EntityManager, email: string, exceptUserId: string | null = null): Promise<void> {
  const rows: unknown[] = await tx.query('SELECT 1 FROM staff_user WHERE email = $1 AND ($2::uuid IS NULL OR id <> $2::uuid)', [email, exceptUserId]);
  if (rows.length > 0) throw badInput('input.email', 'is already in use');
}

/** The unique index on staff_user.email refused a concurrent insert or update: the same answer as assertEmailFree. */
export function emailTakenByRace(error: unknown): never {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string } };
  if ((e.code ?? e.driverError?.code) === '23505') throw badInput('input.email', 'is already in use');
  throw error;
}
