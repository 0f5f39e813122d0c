/**
 * Which fields of one row an ability lets the caller read: a read mask compiled once per (ability, subject)
 * and looked up per row instead of worked out per field. Compiling takes the rules for `read` on the subject
 * once (each with its field set and its `reason`); a row is then the set of those rules whose conditions it
 * meets, and every row that meets the same rules shares one mask (the union of their fields, or every field).
 * Equivalent to `ability.can('read', row, field)` for grant-only rule sets, which is what roles produce; with
 * an inverted rule it defers to CASL. The same mask names the grants behind a read (each rule's `reason`: the
 * role assignment, or an emergency access), which the clinical access log records.
 *
 * Abilities are not changed once built (ability.ts builds a new one when grants change); should one be
 * updated in place, its compiled masks are dropped.
 */
import { AppAbility, scoped } from './ability';

interface MatchingRule {
  /** null: every field. */
  fields: ReadonlySet<string> | null;
  reason: string | undefined;
}

/** What the rules a row meets let the caller read; shared by every row that meets the same rules. */
interface Mask {
  every: boolean;
  fields: ReadonlySet<string>;
  rules: readonly MatchingRule[];
}

type SubjectRule = ReturnType<AppAbility['rulesFor']>[number];

/** The rules for `read` on one subject of one ability, compiled; 'ask-casl' when one is inverted. */
interface CompiledSubject {
  rules: readonly { rule: SubjectRule; matching: MatchingRule }[];
  /** Masks by the set of rules met (a bit per rule, or the indexes joined when there are more than 30). */
  masks: Map<number | string, Mask>;
  /** Each row's mask, and the last row asked about (a row's fields are resolved one after the other). */
  rows: WeakMap<object, Mask>;
  lastRow: object | null;
  lastMask: Mask | null;
}

const compiled = new WeakMap<AppAbility, Map<string, CompiledSubject | 'ask-casl'>>();

function compile(ability: AppAbility, subjectName: string): CompiledSubject | 'ask-casl' {
  const rules = ability.rulesFor('read', subjectName);
  if (rules.some((rule) => rule.inverted)) return 'ask-casl';
  return {
    rules: rules.map((rule) => ({
      rule,
      matching: { fields: rule.fields ? new Set(Array.isArray(rule.fields) ? rule.fields : [rule.fields]) : null, reason: rule.reason },
    })),
    masks: new Map(),
    rows: new WeakMap(),
    lastRow: null,
    lastMask: null,
  };
}

function compiledFor(ability: AppAbility, subjectName: string): CompiledSubject | 'ask-casl' {
  let bySubject = compiled.get(ability);
  if (!bySubject) {
    const created = new Map<string, CompiledSubject | 'ask-casl'>();
    bySubject = created;
    compiled.set(ability, created);
    ability.on('updated', () => compiled.delete(ability));
  }
  let found = bySubject.get(subjectName);
  if (!found) {
    found = compile(ability, subjectName);
    bySubject.set(subjectName, found);
  }
  return found;
}

function maskOf(subject: CompiledSubject, row: object): Mask {
  const rules = subject.rules;
  let key: number | string = 0;
  if (rules.length <= 30) {
    for (let i = 0; i < rules.length; i += 1) if (rules[i].rule.matchesConditions(row as Record<string, unknown>)) key |= 1 << i;
  } else {
    const met: number[] = [];
    for (let i = 0; i < rules.length; i += 1) if (rules[i].rule.matchesConditions(row as Record<string, unknown>)) met.push(i);
    key = met.join(',');
  }
  let mask = subject.masks.get(key);
  if (!mask) {
    const fields = new Set<string>();
    const matching: MatchingRule[] = [];
    let every = false;
    rules.forEach(({ matching: rule }, i) => {
      const met = typeof key === 'number' ? (key & (1 << i)) !== 0 : key.split(',').includes(String(i));
      if (!met) return;
      matching.push(rule);
      if (rule.fields === null) every = true;
      else for (const field of rule.fields) fields.add(field);
    });
    mask = { every, fields, rules: matching };
    subject.masks.set(key, mask);
  }
  return mask;
}

/** The row's mask for the subject, or 'ask-casl'. */
function readable(ability: AppAbility, subjectName: string, row: object): Mask | 'ask-casl' {
  const subject = compiledFor(ability, subjectName);
  if (subject === 'ask-casl') return subject;
  if (subject.lastRow === row) return subject.lastMask!;
  let mask = subject.rows.get(row);
  if (!mask) {
    mask = maskOf(subject, row);
    subject.rows.set(row, mask);
  }
  subject.lastRow = row;
  subject.lastMask = mask;
  return mask;
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
