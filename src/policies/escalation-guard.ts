/**
 * No privilege escalation: nobody grants a permission they do not hold themselves at that scope.
 * Giving someone a role at a scope (or adding entries to a role already held somewhere) requires the
 * caller to hold every entry of it, for every field it covers, at every store of that scope (for a
 * chain-wide scope: through chain-wide rules).
 */
import { forbidden } from '../errors/errors';
import { AppAbility, scoped } from './ability';
import { Action, catalogSubject } from './catalog';
import { RowScope } from './input-guard';

export interface EntryLike {
  action: string;
  subject: string;
  fields: string[] | null;
}

/** The row scopes a chain, region or store scope stands for when checking what the caller holds. */
export function scopeTargets(chainId: string, storeIds: string[] | null): RowScope[] {
  if (storeIds === null || storeIds.length === 0) return [{ chainId }];
  return storeIds.map((storeId) => ({ chainId, storeId }));
}

function describe(entry: EntryLike): string {
  return `${entry.action} ${entry.subject}${entry.fields ? ` (${entry.fields.join(', ')})` : ''}`;
}

export function holdsEntry(ability: AppAbility, entry: EntryLike, target: RowScope): boolean {
  const subjectRow = scoped(entry.subject, { ...target });
  const action = entry.action as Action;
  const fields = entry.fields ?? catalogSubject(entry.subject)?.fields.map((f) => f.name) ?? [];
  if (!ability.can(action, subjectRow)) return false;
  return fields.every((field) => ability.can(action, subjectRow, field));
}

export function assertHoldsEntries(ability: AppAbility, entries: EntryLike[], targets: RowScope[]): void {
  for (const entry of entries) {
    for (const target of targets) {
      if (!holdsEntry(ability, entry, target)) {
        throw forbidden(`You cannot grant "${describe(entry)}" ${target.storeId ? 'at this store' : 'chain-wide'}: you do not hold it there yourself.`);
      }
    }
  }
}
