/**
 * A chain's retention policy (docs/retention.md): read and changed through the API (`RetentionPolicy`, chain-wide:
 * only chain-scoped grants reach it), and read by the retention job (`retentionPolicyFor`). A change is validated
 * (bad input changes nothing) and written in one transaction with its entry in the security settings history
 * (every rule's value before and after: src/hash-chain/security-setting-chain.ts).
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../../errors/errors';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import {
  DEFAULT_RETENTION_POLICY, RETENTION_POLICY_RANGES, RetentionPolicy, RetentionPolicyValues,
} from '../../schema/core/retention-policy.entity';
import { UpdateRetentionPolicyInput } from '../../schema/inputs/retention.inputs';
import { AuthenticatedContext } from '../../context/authenticated-context';

type RuleName = keyof RetentionPolicyValues;
const RULE_NAMES = Object.keys(RETENTION_POLICY_RANGES) as RuleName[];
const COLUMN: Record<RuleName, string> = { adultYears: 'adult_years', childUntilAge: 'child_until_age', childUnderAge: 'child_under_age' };

/** The chain's policy (the defaults when it never changed it). */
export async function retentionPolicyFor(manager: EntityManager, chainId: string): Promise<RetentionPolicy> {
  return (await manager.getRepository(RetentionPolicy).findOneBy({ chainId }))
    ?? Object.assign(new RetentionPolicy(), { chainId, ...DEFAULT_RETENTION_POLICY, updatedAt: null, updatedById: null });
}

export function policyValues(policy: RetentionPolicyValues): RetentionPolicyValues {
  return { adultYears: policy.adultYears, childUntilAge: policy.childUntilAge, childUnderAge: policy.childUnderAge };
}

export async function readRetentionPolicy(ctx: AuthenticatedContext): Promise<RetentionPolicy> {
  const { principal, ability } = ctx;
  assertMay(ability, 'read', 'RetentionPolicy', { chainId: principal.chainId });
  return retentionPolicyFor(ctx.core.manager, principal.chainId);
}

/** The rules the input changes, checked against their ranges (BAD_USER_INPUT naming e.g. `input.adultYears`). */
function changesOf(input: UpdateRetentionPolicyInput | null | undefined): Partial<RetentionPolicyValues> {
  const changes: Partial<RetentionPolicyValues> = {};
  for (const name of RULE_NAMES) {
    const value: unknown = input?.[name];
    if (value === undefined || value === null) continue;
    const { min, max } = RETENTION_POLICY_RANGES[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw badInput(`input.${name}`, `must be a whole number from ${min} to ${max}`);
    }
    changes[name] = value;
  }
  if (Object.keys(changes).length === 0) throw badInput('input', 'sets no rule');
  return changes;
}

export async function updateRetentionPolicy(ctx: AuthenticatedContext, input: UpdateRetentionPolicyInput | null | undefined): Promise<RetentionPolicy> {
  const { principal, ability } = ctx;
  const changes = changesOf(input);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'update', 'RetentionPolicy', { chainId: principal.chainId }, fieldsSet(changes));
    // The chain's policy row (or its absence) is locked for the read-modify-write and its history entry.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`retention_policy|${principal.chainId}`]);
    const current = await retentionPolicyFor(tx, principal.chainId);
    const before = policyValues(current);
    const after = { ...before, ...changes };
    if (RULE_NAMES.every((name) => before[name] === after[name])) return current; // nothing changes: no history entry
    await tx.query(
      `INSERT INTO retention_policy (chain_id, adult_years, child_until_age, child_under_age, updated_at, updated_by_id)
       VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (chain_id) DO UPDATE SET ${Object.keys(changes).map((name) => `${COLUMN[name as RuleName]} = EXCLUDED.${COLUMN[name as RuleName]}`).join(', ')},
         updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id`,
      [principal.chainId, after.adultYears, after.childUntilAge, after.childUnderAge, principal.userId],
    );
    // Neither direction is a weaker protection in the sense of the alerts (longer keeps more personal data,
    // shorter keeps health records for less time): `weakened` stays empty and raises no event; the entry is the record.
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'RetentionPolicy', before, after, weakened: [] });
    return retentionPolicyFor(tx, principal.chainId);
  });
}
