/**
 * Which fields of one row an ability lets the caller read, worked out once per row and subject
 * instead of once per field: the rules for `read` on the subject whose conditions the row meets,
 * and the union of their fields (or every field). Equivalent to `ability.can('read', row, field)`
 * for grant-only rule sets, which is what roles produce; with an inverted rule it defers to CASL.
 */
import { AppAbility, scoped } from './ability';

type Readable = { every: boolean; fields: Set<string> } | 'ask-casl';

const byAbility = new WeakMap<AppAbility, WeakMap<object, Map<string, Readable>>>();

function compute(ability: AppAbility, subjectName: string, row: object): Readable {
  const rules = ability.rulesFor('read', subjectName);
  if (rules.some((rule) => rule.inverted)) return 'ask-casl';
  const fields = new Set<string>();
  for (const rule of rules) {
    if (!rule.matchesConditions(row as Record<string, unknown>)) continue;
    if (!rule.fields) return { every: true, fields };
    for (const field of Array.isArray(rule.fields) ? rule.fields : [rule.fields]) fields.add(field);
  }
  return { every: false, fields };
}

export function canReadField(ability: AppAbility, subjectName: string, row: object, field: string): boolean {
  let rows = byAbility.get(ability);
  if (!rows) {
    rows = new WeakMap();
    byAbility.set(ability, rows);
  }
  let perSubject = rows.get(row);
  if (!perSubject) {
    perSubject = new Map();
    rows.set(row, perSubject);
  }
  let readable = perSubject.get(subjectName);
  if (!readable) {
    readable = compute(ability, subjectName, row);
    perSubject.set(subjectName, readable);
  }
  if (readable === 'ask-casl') return ability.can('read', scoped(subjectName, row as Record<string, unknown>), field);
  return readable.every || readable.fields.has(field);
}
