/**
 * No inference through lists: a list may be filtered, ordered or counted by a field only when the caller
 * may read that field on every row the list could show them. Otherwise the filter (or the order, or the
 * count of a filtered list) would tell them the value they may not read: a role that reads only `id` and
 * `occurredAt` of the access log must not learn whose records a user read by filtering on `customerId` and
 * reading `totalCount`; a requester who may not see whether their emergency access was acknowledged must not
 * learn it through `pending:`. Refused with FORBIDDEN naming the argument (`extensions.field`).
 *
 * "Every row the list could show": every `read` rule of the subject either grants the field, or is covered
 * by a rule that does, i.e. one whose conditions hold wherever the first one's do (`covers`: its conditions
 * are a subset of the other's, an `$in` list containing the other's values). Conservative: when unsure, it
 * refuses.
 */
import { GraphQLError } from 'graphql';
import { AppAbility } from './ability';

type Conditions = Record<string, unknown> | undefined;

function valuesOf(condition: unknown): unknown[] | null {
  if (condition !== null && typeof condition === 'object') {
    const keys = Object.keys(condition);
    if (keys.length === 1 && keys[0] === '$in' && Array.isArray((condition as { $in: unknown }).$in)) return (condition as { $in: unknown[] }).$in;
    return null;
  }
  return [condition];
}

/** Whether `outer` holds for every row `inner` holds for. */
export function covers(outer: Conditions, inner: Conditions): boolean {
  if (!outer || Object.keys(outer).length === 0) return true;
  if (!inner) return false;
  return Object.entries(outer).every(([key, condition]) => {
    if (!Object.hasOwn(inner, key)) return false;
    const allowed = valuesOf(condition);
    const required = valuesOf(inner[key]);
    if (!allowed || !required) return false;
    return required.every((value) => allowed.includes(value));
  });
}

/** Whether the caller may read `field` of every row of `subjectName` they may see. */
export function readableWhereverVisible(ability: AppAbility, subjectName: string, field: string): boolean {
  const rules = ability.rulesFor('read', subjectName).filter((rule) => !rule.inverted);
  const granting = rules.filter((rule) => rule.matchesField(field));
  return rules.every((rule) => rule.matchesField(field)
    || granting.some((grant) => covers(grant.conditions as Conditions, rule.conditions as Conditions)));
}

export interface ListUse {
  /** The root field, for the message. */
  list: string;
  subject: string;
  /** Filter arguments the request gives, each with the catalog field it filters by. */
  filters?: Record<string, string>;
  /** The catalog field the list is ordered by (and pages on). */
  orderedBy?: string;
}

/** Refuses a filter or order by a field the caller may not read wherever they see rows (see the header). */
export function assertListable(ability: AppAbility, use: ListUse): void {
  for (const [argument, field] of Object.entries(use.filters ?? {})) {
    if (!readableWhereverVisible(ability, use.subject, field)) {
      throw new GraphQLError(`Not allowed to filter ${use.list} by ${argument}: ${use.subject}.${field} is not readable wherever you see entries.`, {
        extensions: { code: 'FORBIDDEN', field: argument },
      });
    }
  }
  if (use.orderedBy && !readableWhereverVisible(ability, use.subject, use.orderedBy)) {
    throw new GraphQLError(`Not allowed to list ${use.list}: it is ordered by ${use.subject}.${use.orderedBy}, which is not readable wherever you see entries.`, {
      extensions: { code: 'FORBIDDEN', field: use.orderedBy },
    });
  }
}

/** The filters of `given` that are set (not null or undefined), mapped to their catalog fields. */
export function givenFilters(given: Record<string, unknown>, fields: Record<string, string>): Record<string, string> {
  const used: Record<string, string> = {};
  for (const [argument, field] of Object.entries(fields)) {
    if (given[argument] !== undefined && given[argument] !== null) used[argument] = field;
  }
  return used;
}
