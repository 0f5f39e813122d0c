/**
 * Per-process cache of abilities, so an unchanged user does not rebuild theirs on every request.
 * An entry is valid while the chain's authz version (kept in PostgreSQL, bumped in the same
 * transaction as any change to roles, assignments or stores, and read with the session on every
 * request) is unchanged, and until the next instant one of the user's assignments starts or ends.
 * So a change applies to the next request of every affected user, in every API process.
 */
import { DataSource } from 'typeorm';
import { AppAbility, Principal } from './ability';
import { loadAbility, nextValidityBoundary } from './grant-queries';

interface Entry {
  version: string;
  ability: AppAbility;
  /** Epoch ms after which the entry must be rebuilt (an assignment starts or ends then). */
  expiresAt: number;
}

/** A safety net for changes made outside the API (e.g. SQL by hand): entries never live longer. */
const MAX_AGE_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;

/** Where a request's ability comes from. */
export interface AbilitySource {
  get(core: DataSource, principal: Principal, authzVersion: string): Promise<AppAbility>;
}

export class AbilityCache implements AbilitySource {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  async get(core: DataSource, principal: Principal, authzVersion: string): Promise<AppAbility> {
    const key = `${principal.chainId}:${principal.userId}`;
    const cached = this.entries.get(key);
    if (cached && cached.version === authzVersion && Date.now() < cached.expiresAt) {
      this.hits += 1;
      return cached.ability;
    }
    this.misses += 1;
    const [ability, boundary] = await Promise.all([loadAbility(core, principal), nextValidityBoundary(core, principal)]);
    const expiresAt = Math.min(Date.now() + MAX_AGE_MS, boundary ? boundary.getTime() : Infinity);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { version: authzVersion, ability, expiresAt });
    return ability;
  }
}
