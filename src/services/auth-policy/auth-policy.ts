/**
 * A chain's auth policy through the API (docs/auth-policy.md): `authPolicy` reads it as it applies now (defaults
 * filled in, src/auth/chain-auth-policy.ts); `updateAuthPolicy` changes it. Chain-wide (`AuthPolicy`: only
 * chain-scoped grants reach it). A change is validated (bad input changes nothing: role ids must name roles of the
 * caller's chain, the idle timeout 1-60 minutes, the maximum 1-24 hours) and written in one transaction with its
 * entry in the security settings history (setting `AuthPolicy`, every rule before and after) and, for each rule made
 * weaker (a role no longer needing a second factor or a passkey, a longer idle timeout or maximum), a
 * SETTING_WEAKENED security event. It applies to sessions opened afterwards: open sessions keep their limits.
 */
import { holdUnprovenSessions } from '../../auth/session-requirement-hold';
import { EntityManager } from 'typeorm';
import { recordSettingWeakened } from '../../audit/security-event-log';
import { chainAuthPolicy, EffectiveAuthPolicy } from '../../auth/chain-auth-policy';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { badInput } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { AuthPolicyView } from '../../schema/auth/auth-policy.type';
import { AUTH_POLICY_RANGES } from '../../schema/core/auth-policy.entity';
import { UpdateAuthPolicyInput } from '../../schema/inputs/auth-policy.inputs';
import { isUuid } from '../../schema/uuid';

const MAX_ROLE_IDS = 500;

interface Changes {
  secondFactorRoleIds?: string[];
  passkeyRoleIds?: string[];
  idleTimeoutMinutes?: number;
  sessionMaxHours?: number;
}

function view(policy: EffectiveAuthPolicy): AuthPolicyView {
  return Object.assign(new AuthPolicyView(), policy);
}

export async function readAuthPolicy(ctx: AuthenticatedContext): Promise<AuthPolicyView> {
  assertMay(ctx.ability, 'read', 'AuthPolicy', { chainId: ctx.principal.chainId });
  return view(await chainAuthPolicy(ctx.core.manager, ctx.principal.chainId, ctx.config));
}

function wholeNumber(field: keyof typeof AUTH_POLICY_RANGES, value: unknown): number {
  const { min, max } = AUTH_POLICY_RANGES[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badInput(`input.${field}`, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function roleIdList(field: 'secondFactorRoleIds' | 'passkeyRoleIds', value: unknown): string[] {
  if (!Array.isArray(value)) throw badInput(`input.${field}`, 'must be a list of role ids');
  if (value.length > MAX_ROLE_IDS) throw badInput(`input.${field}`, `must list at most ${MAX_ROLE_IDS} roles`);
  value.forEach((id, i) => {
    if (typeof id !== 'string' || !isUuid(id)) throw badInput(`input.${field}[${i}]`, 'is not a role id');
  });
  return [...new Set((value as string[]).map((id) => id.toLowerCase()))].sort();
}

/** The rules the input sets, each checked (BAD_USER_INPUT naming e.g. `input.idleTimeoutMinutes`). */
function changesOf(input: UpdateAuthPolicyInput | null | undefined): Changes {
  const changes: Changes = {};
  if (input?.secondFactorRoleIds !== undefined && input.secondFactorRoleIds !== null) changes.secondFactorRoleIds = roleIdList('secondFactorRoleIds', input.secondFactorRoleIds);
  if (input?.passkeyRoleIds !== undefined && input.passkeyRoleIds !== null) changes.passkeyRoleIds = roleIdList('passkeyRoleIds', input.passkeyRoleIds);
  if (input?.idleTimeoutMinutes !== undefined && input.idleTimeoutMinutes !== null) changes.idleTimeoutMinutes = wholeNumber('idleTimeoutMinutes', input.idleTimeoutMinutes);
  if (input?.sessionMaxHours !== undefined && input.sessionMaxHours !== null) changes.sessionMaxHours = wholeNumber('sessionMaxHours', input.sessionMaxHours);
  if (Object.keys(changes).length === 0) throw badInput('input', 'sets no rule');
  return changes;
}

/** Every role id named must be a role of the caller's chain (another chain's role is as unknown as none). */
async function assertChainRoles(tx: EntityManager, chainId: string, changes: Changes): Promise<void> {
  for (const field of ['secondFactorRoleIds', 'passkeyRoleIds'] as const) {
    const ids = changes[field];
    if (!ids || ids.length === 0) continue;
    const rows: { id: string }[] = await tx.query('SELECT id FROM role WHERE chain_id = $1 AND id = ANY($2::uuid[])', [chainId, ids]);
    const known = new Set(rows.map((row) => row.id));
    const unknown = ids.findIndex((id) => !known.has(id));
    if (unknown >= 0) throw badInput(`input.${field}`, `names a role that is not one of this chain's: ${ids[unknown]}`);
  }
}

type Rules = Pick<EffectiveAuthPolicy, 'secondFactorRoleIds' | 'passkeyRoleIds' | 'idleTimeoutMinutes' | 'sessionMaxHours'>;

function rulesOf(policy: EffectiveAuthPolicy): Rules {
  const { secondFactorRoleIds, passkeyRoleIds, idleTimeoutMinutes, sessionMaxHours } = policy;
  return { secondFactorRoleIds, passkeyRoleIds, idleTimeoutMinutes, sessionMaxHours };
}

/** What got weaker, with the numbers the SETTING_WEAKENED event carries (roles: how many needed the factor). */
function weakenings(before: Rules, after: Rules): { setting: string; before: number; after: number }[] {
  const needSecond = (rules: Rules) => new Set([...rules.secondFactorRoleIds, ...rules.passkeyRoleIds]);
  const found: { setting: string; before: number; after: number }[] = [];
  const [secondBefore, secondAfter] = [needSecond(before), needSecond(after)];
  if ([...secondBefore].some((id) => !secondAfter.has(id))) found.push({ setting: 'AuthPolicy.secondFactorRoleIds', before: secondBefore.size, after: secondAfter.size });
  const passkeyAfter = new Set(after.passkeyRoleIds);
  if (before.passkeyRoleIds.some((id) => !passkeyAfter.has(id))) found.push({ setting: 'AuthPolicy.passkeyRoleIds', before: before.passkeyRoleIds.length, after: after.passkeyRoleIds.length });
  if (after.idleTimeoutMinutes > before.idleTimeoutMinutes) found.push({ setting: 'AuthPolicy.idleTimeoutMinutes', before: before.idleTimeoutMinutes, after: after.idleTimeoutMinutes });
  if (after.sessionMaxHours > before.sessionMaxHours) found.push({ setting: 'AuthPolicy.sessionMaxHours', before: before.sessionMaxHours, after: after.sessionMaxHours });
  return found;
}

export async function updateAuthPolicy(ctx: AuthenticatedContext, input: UpdateAuthPolicyInput | null | undefined): Promise<AuthPolicyView> {
  const { principal, ability } = ctx;
  const changes = changesOf(input);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'update', 'AuthPolicy', { chainId: principal.chainId }, fieldsSet(changes));
    // The chain's policy row (or its absence) is locked for the read-modify-write and its history entry.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`auth_policy|${principal.chainId}`]);
    await assertChainRoles(tx, principal.chainId, changes);
    const current = await chainAuthPolicy(tx, principal.chainId, ctx.config);
    const before = rulesOf(current);
    const after: Rules = { ...before, ...changes };
    if (!current.isDefault && JSON.stringify(before) === JSON.stringify(after)) return view(current); // nothing changes: no history entry
    await tx.query(
      `INSERT INTO auth_policy (chain_id, second_factor_role_ids, passkey_role_ids, idle_timeout_minutes, session_max_hours, updated_at, updated_by_id)
       VALUES ($1, $2::uuid[], COALESCE($3::uuid[], '{}'), $4, $5, now(), $6)
       ON CONFLICT (chain_id) DO UPDATE SET
         second_factor_role_ids = CASE WHEN $7 THEN EXCLUDED.second_factor_role_ids ELSE auth_policy.second_factor_role_ids END,
         passkey_role_ids = CASE WHEN $8 THEN EXCLUDED.passkey_role_ids ELSE auth_policy.passkey_role_ids END,
         idle_timeout_minutes = COALESCE(EXCLUDED.idle_timeout_minutes, auth_policy.idle_timeout_minutes),
         session_max_hours = COALESCE(EXCLUDED.session_max_hours, auth_policy.session_max_hours),
         updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id`,
      [principal.chainId, changes.secondFactorRoleIds ?? null, changes.passkeyRoleIds ?? null, changes.idleTimeoutMinutes ?? null,
        changes.sessionMaxHours ?? null, principal.userId, changes.secondFactorRoleIds !== undefined, changes.passkeyRoleIds !== undefined],
    );
    const updated = await chainAuthPolicy(tx, principal.chainId, ctx.config);
    // Open sessions that no longer meet the policy may only enrol what it now requires.
    await holdUnprovenSessions(tx, principal.chainId);
    const weakened = weakenings(before, rulesOf(updated));
    await recordSecuritySettingChange(tx, principal, ctx.request, {
      setting: 'AuthPolicy', before: { ...before, isDefault: current.isDefault }, after: { ...rulesOf(updated), isDefault: false }, weakened: weakened.map((w) => w.setting),
    });
    // Each weakened rule is a security event about the changer, which only someone else may acknowledge.
    for (const w of weakened) await recordSettingWeakened(tx, { chainId: principal.chainId, userId: principal.userId, ...w });
    return view(updated);
  });
}
