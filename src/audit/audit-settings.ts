/**
 * A chain's audit settings: the anomaly alert thresholds and window, and how long emergency access
 * lasts. `auditSettingsFor` is what other parts of the audit trail read (the anomaly check; the
 * break-the-glass access); a chain that never changed them has the defaults. Reading and changing
 * them through the API is governed by the `AuditSettings` subject; changes are validated (bad input
 * changes nothing) and written in one transaction.
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../errors/errors';
import { AppAbility, Principal } from '../policies/ability';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { UpdateAuditSettingsInput } from '../schema/audit/audit-settings.inputs';
import { AUDIT_SETTING_RANGES, AuditSettings, DEFAULT_AUDIT_SETTINGS } from '../schema/core/audit-settings.entity';
import { AppContext } from '../server/context';

export type AuditSettingValues = { -readonly [K in keyof typeof DEFAULT_AUDIT_SETTINGS]: number };
type SettingName = keyof AuditSettingValues;

const SETTING_NAMES = Object.keys(AUDIT_SETTING_RANGES) as SettingName[];

function withDefaults(chainId: string): AuditSettings {
  return Object.assign(new AuditSettings(), { chainId, ...DEFAULT_AUDIT_SETTINGS, updatedAt: null, updatedById: null });
}

/** The chain's audit settings (the defaults when it never changed them). */
export async function auditSettingsFor(manager: EntityManager, chainId: string): Promise<AuditSettings> {
  return (await manager.getRepository(AuditSettings).findOneBy({ chainId })) ?? withDefaults(chainId);
}

export async function readAuditSettings(ctx: AppContext, principal: Principal, ability: AppAbility): Promise<AuditSettings> {
  // Chain-wide settings: a store- or region-scoped grant does not reach them.
  assertMay(ability, 'read', 'AuditSettings', { chainId: principal.chainId });
  return auditSettingsFor(ctx.core.manager, principal.chainId);
}

/** The settings the input changes, checked against their ranges (BAD_USER_INPUT naming e.g. `input.anomalyWindowMinutes`). */
function changesOf(input: UpdateAuditSettingsInput | null | undefined): Partial<AuditSettingValues> {
  const changes: Partial<AuditSettingValues> = {};
  for (const name of SETTING_NAMES) {
    const value: unknown = input?.[name];
    if (value === undefined) continue;
    const { min, max } = AUDIT_SETTING_RANGES[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw badInput(`input.${name}`, `must be a whole number from ${min} to ${max}`);
    }
    changes[name] = value;
  }
  if (Object.keys(changes).length === 0) throw badInput('input', 'sets no field');
  return changes;
}

export async function updateAuditSettings(ctx: AppContext, principal: Principal, ability: AppAbility, input: UpdateAuditSettingsInput | null | undefined): Promise<AuditSettings> {
  const changes = changesOf(input);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'update', 'AuditSettings', { chainId: principal.chainId }, fieldsSet(changes));
    const next = { ...(await auditSettingsFor(tx, principal.chainId)), ...changes };
    const values = SETTING_NAMES.map((name) => next[name]);
    // One upsert writing only the settings changed: concurrent changes of different settings both apply.
    await tx.query(
      `INSERT INTO audit_settings (chain_id, ${SETTING_NAMES.map(snake).join(', ')}, updated_at, updated_by_id)
       VALUES ($1, ${SETTING_NAMES.map((_, i) => `$${i + 2}`).join(', ')}, now(), $${SETTING_NAMES.length + 2})
       ON CONFLICT (chain_id) DO UPDATE SET ${Object.keys(changes).map((name) => `${snake(name)} = EXCLUDED.${snake(name)}`).join(', ')},
         updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id`,
      [principal.chainId, ...values, principal.userId],
    );
    return auditSettingsFor(tx, principal.chainId);
  });
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
}
