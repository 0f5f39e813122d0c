/**
 * Checks role entries against the permission catalog: known subject, an action of that subject (or
 * `manage`, every action), known fields (or none, meaning every field). Errors name the entry, e.g. "input.permissions[2].subject".
 */
import { badInput } from '../../errors/errors';
import { catalogSubject } from '../../policies/catalog';
import { EntryLike } from '../../policies/escalation-guard';
import { PermissionEntryInput } from '../../schema/inputs/role.inputs';

export const MAX_ENTRIES = 200;

export function entryKey(entry: EntryLike): string {
  return `${entry.action}|${entry.subject}|${entry.fields ? [...entry.fields].sort().join(',') : '*'}`;
}

export function validateEntries(entries: PermissionEntryInput[], path: string): EntryLike[] {
  if (entries.length > MAX_ENTRIES) throw badInput(path, `must have at most ${MAX_ENTRIES} entries`);
  const seen = new Set<string>();
  const out: EntryLike[] = [];
  entries.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    const subject = catalogSubject(entry.subject);
    if (!subject) throw badInput(`${at}.subject`, `"${entry.subject}" is not a subject of the permission catalog`);
    // `manage` means every action, on any subject.
    if (entry.action !== 'manage' && !subject.actions.includes(entry.action as never)) {
      throw badInput(`${at}.action`, `"${entry.action}" is not an action on ${subject.name} (${subject.actions.join(', ')})`);
    }
    let fields: string[] | null = null;
    if (entry.fields !== undefined && entry.fields !== null) {
      if (entry.fields.length === 0) throw badInput(`${at}.fields`, 'must list at least one field, or be left out for every field');
      if (subject.fields.length === 0) throw badInput(`${at}.fields`, `${subject.name} has no fields`);
      entry.fields.forEach((field, j) => {
        if (!subject.fields.some((f) => f.name === field)) throw badInput(`${at}.fields[${j}]`, `"${field}" is not a field of ${subject.name}`);
      });
      fields = [...new Set(entry.fields)].sort();
    }
    const normalised = { action: entry.action, subject: subject.name, fields };
    const key = entryKey(normalised);
    if (!seen.has(key)) out.push(normalised);
    seen.add(key);
  });
  return out;
}
