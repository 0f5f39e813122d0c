/**
 * API tokens of service accounts (BI tools): `createApiToken`, `apiTokens`, `revokeApiToken`. Governed by the
 * `ApiToken` subject, chain-wide: every check is against the row `{ chainId }`, so only chain-scoped
 * assignments reach it (a store- or region-scoped grant is FORBIDDEN here). A token is made for an ACTIVE user
 * of kind SERVICE of the caller's chain (NOT_FOUND for a user the caller may not see), with a name of 1 to 100
 * characters and an expiry in the future, at most 366 days ahead. Its text is returned once; only its SHA-256
 * is stored (src/auth/api-token.ts). Creating and revoking are written, in the same transaction, to the
 * hash-chained security settings history (`security_setting_change`, setting `ApiToken`): the token's
 * record before and after (never its text or hash), who, when and from which request.
 */
import { EntityManager } from 'typeorm';
import { hashApiToken, newApiToken } from '../auth/api-token';
import { badInput } from '../errors/errors';
import { recordSecuritySettingChange } from '../hash-chain/security-setting-chain';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { ColumnMap } from '../policies/sql-condition';
import { ApiToken } from '../schema/core/api-token.entity';
import { CreatedApiToken } from '../schema/core/api-token.types';
import { User } from '../schema/core/user.entity';
import { UserKind, UserStatus } from '../schema/enums';
import { CreateApiTokenInput } from '../schema/inputs/api-token.inputs';
import { AuthenticatedContext } from '../context/authenticated-context';
import { findVisible, USER_COLUMNS } from './visible-rows';

export const API_TOKEN_NAME_MAX = 100;
export const API_TOKEN_MAX_DAYS = 366;
const DAY_MS = 86400_000;

/** The condition columns of a token `t` (chain-wide: no store). */
const TOKEN_COLUMNS: ColumnMap = { chainId: 't.chain_id', storeId: 'NULL::uuid', id: 't.id' };

/** What the history keeps of a token: its record, never its text or hash. */
function recordOf(token: ApiToken): Record<string, unknown> {
  return {
    id: token.id, userId: token.userId, name: token.name, createdById: token.createdById,
    expiresAt: token.expiresAt.toISOString(), revokedAt: token.revokedAt?.toISOString() ?? null, revokedById: token.revokedById,
  };
}

function validName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  const length = [...name].length;
  if (length < 1 || length > API_TOKEN_NAME_MAX) throw badInput('input.name', `must be 1 to ${API_TOKEN_NAME_MAX} characters`);
  return name;
}

function validExpiry(value: unknown, now: Date): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput('input.expiresAt', 'must be a date and time');
  if (value.getTime() <= now.getTime()) throw badInput('input.expiresAt', 'must be in the future');
  if (value.getTime() > now.getTime() + API_TOKEN_MAX_DAYS * DAY_MS) throw badInput('input.expiresAt', `must be at most ${API_TOKEN_MAX_DAYS} days ahead`);
  return value;
}

export async function createApiToken(ctx: AuthenticatedContext, input: CreateApiTokenInput): Promise<CreatedApiToken> {
  const { principal, ability } = ctx;
  // The input is checked before anything is looked up: bad input is reported whatever exists.
  const name = validName(input.name);
  const expiresAt = validExpiry(input.expiresAt, new Date());
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'create', 'ApiToken', { chainId: principal.chainId }, fieldsSet(input));
    // The service account, locked FOR SHARE: a concurrent deactivation waits for this token, or this sees it.
    const user = await findVisible(tx, { entity: User, subjectName: 'User', alias: 'u', columns: USER_COLUMNS, lock: 'share' }, principal, ability, input.userId);
    if (user.kind !== UserKind.SERVICE) throw badInput('input.userId', 'is a member of staff, not a service account: API tokens are only for users of kind SERVICE');
    if (user.status !== UserStatus.ACTIVE) throw badInput('input.userId', 'is deactivated');
    const token = newApiToken();
    const inserted = await tx.getRepository(ApiToken).insert({
      chainId: principal.chainId, userId: user.id, name, tokenHash: hashApiToken(token), createdById: principal.userId, expiresAt,
    });
    const apiToken = await tx.getRepository(ApiToken).findOneByOrFail({ id: String(inserted.identifiers[0].id) });
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'ApiToken', before: {}, after: recordOf(apiToken), weakened: [] });
    return { token, apiToken };
  });
}

export async function listApiTokens(ctx: AuthenticatedContext, userId: string | null | undefined): Promise<ApiToken[]> {
  const { principal, ability } = ctx;
  assertMay(ability, 'read', 'ApiToken', { chainId: principal.chainId });
  const qb = ctx.core.getRepository(ApiToken).createQueryBuilder('t').where('t.chain_id = :chainId', { chainId: principal.chainId });
  if (userId !== undefined && userId !== null) qb.andWhere('t.user_id = :userId', { userId });
  return qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'ASC').getMany();
}

export async function revokeApiToken(ctx: AuthenticatedContext, id: string): Promise<ApiToken> {
  const { principal, ability } = ctx;
  return ctx.core.transaction(async (tx: EntityManager) => {
    assertMay(ability, 'update', 'ApiToken', { chainId: principal.chainId }, ['revokedAt']);
    const token = await findVisible(tx, { entity: ApiToken, subjectName: 'ApiToken', alias: 't', columns: TOKEN_COLUMNS, lock: 'update' }, principal, ability, id);
    if (token.revokedAt) throw badInput('id', 'is already revoked');
    const before = recordOf(token);
    await tx.query('UPDATE api_token SET revoked_at = now(), revoked_by_id = $2 WHERE id = $1', [token.id, principal.userId]);
    const revoked = await tx.getRepository(ApiToken).findOneByOrFail({ id: token.id });
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'ApiToken', before, after: recordOf(revoked), weakened: [] });
    return revoked;
  });
}
