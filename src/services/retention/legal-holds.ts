/**
 * Legal holds (docs/retention.md#legal-holds): `placeLegalHold` puts a hold on one customer's records (a claim, an
 * investigation, a regulator's request), `releaseLegalHold` lifts it, `legalHolds` lists them. While a hold is in
 * force the retention job does not dispose of the customer (src/services/retention/retention-due.ts). Holds are
 * scoped by the customer's current home store (`LegalHold` read/create/update there); the row records who placed
 * and released it, when and why (the database lets it be released once and never deleted).
 */
import { EntityManager } from 'typeorm';
import { badInput, notFound } from '../../errors/errors';
import { unsafeTextProblem } from '../../audit/audit-text';
import { assertMay } from '../../policies/input-guard';
import { assertListable, givenFilters } from '../../policies/filter-guard';
import { accessibleSql, ColumnMap, SqlParams } from '../../policies/sql-condition';
import { LegalHold } from '../../schema/core/legal-hold.entity';
import { isUuid } from '../../schema/uuid';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { findVisibleCustomer } from '../visible-rows';
import { DISPOSAL_LOCK_SQL, disposalLockKey } from './disposal-lock';

export const MAX_REASON_LENGTH = 1000;
/** The most holds one `legalHolds` answer lists (newest first; the holds in force come first). */
export const MAX_LISTED_HOLDS = 500;

/** The columns the LegalHold rules' conditions refer to: the hold, scoped by its customer's current home store. */
const COLUMNS: ColumnMap = { chainId: 'h.chain_id', storeId: 'c.home_store_id', id: 'h.id', customerId: 'h.customer_id' };

const SELECT_HOLD = `SELECT h.id, h.chain_id AS "chainId", h.customer_id AS "customerId", h.reason, h.placed_at AS "placedAt",
    h.placed_by_id AS "placedById", h.released_at AS "releasedAt", h.released_by_id AS "releasedById",
    h.release_reason AS "releaseReason", c.home_store_id AS "storeId"
  FROM legal_hold h JOIN customer c ON c.id = h.customer_id AND c.chain_id = h.chain_id`;

function asHold(row: Record<string, unknown>): LegalHold {
  return Object.assign(new LegalHold(), row);
}

/** A reason as stored: trimmed, 1-1000 characters, no control characters (BAD_USER_INPUT naming `path`); an optional one may be left out, not blank. */
function cleanReason(value: string | null | undefined, path: string, required: boolean): string | null {
  if (value === null || value === undefined) {
    if (required) throw badInput(path, 'is required: say why');
    return null;
  }
  const text = value.trim();
  if (!text) throw badInput(path, required ? 'is required: say why' : 'must not be blank: leave it out, or say why');
  if (text.length > MAX_REASON_LENGTH) throw badInput(path, `must be at most ${MAX_REASON_LENGTH} characters`);
  const unsafe = unsafeTextProblem(text);
  if (unsafe) throw badInput(path, unsafe);
  return text;
}

export async function placeLegalHold(ctx: AuthenticatedContext, customerId: string, reason: string): Promise<LegalHold> {
  const { principal, ability } = ctx;
  if (!isUuid(customerId)) throw badInput('customerId', 'is not an id');
  const text = cleanReason(reason, 'reason', true) as string;
  return ctx.core.transaction(async (tx) => {
    // The customer as the caller may see them (NOT_FOUND otherwise), locked against a concurrent move or disposal.
    const customer = await findVisibleCustomer(tx, principal, ability, customerId, 'share');
    assertMay(ability, 'create', 'LegalHold', { chainId: customer.chainId, storeId: customer.homeStoreId }, ['customerId', 'reason']);
    // Waits for a disposal of this customer by the retention job in progress (src/services/retention/disposal-lock.ts).
    await tx.query(`SELECT pg_advisory_xact_lock(${DISPOSAL_LOCK_SQL})`, [disposalLockKey(customer.id)]);
    const [{ id }] = (await tx.query(
      'INSERT INTO legal_hold (chain_id, customer_id, reason, placed_by_id) VALUES ($1, $2, $3, $4) RETURNING id',
      [principal.chainId, customer.id, text, principal.userId],
    )) as { id: string }[];
    return (await holdsWhere(tx, 'h.id = $2', [principal.chainId, id]))[0];
  });
}

export async function releaseLegalHold(ctx: AuthenticatedContext, id: string, reason: string | null | undefined): Promise<LegalHold> {
  const { principal, ability } = ctx;
  const text = cleanReason(reason, 'reason', false);
  return ctx.core.transaction(async (tx) => {
    const hold = await findVisibleHold(tx, ctx, id);
    assertMay(ability, 'update', 'LegalHold', { chainId: hold.chainId, storeId: hold.storeId, id: hold.id }, ['releasedAt', 'releaseReason']);
    if (hold.releasedAt) throw badInput('id', `was already released on ${hold.releasedAt.toISOString()}`);
    await tx.query(
      'UPDATE legal_hold SET released_at = now(), released_by_id = $2, release_reason = $3 WHERE id = $1',
      [hold.id, principal.userId, text],
    );
    return (await holdsWhere(tx, 'h.id = $2', [principal.chainId, hold.id]))[0];
  });
}

/** The holds the caller may read (of one customer, when given): those in force first, then newest first. */
export async function listLegalHolds(ctx: AuthenticatedContext, customerId: string | null | undefined): Promise<LegalHold[]> {
  const { principal, ability } = ctx;
  if (customerId !== null && customerId !== undefined && !isUuid(customerId)) throw badInput('customerId', 'is not an id');
  assertListable(ability, { list: 'legalHolds', subject: 'LegalHold', orderedBy: 'placedAt', filters: givenFilters({ customerId }, { customerId: 'customerId' }) });
  const params = new SqlParams();
  const scope = accessibleSql(ability, 'read', 'LegalHold', COLUMNS, params);
  const values: unknown[] = [principal.chainId];
  if (customerId) values.push(customerId);
  const sql = `${SELECT_HOLD} WHERE h.chain_id = $1${customerId ? ' AND h.customer_id = $2' : ''} AND ${params.positional(scope, values)}
    ORDER BY (h.released_at IS NULL) DESC, h.placed_at DESC, h.id DESC LIMIT ${MAX_LISTED_HOLDS}`;
  return ((await ctx.core.manager.query(sql, values)) as Record<string, unknown>[]).map(asHold);
}

/** One hold as the caller may read it now (by its customer's current home store), locked FOR UPDATE (NOT_FOUND otherwise: existence is not disclosed). */
async function findVisibleHold(tx: EntityManager, ctx: AuthenticatedContext, id: string): Promise<LegalHold> {
  if (!isUuid(id)) throw notFound('LegalHold');
  const params = new SqlParams();
  const scope = accessibleSql(ctx.ability, 'read', 'LegalHold', COLUMNS, params);
  const values: unknown[] = [id, ctx.principal.chainId];
  // The hold locked for its release, its customer FOR SHARE: a concurrent home-store move waits, or is seen.
  const sql = `${SELECT_HOLD} WHERE h.id = $1 AND h.chain_id = $2 AND ${params.positional(scope, values)} FOR UPDATE OF h FOR SHARE OF c`;
  const [row] = (await tx.query(sql, values)) as Record<string, unknown>[];
  if (!row) throw notFound('LegalHold');
  return asHold(row);
}

async function holdsWhere(tx: EntityManager, condition: string, values: unknown[]): Promise<LegalHold[]> {
  return ((await tx.query(`${SELECT_HOLD} WHERE h.chain_id = $1 AND ${condition}`, values)) as Record<string, unknown>[]).map(asHold);
}
