/**
 * Whether a list may be ordered by a field: only when every rule that lets the caller see rows of
 * the subject also lets them read that field. Otherwise the order would disclose a value they may
 * not read, and the list falls back to ordering by id.
 */
import { AppAbility } from './ability';

export function sortableBy(ability: AppAbility, subjectName: string, field: string): boolean {
  return ability.rulesFor('read', subjectName).every((rule) => rule.inverted || rule.matchesField(field));
}
