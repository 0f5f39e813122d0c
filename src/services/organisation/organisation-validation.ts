/**
 * The rules of regions' and stores' own fields, for createRegion, createStore and updateStore: a name of 1 to 100
 * characters with a visible one and no control characters, unique in the chain case-insensitively ("is already
 * used by another store / region of the chain"); an address of 1 to 500 characters (line breaks kept, no other
 * control characters); a town of at most 100 and a phone of at most 40 characters (trimmed; empty means none).
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../../errors/errors';

export const ORGANISATION_NAME_MAX = 100;
export const ADDRESS_MAX = 500;
export const CITY_MAX = 100;
export const PHONE_MAX = 40;
/** A letter, digit, punctuation mark or symbol. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** Control, format (zero-width, bidi), surrogate, private-use and unassigned characters, and line/paragraph separators. */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\u2028\u2029]/u;

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw badInput(field, 'must be text');
  return value.trim();
}

export function validOrganisationName(value: unknown, field = 'input.name'): string {
  const name = typeof value === 'string' ? value.trim() : '';
  const length = [...name].length;
  if (length < 1 || length > ORGANISATION_NAME_MAX) throw badInput(field, `must be 1 to ${ORGANISATION_NAME_MAX} characters`);
  if (INVISIBLE_OR_CONTROL.test(name)) throw badInput(field, 'must not contain control or invisible characters');
  if (!VISIBLE.test(name)) throw badInput(field, 'must contain a visible character');
  return name;
}

export function validAddress(value: unknown, field = 'input.address'): string {
  const address = text(value, field).replace(/\r\n?/g, '\n');
  const length = [...address].length;
  if (length < 1 || length > ADDRESS_MAX) throw badInput(field, `must be 1 to ${ADDRESS_MAX} characters`);
  if (INVISIBLE_OR_CONTROL.test(address.replace(/\n/g, ''))) throw badInput(field, 'must not contain control or invisible characters (line breaks are fine)');
  if (!VISIBLE.test(address)) throw badInput(field, 'must contain a visible character');
  return address;
}

/** Optional one-line text (town, phone): null or empty means none. */
function optionalLine(value: unknown, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const line = text(value, field);
  if (!line) return null;
  if ([...line].length > max) throw badInput(field, `must be at most ${max} characters`);
  if (INVISIBLE_OR_CONTROL.test(line)) throw badInput(field, 'must not contain control or invisible characters');
  return line;
}

export function validCity(value: unknown, field = 'input.city'): string | null {
  return optionalLine(value, field, CITY_MAX);
}

export function validPhone(value: unknown, field = 'input.phone'): string | null {
  const phone = optionalLine(value, field, PHONE_MAX);
  if (phone !== null && !/^[0-9+()./\- ]+$/.test(phone)) throw badInput(field, 'must be a phone number (digits, spaces, + ( ) . / -)');
  return phone;
}

export function validOpen(value: unknown, field = 'input.open'): boolean {
  if (typeof value !== 'boolean') throw badInput(field, 'must be true or false');
  return value;
}

/**
 * Serialises the chain's organisation writes: takes the chain row's lock (FOR NO KEY UPDATE, which rows referencing
 * the chain do not wait for; an authz version bump takes the same lock), so a name check then insert of two
 * concurrent writes cannot both pass (under READ COMMITTED the second sees the first's row once it has the lock).
 */
export async function lockChainOrganisation(tx: EntityManager, chainId: string): Promise<void> {
  await tx.query('SELECT 1 FROM chain WHERE id = $1 FOR NO KEY UPDATE', [chainId]);
}

/** Refuses a name another store (table `store`) or region (`region`) of the chain already has, case-insensitively. */
export async function assertNameFree(tx: EntityManager, table: 'store' | 'region', chainId: string, name: string, exceptId: string | null = null): Promise<void> {
  const rows: unknown[] = await tx.query(
    `SELECT 1 FROM ${table} WHERE chain_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid)`,
    [chainId, name, exceptId],
  );
  if (rows.length > 0) throw badInput('input.name', `is already used by another ${table} of the chain`);
}

/** The unique index on (chain_id, name) refused a write that raced past assertNameFree: the same answer. */
export function nameTakenByRace(table: 'store' | 'region'): (error: unknown) => never {
  return (error: unknown) => {
    const e = error as { code?: string; driverError?: { code?: string } };
    if ((e.code ?? e.driverError?.code) === '23505') throw badInput('input.name', `is already used by another ${table} of the chain`);
    throw error;
  };
}
