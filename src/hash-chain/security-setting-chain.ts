/**
 * The security settings history (`security_setting_change`, core): writing an entry with every setting's value
 * before and after a change, and verifying its hash chain (one per chain of stores) in Node.
 *
 * Canonical form (label `visus.security_setting_change.v1`), netstrings as in src/hash-chain/change-log-chain.ts:
 * label, chain_id, seq, id, occurred_at (integer microseconds), user_id, session_id, request_id, setting,
 * before (jsonb text), after (jsonb text), weakened (a list: `[` + each name + `]`), prev_hash (lowercase hex).
 * The database computes it on INSERT (migrations/core/*SecuritySettingHistory.ts); this file recomputes it.
 */
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../policies/ability';
import { RequestInfo } from '../context/request-info';
import { canonList, canonValue } from './access-log-canonical';
import { ChainedLog, ChainedRow, chainHeads, walkChains } from './walk';
import { ExportedHead, Queryable, VerifyResult } from './chain-report';

export const SECURITY_SETTING_TABLE = 'security_setting_change';
const LABEL = 'visus.security_setting_change.v1';

export interface SecuritySettingRow extends ChainedRow {
  chain_id: string;
  user_id: string;
  session_id: string;
  request_id: string;
  setting: string;
  before: string;
  after: string;
  weakened: string[];
}

export function securitySettingHash(e: SecuritySettingRow): Buffer {
  const text = canonValue(LABEL) + canonValue(e.chain_id) + canonValue(e.seq) + canonValue(e.id) + canonValue(e.occurred_at_us)
    + canonValue(e.user_id) + canonValue(e.session_id) + canonValue(e.request_id) + canonValue(e.setting)
    + canonValue(e.before) + canonValue(e.after) + canonList(e.weakened) + canonValue(e.prev_hash.toString('hex'));
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest();
}

const LOG: ChainedLog<SecuritySettingRow> = {
  table: SECURITY_SETTING_TABLE,
  entries: async (db, chainId, fromSeq, limit) => (await db.query(
    `SELECT id::text AS id, chain_id::text AS chain_id, seq::text AS seq,
            ((extract(epoch FROM occurred_at) * 1000000)::bigint)::text AS occurred_at_us,
            user_id::text AS user_id, session_id::text AS session_id, request_id, setting, before::text AS before, after::text AS after,
            weakened, prev_hash, hash
       FROM ${SECURITY_SETTING_TABLE} e WHERE e.chain_id = $1 AND e.seq >= $2 ORDER BY e.seq LIMIT ${Math.max(1, Math.floor(limit))}`,
    [chainId, fromSeq.toString()],
  )) as SecuritySettingRow[],
  intact: (row) => securitySettingHash(row).equals(row.hash),
};

export function verifySecuritySettings(db: Queryable, options: { heads?: ExportedHead[] } = {}): Promise<VerifyResult> {
  return walkChains(db, LOG, options);
}

export function exportSecuritySettingHeads(db: Queryable): Promise<ExportedHead[]> {
  return chainHeads(db, SECURITY_SETTING_TABLE);
}

/** Appends one change, in the caller's transaction (the trigger dates, links and hashes it). */
export async function recordSecuritySettingChange(
  tx: EntityManager, principal: Principal, request: RequestInfo,
  change: { setting: string; before: Record<string, unknown>; after: Record<string, unknown>; weakened: string[] },
): Promise<void> {
  await tx.query(
    `INSERT INTO ${SECURITY_SETTING_TABLE} (chain_id, user_id, session_id, request_id, setting, before, after, weakened, seq, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, '', '')`,
    [principal.chainId, principal.userId, principal.sessionId, request.requestId, change.setting, change.before, change.after, change.weakened],
  );
}
