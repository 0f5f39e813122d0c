/**
 * The `DateTimeISO` scalar every `Date` field is typed with (type-graphql's `scalarsMap`, src/server/build-schema.ts):
 * graphql-scalars' own, same name, description and parsing, with one shortcut in `serialize`. A read path may hand
 * a timestamp over as the canonical string `Date#toISOString()` gives (`YYYY-MM-DDTHH:mm:ss.sssZ`, made by
 * PostgreSQL: src/db/plain-rows.ts), and such a string, when it names a real instant, is returned as it is: that
 * is what graphql-scalars gives for it too (it parses it into a Date and formats it again). Anything else (a Date,
 * another string, a number) goes through graphql-scalars unchanged, errors included.
 */
import { GraphQLScalarType } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

/** `toISOString()`'s form for years 0000-9999, with months, days, hours, minutes and seconds in range. */
const CANONICAL = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `value` is a canonical ISO instant whose day exists in its month (leap years as graphql-scalars counts them). */
export function isCanonicalIsoInstant(value: string): boolean {
  if (value.length !== 24) return false;
  const match = CANONICAL.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

const serialize = GraphQLDateTimeISO.serialize.bind(GraphQLDateTimeISO);

export const DateTimeISO = new GraphQLScalarType({
  ...GraphQLDateTimeISO.toConfig(),
  serialize(value: unknown): string {
    if (typeof value === 'string' && isCanonicalIsoInstant(value)) return value;
    return serialize(value) as string;
  },
});
