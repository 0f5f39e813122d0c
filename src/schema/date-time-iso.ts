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
import { isCalendarDateAt, twoDigitsAt } from './calendar-date';

/** Whether `value` is `toISOString()`'s form (years 0000-9999) of a real instant: a real day, hours 00-23, minutes and seconds 00-59. */
export function isCanonicalIsoInstant(value: string): boolean {
  if (value.length !== 24 || !isCalendarDateAt(value, 0)) return false;
  if (value.charCodeAt(10) !== 84 /* T */ || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) return false;
  if (value.charCodeAt(19) !== 46 /* . */ || value.charCodeAt(23) !== 90 /* Z */) return false;
  const hours = twoDigitsAt(value, 11);
  const minutes = twoDigitsAt(value, 14);
  const seconds = twoDigitsAt(value, 17);
  const millis = twoDigitsAt(value, 20);
  const lastDigit = value.charCodeAt(22) - 48;
  return hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59 && seconds >= 0 && seconds <= 59 && millis >= 0 && lastDigit >= 0 && lastDigit <= 9;
}

const serialize = GraphQLDateTimeISO.serialize.bind(GraphQLDateTimeISO);

export const DateTimeISO = new GraphQLScalarType({
  ...GraphQLDateTimeISO.toConfig(),
  serialize(value: unknown): string {
    if (typeof value === 'string' && isCanonicalIsoInstant(value)) return value;
    return serialize(value) as string;
  },
});
