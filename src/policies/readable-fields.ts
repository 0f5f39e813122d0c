/**
 * Which fields of one row an ability lets the caller read, worked out once per row and subject
 * instead of once per field: the rules for `read` on the subject whose conditions the row meets,
 * and the union of their fields (or every field). Equivalent to `ability.can('read', row, field)`
 * for grant-only rule sets, which is what roles produce; with an inverted rule it defers to CASL.
 * The same per-row work names the grants behind a read (each rule's `reason`: the role assignment, or
 * an emergency access), which the clinical access log records.
 */
import { AppAbility, scoped } from './ability';

interface MatchingRule {
  /** null: every field. */
  fields: ReadonlySet<string> | null;
  reason: string | undefined;
}

type Readable = { every: boolean; fields: Set<string>; rules: MatchingRule[] } | 'ask-casl';

const byAbility = new WeakMap<AppAbility, WeakMap<object, Map<string, Readable>>>();

function compute(ability: AppAbility, subjectName: string, row: object): Readable {
  const rules = ability.rulesFor('read', subjectName);
  if (rules.some((rule) => rule.inverted)) return 'ask-casl';
  const fields = new Set<string>();
  const matching: MatchingRule[] = [];
  let every = false;
  for (const rule of rules) {
    if (!rule.matchesConditions(row as Record<string, unknown>)) continue;
    if (!rule.fields) {
      every = true;
      matching.push({ fields: null, reason: rule.reason });
      continue;
    }
    const ruleFields = new Set(Array.isArray(rule.fields) ? rule.fields : [rule.fields]);
    for (const field of ruleFields) fields.add(field);
    matching.push({ fields: ruleFields, reason: rule.reason });
  }
  return { every, fields, rules: matching };
}

function readable(ability: AppAbility, subjectName: string, row: object): Readable {
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
  let found = perSubject.get(subjectName);
  if (!found) {
    found = compute(ability, subjectName, row);
    perSubject.set(subjectName, found);
  }
  return found;
}

export function canReadField(ability: AppAbility, subjectName: string, row: object, field: string): boolean {
  const found = readable(ability, subjectName, row);
  if (found === 'ask-casl') return ability.can('read', scoped(subjectName, row as Record<string, unknown>), field);
  return found.every || found.fields.has(field);
}

/**
 * The reasons (rule `reason`s: assignment ids, or `emergency:<id>`) of the rules that let the caller read
 * `field` of the row, or any field of it when `field` is null. Empty when nothing grants it.
 */
export function readGrants(ability: AppAbility, subjectName: string, row: object, field: string | null): string[] {
  const found = readable(ability, subjectName, row);
  if (found === 'ask-casl') {
    const reason = ability.relevantRuleFor('read', scoped(subjectName, row as Record<string, unknown>), field ?? undefined)?.reason;
    return reason ? [reason] : [];
  }
  const reasons: string[] = [];
  for (const rule of found.rules) {
    if (!rule.reason || (field !== null && rule.fields !== null && !rule.fields.has(field))) continue;
    if (!reasons.includes(rule.reason)) reasons.push(rule.reason);
  }
  return reasons;
}
