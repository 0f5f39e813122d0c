/**
 * A chain's audit settings: the anomaly alert thresholds and window, and how long emergency access
 * lasts, read and changed through the API (other parts of the audit trail read them with
 * src/audit/chain-audit-settings.ts). Reading and changing
 * them through the API is governed by the `AuditSettings` subject; changes are validated (bad input
 * changes nothing) and written in one transaction with their history entry (every value before and after:
 * src/hash-chain/security-setting-chain.ts) and, for each protection weakened, a SETTING_WEAKENED security event
 * about the changer, which someone else must acknowledge.
 */
import { badInput } from '../../errors/errors';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { UpdateAuditSettingsInput } from '../../schema/inputs/audit-settings.inputs';
import { AUDIT_SETTING_RANGES, AuditSettings, DEFAULT_AUDIT_SETTINGS } from '../../schema/core/audit-settings.entity';
import { recordSettingWeakened } from '../../audit/security-event-log';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { auditSettingsFor } from '../../audit/chain-audit-settings';
import { AuthenticatedContext } from '../../context/authenticated-context';

export type AuditSettingValues = { -readonly [K in keyof typeof DEFAULT_AUDIT_SETTINGS]: number };
type SettingName = keyof AuditSettingValues;

const SETTING_NAMES = Object.keys(AUDIT_SETTING_RANGES) as SettingName[];

export async function readAuditSettings(ctx: AuthenticatedContext): Promise<AuditSettings> {
  const { principal, ability } = ctx;
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

/**
 * Which way each setting protects: a higher alert threshold, a longer emergency access or a shorter window
 * counts fewer reads as anomalous, i.e. weakens the protection.
 */
const WEAKER_WHEN: Record<SettingName, 'higher' | 'lower'> = {
  anomalyDistinctCustomers: 'higher',
  anomalyExportCustomers: 'higher',
  anomalyWindowMinutes: 'lower',
  emergencyAccessMinutes: 'higher',
  // a longer verification period checks customers' details less often (accuracy, Art. 5(1)(d))
  verificationPeriodMonths: 'higher',
};

function valuesOf(settings: AuditSettings): AuditSettingValues {
  return Object.fromEntries(SETTING_NAMES.map((name) => [name, settings[name]])) as AuditSettingValues;
}

export async function updateAuditSettings(ctx: AuthenticatedContext, input: UpdateAuditSettingsInput | null | undefined): Promise<AuditSettings> {
  const { principal, ability } = ctx;
  const changes = changesOf(input);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'update', 'AuditSettings', { chainId: principal.chainId }, fieldsSet(changes));
    // The chain's settings row (or its absence) is locked for the read-modify-write and its history entry.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`audit_settings|${principal.chainId}`]);
    const current = await auditSettingsFor(tx, principal.chainId);
    const before = valuesOf(current);
    const next = { ...current, ...changes };
    const values = SETTING_NAMES.map((name) => next[name]);
    // One upsert writing only the settings changed: concurrent changes of different settings both apply.
    await tx.query(
      `INSERT INTO audit_settings (chain_id, ${SETTING_NAMES.map(snake).join(', ')}, updated_at, updated_by_id)
       VALUES ($1, ${SETTING_NAMES.map((_, i) => `$${i + 2}`).join(', ')}, now(), $${SETTING_NAMES.length + 2})
       ON CONFLICT (chain_id) DO UPDATE SET ${Object.keys(changes).map((name) => `${snake(name)} = EXCLUDED.${snake(name)}`).join(', ')},
         updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id`,
      [principal.chainId, ...values, principal.userId],
    );
    const after = valuesOf(next as AuditSettings);
    const weakened = SETTING_NAMES.filter((name) => (WEAKER_WHEN[name] === 'higher' ? after[name] > before[name] : after[name] < before[name]));
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'AuditSettings', before, after, weakened });
    // Each weakened protection is a security event about the changer, which only someone else may acknowledge.
    for (const name of weakened) {
      await recordSettingWeakened(tx, { chainId: principal.chainId, userId: principal.userId, setting: name, before: before[name], after: after[name] });
    }
    return auditSettingsFor(tx, principal.chainId);
  });
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
}
