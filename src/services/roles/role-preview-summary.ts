/**
 * previewRoleChangeSummary: the per-permission preview (role-preview.ts) grouped by subject, so a chain
 * manager sees at a glance "Customer: 1 field gained (read dateOfBirth) by 2 users at 1 store" before the list.
 * Computed from the same dry run; nothing is written.
 */
import { Store } from '../../schema/core/store.entity';
import { User } from '../../schema/core/user.entity';
import { PermissionChange, PermissionChangeKind } from '../../schema/roles/matrix.types';
import { RoleChangeSubjectSummary } from '../../schema/roles/preview-summary.types';
import { UpdateRoleInput } from '../../schema/inputs/role.inputs';
import { previewRoleChange } from './role-preview';
import { AuthenticatedContext } from '../../context/authenticated-context';

const label = (change: PermissionChange): string => (change.field ? `${change.action} ${change.field}` : change.action);
const byName = <T extends { name: string; id: string }>(a: T, b: T): number => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** Groups preview rows by subject (subjects in alphabetical order). */
export function summarise(changes: PermissionChange[]): RoleChangeSubjectSummary[] {
  const groups = new Map<string, PermissionChange[]>();
  for (const change of changes) groups.set(change.subject, [...(groups.get(change.subject) ?? []), change]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([subject, rows]) => {
    const gained = rows.filter((r) => r.change === PermissionChangeKind.GAINED);
    const lost = rows.filter((r) => r.change === PermissionChangeKind.LOST);
    const permissionsGained = [...new Set(gained.map(label))].sort();
    const permissionsLost = [...new Set(lost.map(label))].sort();
    const users = new Map<string, User>();
    const stores = new Map<string, Store>();
    for (const row of rows) {
      if (row.user) users.set(row.user.id, row.user);
      if (row.store) stores.set(row.store.id, row.store);
    }
    return Object.assign(new RoleChangeSubjectSummary(), {
      subject, fieldsGained: permissionsGained.length, fieldsLost: permissionsLost.length, gained: gained.length, lost: lost.length,
      permissionsGained, permissionsLost, users: [...users.values()].sort(byName), stores: [...stores.values()].sort(byName),
    });
  });
}

export async function previewRoleChangeSummary(ctx: AuthenticatedContext, roleId: string, input: UpdateRoleInput): Promise<RoleChangeSubjectSummary[]> {
  return summarise(await previewRoleChange(ctx, roleId, input));
}
