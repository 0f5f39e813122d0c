/**
 * No privilege escalation: nobody grants more than they hold themselves, in entries, in scope and in time.
 *
 * - **Entries and scope.** Giving someone a role at a scope (or adding entries to a role already held
 *   somewhere) requires the caller to hold every entry of it, for every field it covers, at every store of
 *   that scope (for a chain-wide scope: through chain-wide rules).
 * - **Time.** What is granted must lie within the time window of an assignment of the caller that gives
 *   them that right: the granted window's start not before that assignment's `validFrom`, its end not after
 *   that assignment's `validUntil`. No end (`validUntil` null) is unbounded, so it is only allowed when the
 *   caller holds the right through an assignment without an end themselves. A role admin until Friday can
 *   give rights until Friday at the latest, never for good; and so on down the line.
 *
 * Decisions (the tests in test/roles/role-time-limits.test.ts hold them):
 * - **One covering assignment per right.** For every (entry, field, store of the scope) the granted window
 *   must lie within the window of a *single* assignment of the caller that grants that right there. Windows
 *   are not glued together: two overlapping assignments of the caller do not add up to a longer one (the
 *   longer of them is what counts). Different fields or stores of one entry may be covered by different
 *   assignments: each right granted is then still covered by one right held, for the whole window.
 * - **Only what the caller holds now.** Only the caller's assignments in force now count (validFrom <= now <
 *   validUntil), as for every other permission; an assignment of theirs that starts later does not let them
 *   grant anything yet, nor extend what they hold now.
 * - **Read fresh, inside the write's transaction.** The caller's assignments, their windows and their roles'
 *   entries are read again in the transaction that writes the grant (after the chain's role lock), not taken
 *   from the request's cached ability: an assignment revoked earlier in the same request (revoke, then
 *   re-assign, in one document) or by someone else a moment ago no longer counts. Emergency accesses and the
 *   built-in "own staff record" rule never count: they are not rights one can pass on.
 * - **Granted windows.** `assignRole` grants [validFrom (default now), validUntil (default: no end)).
 *   `updateRole` adding entries to a role grants them to every assignment of the role not yet ended, for
 *   the rest of that assignment: [max(now, its validFrom), its validUntil).
 * - The right to assign (`create RoleAssignment`) is checked for the scope at the time of the change (against
 *   the fresh rights too, so a role without entries is not assigned by someone who just lost that right); its
 *   own end date does not bound what is granted (the rights granted do).
 *
 * Refusals are FORBIDDEN naming the entry and where, never a stored value (no dates of anyone's assignment).
 */
import { DataSource, EntityManager } from 'typeorm';
import { forbidden } from '../errors/errors';
import { abilityFromRules, AppAbility, Principal, rulesFor, scoped } from './ability';
import { loadGrants } from './grant-queries';
import { Action, catalogSubject } from './catalog';
import { RowScope } from './input-guard';

export interface EntryLike {
  action: string;
  subject: string;
  fields: string[] | null;
}

/** A time window [from, until): `from` null is "since always", `until` null is "no end". */
export interface TimeWindow {
  from: Date | null;
  until: Date | null;
}

/**
 * What the caller may pass on: their ability from their role assignments in force now (read in the
 * transaction that grants), and each of those assignments' windows, by assignment id (the rules' `reason`).
 */
export interface GranterRights {
  ability: AppAbility;
  windows: ReadonlyMap<string, TimeWindow>;
}

/** The caller's rights as they stand in the database now, for granting: see the header. */
export async function loadGranterRights(manager: DataSource | EntityManager, principal: Principal): Promise<GranterRights> {
  const grants = await loadGrants(manager, principal);
  const windows = new Map<string, TimeWindow>();
  for (const grant of grants) {
    if (grant.assignmentId) windows.set(grant.assignmentId, { from: grant.validFrom ?? null, until: grant.validUntil ?? null });
  }
  return { ability: abilityFromRules(rulesFor(principal, grants)), windows };
}

/** Whether `outer` contains `inner` (a null bound of `outer` contains anything on that side; of `inner`, only a null one). */
export function windowContains(outer: TimeWindow, inner: TimeWindow): boolean {
  if (outer.from !== null && (inner.from === null || inner.from.getTime() < outer.from.getTime())) return false;
  if (outer.until !== null && (inner.until === null || inner.until.getTime() > outer.until.getTime())) return false;
  return true;
}

/** The row scopes a chain, region or store scope stands for when checking what the caller holds. */
export function scopeTargets(chainId: string, storeIds: string[] | null): RowScope[] {
  if (storeIds === null || storeIds.length === 0) return [{ chainId }];
  return storeIds.map((storeId) => ({ chainId, storeId }));
}

function describe(entry: EntryLike): string {
  return `${entry.action} ${entry.subject}${entry.fields ? ` (${entry.fields.join(', ')})` : ''}`;
}

function entryFields(entry: EntryLike): string[] {
  return entry.fields ?? catalogSubject(entry.subject)?.fields.map((f) => f.name) ?? [];
}

export function holdsEntry(ability: AppAbility, entry: EntryLike, target: RowScope): boolean {
  const subjectRow = scoped(entry.subject, { ...target });
  const action = entry.action as Action;
  if (!ability.can(action, subjectRow)) return false;
  return entryFields(entry).every((field) => ability.can(action, subjectRow, field));
}

/** Whether one assignment of the caller grants `field` (undefined: a subject without fields) of the entry at the target for all of `window`. */
function coveredInTime(rights: GranterRights, entry: EntryLike, target: RowScope, field: string | undefined, window: TimeWindow): boolean {
  const subjectRow = scoped(entry.subject, { ...target }) as Record<string, unknown>;
  return rights.ability.rulesFor(entry.action as Action, entry.subject, field).some((rule) => {
    if (rule.inverted || !rule.reason || !rule.matchesConditions(subjectRow)) return false;
    const held = rights.windows.get(rule.reason);
    return held !== undefined && windowContains(held, window);
  });
}

function holdsEntryFor(rights: GranterRights, entry: EntryLike, target: RowScope, window: TimeWindow): boolean {
  const fields = entryFields(entry);
  if (fields.length === 0) return coveredInTime(rights, entry, target, undefined, window);
  return fields.every((field) => coveredInTime(rights, entry, target, field, window));
}

/**
 * Refuses (FORBIDDEN) unless the caller holds every entry at every target, each right through one of their
 * assignments whose window contains `window` (see the header).
 */
export function assertHoldsEntries(rights: GranterRights, entries: EntryLike[], targets: RowScope[], window: TimeWindow): void {
  for (const entry of entries) {
    for (const target of targets) {
      const where = target.storeId ? 'at this store' : 'chain-wide';
      if (!holdsEntry(rights.ability, entry, target)) {
        throw forbidden(`You cannot grant "${describe(entry)}" ${where}: you do not hold it there yourself.`);
      }
      if (!holdsEntryFor(rights, entry, target, window)) {
        const asked = window.until === null ? 'without an end date' : 'for that period';
        throw forbidden(`You cannot grant "${describe(entry)}" ${where} ${asked}: you hold it there yourself only for a limited time, and what you grant must lie within it.`);
      }
    }
  }
}

/**
 * Taking over an account (resetUserPassword hands the caller the invitation that signs in as the target) is
 * granting oneself what the target holds: refused (FORBIDDEN) unless the caller holds every entry the target holds
 * now, at every store of its scope (time windows aside: the invitation lasts a day). Read fresh in the caller's
 * transaction, like every grant.
 */
export async function assertHoldsEverythingOf(manager: EntityManager, principal: Principal, target: { userId: string; chainId: string }): Promise<void> {
  const rights = await loadGranterRights(manager, principal);
  for (const grant of await loadGrants(manager, target)) {
    const targets = scopeTargets(target.chainId, grant.storeIds);
    if (!targets.every((where) => holdsEntry(rights.ability, grant, where))) {
      throw forbidden(`You cannot reset this user's password: they hold "${describe(grant)}", which you do not hold there yourself (the invitation would let you act as them).`);
    }
  }
}
