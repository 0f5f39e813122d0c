/**
 * Finding staff by email and stores by name, for the lists (`users(email:)`, `stores(name:)`) and for the
 * matrix views (`explain` / `effectivePermissions` with `userEmail` / `storeName`). Matching is
 * case-insensitive and exact, surrounding spaces ignored ("leeds" finds Leeds; "Lee" finds nothing).
 * A name never reveals a row the caller may not see: the lists refuse the filter (FORBIDDEN naming the
 * argument) unless the caller may read the field on every row they could see (policies/filter-guard.ts), and
 * the matrix look-ups only consider rows whose matched field the caller may read, answering NOT_FOUND
 * otherwise, exactly as for an unknown id.
 */
import { SelectQueryBuilder } from 'typeorm';
import { badInput, notFound } from '../errors/errors';
import { AppAbility } from '../policies/ability';
import { assertListable } from '../policies/filter-guard';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { Store } from '../schema/core/store.entity';
import { User } from '../schema/core/user.entity';
import { AuthenticatedContext } from '../context/authenticated-context';
import { STORE_COLUMNS, USER_COLUMNS } from './visible-rows';

/** Longest email (RFC 5321 path) and store name accepted as a search term. */
const MAX_TERM = 320;

/** The term as matched: trimmed, not blank, not absurdly long; BAD_USER_INPUT naming `argument` otherwise. */
export function searchTerm(argument: string, value: string): string {
  const term = value.trim();
  if (!term) throw badInput(argument, 'must not be blank');
  if (term.length > MAX_TERM) throw badInput(argument, `must be at most ${MAX_TERM} characters`);
  return term;
}

/** `users(email:)`: only the member of staff with that email (query builder over `u`). */
export function whereEmailIs(qb: SelectQueryBuilder<User>, ability: AppAbility, email: string): void {
  const term = searchTerm('email', email);
  assertListable(ability, { list: 'users', subject: 'User', filters: { email: 'email' } });
  qb.andWhere('lower(u.email) = lower(:email)', { email: term });
}

/** `stores(name:)`: only stores with that name (query builder over `s`). */
export function whereStoreNameIs(qb: SelectQueryBuilder<Store>, ability: AppAbility, name: string): void {
  const term = searchTerm('name', name);
  assertListable(ability, { list: 'stores', subject: 'Store', filters: { name: 'name' } });
  qb.andWhere('lower(s.name) = lower(:name)', { name: term });
}

/** The id of the member of staff of the caller's chain with that email whose email the caller may read; else NOT_FOUND. */
export async function userIdByEmail(ctx: AuthenticatedContext, argument: string, email: string): Promise<string> {
  const { principal, ability } = ctx;
  const term = searchTerm(argument, email);
  const params = new SqlParams();
  const user = await ctx.core.getRepository(User).createQueryBuilder('u')
    .where('u.chainId = :chainId', { chainId: principal.chainId })
    .andWhere('lower(u.email) = lower(:email)', { email: term })
    .andWhere(accessibleSql(ability, 'read', 'User', USER_COLUMNS, params, 'email'), params.values)
    .getOne();
  if (!user) throw notFound('User');
  return user.id;
}

/**
 * The id of the store of the caller's chain with that name whose name the caller may read; NOT_FOUND when
 * there is none, BAD_USER_INPUT naming `argument` when several such stores share it (give the id instead).
 */
export async function storeIdByName(ctx: AuthenticatedContext, argument: string, name: string): Promise<string> {
  const { principal, ability } = ctx;
  const term = searchTerm(argument, name);
  const params = new SqlParams();
  const stores = await ctx.core.getRepository(Store).createQueryBuilder('s')
    .where('s.chainId = :chainId', { chainId: principal.chainId })
    .andWhere('lower(s.name) = lower(:name)', { name: term })
    .andWhere(accessibleSql(ability, 'read', 'Store', STORE_COLUMNS, params, 'name'), params.values)
    .limit(2).getMany();
  if (stores.length === 0) throw notFound('Store');
  if (stores.length > 1) throw badInput(argument, 'several stores you may see have this name: give storeId instead');
  return stores[0].id;
}
