/**
 * Every record id is a UUID: the one check of whether a string can be one, used before an id reaches
 * SQL (a malformed id is bad input, never a database error).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
