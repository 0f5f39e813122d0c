/**
 * The `LocalDate` scalar (dates of birth, prescription and lens-specification dates): graphql-scalars' own, same
 * name, description and parsing, with one shortcut in `serialize`. graphql-scalars checks every date it sends by
 * parsing it into a Date and formatting it again; a `YYYY-MM-DD` string naming a real day (what PostgreSQL gives
 * for a `date` column) is returned as it is, which is graphql-scalars' answer for it too. Anything else goes
 * through graphql-scalars unchanged, errors included (test/unit/schema/local-date.test.ts holds it to that).
 */
import { GraphQLScalarType } from 'graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { isCalendarDateAt } from './calendar-date';

const serialize = GraphQLLocalDate.serialize.bind(GraphQLLocalDate);

export const LocalDate = new GraphQLScalarType({
  ...GraphQLLocalDate.toConfig(),
  serialize(value: unknown): string {
    if (typeof value === 'string' && value.length === 10 && isCalendarDateAt(value, 0)) return value;
    return serialize(value) as string;
  },
});
