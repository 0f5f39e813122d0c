/**
 * The oracle of the marketing-list property suite, written from the domain rules of issue 11 (the shared
 * contract's "Marketing list rules", DESIGN.md's role model), never from the server's code or SQL: who may
 * take a list of which stores, which customers a list considers, the first rule each excluded customer
 * fails, the content hash, which node fields a caller reads, and what `consentsAsOf(at)` answers.
 *
 * It works on the materialised world (world.ts): rows as written, with their ids, raw contact text and
 * explicit moments. Suppressions are compared by normalised contact (the keyed hash is a function of it).
 */
import { createHash } from 'node:crypto';
import { Basis, Case, Channel, CHANNELS, EntrySpec, ListQuerySpec, Rule, RULES, ScopeSpec, UserSpec } from './model';

export interface MStore {
  id: string;
  region: number;
}
export interface MEvent {
  id: string;
  channel: Channel;
  granted: boolean;
  changedAt: Date;
  basis: Basis;
  wordingVersion: string;
}
export interface MCustomer {
  id: string;
  store: number;
  /** camelCase column values as inserted (Dates are instants). */
  values: Record<string, unknown>;
  events: MEvent[];
  restrictions: { restricted: boolean; at: Date }[];
  objections: number;
}
export interface MWorld {
  chainId: string;
  regionIds: string[];
  stores: MStore[];
  customers: MCustomer[];
  /** Raw contact text of every suppression row of the chain (the case's, and one per objection). */
  suppressions: { email: string | null; phone: string | null }[];
}

// ---------------------------------------------------------------------------------------------
// Contact normalisation (contract: keyed hash): email lower(trim(x)), phone its digits; empty → none.

/** SQL trim(): spaces only. */
const trimSpaces = (s: string) => s.replace(/^ +| +$/g, '');
export function normalEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const v = trimSpaces(raw).toLowerCase();
  return v === '' ? null : v;
}
export function normalPhone(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const v = raw.replace(/[^0-9]/g, '');
  return v === '' ? null : v;
}
const present = (raw: unknown) => typeof raw === 'string' && trimSpaces(raw) !== '';

// ---------------------------------------------------------------------------------------------
// Permissions: each entry of each role assigned at a scope grants its action (manage: every action) on its
// subject, for the listed fields (none listed: every field; an empty list: nothing), at the stores in scope.

export class Permissions {
  constructor(private readonly user: UserSpec, private readonly roles: EntrySpec[][], private readonly world: MWorld) {}

  private covers(scope: ScopeSpec, store: number): boolean {
    if (scope.scope === 'CHAIN') return true;
    if (scope.scope === 'REGION') return this.world.stores[store].region === scope.region % this.world.regionIds.length;
    return scope.store % this.world.stores.length === store;
  }

  grants(action: string, subject: string, field: string | null, store: number): boolean {
    return this.user.assignments.some(
      (a) =>
        this.covers(a.scope, store) &&
        this.roles[a.role % this.roles.length].some(
          (e) =>
            e.subject === subject &&
            (e.action === action || e.action === 'manage') &&
            (e.fields === null || (field === null ? e.fields.length > 0 : e.fields.includes(field))),
        ),
    );
  }

  /** The stores whose customers the caller's lists consider: export MarketingList and read Customer there. */
  listScope(): Set<number> {
    return new Set(this.world.stores.map((_s, i) => i).filter((i) => this.grants('export', 'MarketingList', null, i) && this.grants('read', 'Customer', null, i)));
  }

  /** May the caller take a marketing list at all (export MarketingList anywhere)? */
  mayExport(): boolean {
    return this.world.stores.some((_s, i) => this.grants('export', 'MarketingList', null, i));
  }

  mayReadField(field: string, store: number): boolean {
    return this.grants('read', 'Customer', field, store);
  }
}

// ---------------------------------------------------------------------------------------------
// The list.

export type ListExpectation =
  | { outcome: 'FORBIDDEN' }
  | { outcome: 'NOT_FOUND' }
  | { outcome: 'OK'; considered: number; included: MCustomer[]; excluded: Record<Rule, number>; contentHash: string; scope: number[] };

export function contentHash(ids: string[]): string {
  return createHash('sha256').update(ids.map((id) => `${id}\n`).join(''), 'utf8').digest('hex');
}

const latest = <T extends { at: Date }>(rows: T[]): T | undefined => [...rows].sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1);

/** The first rule a considered customer fails for the channel, or null when they are included. */
export function firstFailedRule(c: Case, world: MWorld, m: MCustomer, channel: Channel): Rule | null {
  if (!c.enabled.includes(channel)) return 'CHANNEL_DISABLED';
  if (m.values.status !== 'ACTIVE') return 'INACTIVE';
  if (latest(m.restrictions)?.restricted) return 'RESTRICTED';
  const email = normalEmail(m.values.email);
  const phone = normalPhone(m.values.phone);
  const suppressed = world.suppressions.some((s) => (email !== null && normalEmail(s.email) === email) || (phone !== null && normalPhone(s.phone) === phone));
  if (m.objections > 0 || suppressed) return 'OBJECTED';
  const current = latest(m.events.filter((e) => e.channel === channel).map((e) => ({ ...e, at: e.changedAt })));
  if (!current) return 'NO_CONSENT';
  if (!current.granted) return 'WITHDRAWN';
  const v = m.values;
  const hasDetail =
    channel === 'EMAIL' ? present(v.email)
      : channel === 'SMS' ? present(v.phone)
        : channel === 'MAIL' ? present(v.addressLine1) && present(v.postcode)
          : present(v.email) || present(v.phone);
  if (!hasDetail) return 'NO_CONTACT_DETAIL';
  return null;
}

/** The store indices a query's storeIds argument names (null: none given). */
export function askedStores(world: MWorld, perms: Permissions, query: ListQuerySpec): number[] | null {
  if (query.storeIds === null) return null;
  const scope = [...perms.listScope()];
  const among = query.storeIds.among === 'scope' && scope.length > 0 ? scope : world.stores.map((_s, i) => i);
  return query.storeIds.indices.map((i) => among[i % among.length]);
}

export function expectList(c: Case, world: MWorld, perms: Permissions, query: ListQuerySpec): ListExpectation {
  if (!perms.mayExport()) return { outcome: 'FORBIDDEN' };
  const scope = perms.listScope();
  let stores = scope;
  const asked = askedStores(world, perms, query);
  if (asked !== null) {
    if (asked.some((s) => !scope.has(s))) return { outcome: 'NOT_FOUND' };
    stores = new Set(asked);
  }
  const considered = world.customers.filter((m) => stores.has(m.store)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const excluded = Object.fromEntries(RULES.map((r) => [r, 0])) as Record<Rule, number>;
  const included: MCustomer[] = [];
  for (const m of considered) {
    const rule = firstFailedRule(c, world, m, query.channel);
    if (rule) excluded[rule] += 1;
    else included.push(m);
  }
  return { outcome: 'OK', considered: considered.length, included, excluded, contentHash: contentHash(included.map((m) => m.id)), scope: [...stores].sort() };
}

// ---------------------------------------------------------------------------------------------
// Consent as of a moment: per channel, the latest event at or before it.

export interface ExpectedState {
  channel: Channel;
  granted: boolean;
  basis: Basis | null;
  since: Date | null;
  wordingVersion: string | null;
  eventId: string | null;
}

export function consentsAsOf(m: MCustomer, at: Date): ExpectedState[] {
  return CHANNELS.map((channel) => {
    const last = m.events
      .filter((e) => e.channel === channel && e.changedAt.getTime() <= at.getTime())
      .sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime())
      .at(-1);
    if (!last) return { channel, granted: false, basis: null, since: null, wordingVersion: null, eventId: null };
    return { channel, granted: last.granted, basis: last.basis, since: last.changedAt, wordingVersion: last.wordingVersion, eventId: last.id };
  });
}
