/**
 * A chain's audit settings as the audit trail reads them (the anomaly check, break-the-glass access): the
 * stored row, or the defaults for a chain that never changed them. Changing them is
 * src/services/audit/audit-settings.ts.
 */
import { EntityManager } from 'typeorm';
import { AuditSettings, DEFAULT_AUDIT_SETTINGS } from '../schema/core/audit-settings.entity';

function withDefaults(chainId: string): AuditSettings {
  return Object.assign(new AuditSettings(), { chainId, ...DEFAULT_AUDIT_SETTINGS, updatedAt: null, updatedById: null });
}

/** The chain's audit settings (the defaults when it never changed them). */
export async function auditSettingsFor(manager: EntityManager, chainId: string): Promise<AuditSettings> {
  return (await manager.getRepository(AuditSettings).findOneBy({ chainId })) ?? withDefaults(chainId);
}

