/**
 * What an ability allows at one store, subject by subject, action by action, field by field, and
 * which rules (hence assignments) allow it; and the explanation of a single decision. Used by the
 * matrix view, `explain` and the preview of role changes.
 */
import { AppAbility, scoped } from './ability';
import { Action, CATALOG } from './catalog';
import { RowScope } from './input-guard';

export interface PermissionKey {
  subject: string;
  action: string;
  /** Null for subjects without fields. */
  field: string | null;
}

export interface GrantedPermission extends PermissionKey {
  /** `reason` of every rule that grants it: the granting assignment ids ('self' for the built-in rule). */
  grantedBy: string[];
}

export function keyOf(p: PermissionKey): string {
  return `${p.subject}|${p.action}|${p.field ?? ''}`;
}

/** Everything the ability grants for a row at `target` (a store, or chain-level without one). */
export function grantedPermissions(ability: AppAbility, target: RowScope): GrantedPermission[] {
  const out: GrantedPermission[] = [];
  for (const subject of CATALOG) {
    const row = scoped(subject.name, { ...target });
    for (const action of subject.actions) {
      const fields: (string | null)[] = subject.fields.length ? subject.fields.map((f) => f.name) : [null];
      for (const field of fields) {
        if (!ability.can(action, row, field ?? undefined)) continue;
        const grantedBy = ability
          .rulesFor(action, subject.name, field ?? undefined)
          .filter((rule) => !rule.inverted && rule.matchesConditions(row))
          .map((rule) => rule.reason ?? 'unknown');
        out.push({ subject: subject.name, action, field, grantedBy: [...new Set(grantedBy)] });
      }
    }
  }
  return out;
}

export interface Decision {
  granted: boolean;
  /** `reason` of the deciding rule (its assignment id), or null when no rule applies. */
  decidedBy: string | null;
  rule: { action: string; subject: string; fields: string[] | null; inverted: boolean } | null;
}

export function decide(ability: AppAbility, action: Action, subjectName: string, target: RowScope, field?: string): Decision {
  const row = scoped(subjectName, { ...target });
  const granted = ability.can(action, row, field);
  const rule = ability.relevantRuleFor(action, row, field);
  return {
    granted,
    decidedBy: rule?.reason ?? null,
    rule: rule
      ? {
          action: Array.isArray(rule.action) ? rule.action.join(',') : String(rule.action),
          subject: Array.isArray(rule.subject) ? rule.subject.join(',') : String(rule.subject),
          fields: rule.fields ? [...(Array.isArray(rule.fields) ? rule.fields : [rule.fields])] : null,
          inverted: rule.inverted,
        }
      : null,
  };
}
