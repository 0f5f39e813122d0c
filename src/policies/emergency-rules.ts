/**
 * Break the glass, as permissions: what an emergency access grants, and who may ask for one.
 *
 * An emergency access (core `emergency_access`, src/services/audit/emergency-access.ts) in force adds, for its one
 * customer, read on every clinical subject of the catalog (rows with that customerId, all fields) and read
 * on the customer's identity (EMERGENCY_CUSTOMER_FIELDS: enough to be sure of the patient, no contact
 * details). Nothing else: no writes, no appointments, no consents. Each rule's `reason` is
 * `emergency:<access id>`, so every read it grants is logged as emergency access.
 *
 * Reads only: a mutation runs with `withoutEmergencyAccess(ability)` (src/server/one-principal-plugin.ts),
 * so an emergency access never makes a customer a valid target for a write.
 *
 * Asking is not scoped to a store: the right to break the glass belongs to the person (a clinician at one
 * store treating a patient registered at another), so holding `create EmergencyAccess` anywhere suffices.
 */
import { createMongoAbility } from '@casl/ability';
import type { AppAbility, AppRule, Principal } from './ability';
import { CATALOG } from './catalog';

/** The `reason` of rules granted by an emergency access: this prefix and the access's id. */
export const EMERGENCY_REASON_PREFIX = 'emergency:';

/** The emergency access a rule `reason` names, or null when it names something else (an assignment, `self`). */
export function emergencyAccessOf(reason: string): string | null {
  return reason.startsWith(EMERGENCY_REASON_PREFIX) ? reason.slice(EMERGENCY_REASON_PREFIX.length) : null;
}

/** Whether a rule was added by an emergency access. */
function isEmergencyRule(rule: { reason?: string }): boolean {
  return emergencyAccessOf(rule.reason ?? '') !== null;
}

export const EMERGENCY_CUSTOMER_FIELDS = ['id', 'firstName', 'lastName', 'dateOfBirth', 'sex'];

/** An emergency access in force, as the ability builder needs it. */
export interface EmergencyGrant {
  id: string;
  customerId: string;
}

const CLINICAL_SUBJECTS = CATALOG.filter((subject) => subject.clinical).map((subject) => subject.name);

export function emergencyRules(principal: Principal, grants: readonly EmergencyGrant[]): AppRule[] {
  return grants.flatMap((grant) => {
    const reason = `${EMERGENCY_REASON_PREFIX}${grant.id}`;
    return [
      ...CLINICAL_SUBJECTS.map((subject): AppRule => ({
        action: 'read', subject, reason, conditions: { chainId: principal.chainId, customerId: grant.customerId },
      })),
      { action: 'read', subject: 'Customer', fields: EMERGENCY_CUSTOMER_FIELDS, reason, conditions: { chainId: principal.chainId, id: grant.customerId } },
    ];
  });
}

/** Whether the caller may break the glass at all (see the header: not store-scoped). */
export function mayRequestEmergencyAccess(ability: AppAbility): boolean {
  return ability.can('create', 'EmergencyAccess');
}

/**
 * Whether the caller's role assignments alone (emergency accesses aside) let them read any clinical record
 * of this customer at the customer's home store: then breaking the glass is refused as needless.
 */
export function seesClinicalRecords(ability: AppAbility, customer: { id: string; chainId: string; homeStoreId: string }): boolean {
  return CLINICAL_SUBJECTS.some((subject) => ability.rulesFor('read', subject).some((rule) =>
    !rule.inverted && !isEmergencyRule(rule)
    && rule.matchesConditions({ chainId: customer.chainId, storeId: customer.homeStoreId, customerId: customer.id })));
}

const withoutEmergency = new WeakMap<AppAbility, AppAbility>();

/** The same ability without the rules emergency accesses add (itself when it has none). */
export function withoutEmergencyAccess(ability: AppAbility): AppAbility {
  const known = withoutEmergency.get(ability);
  if (known) return known;
  const stripped = ability.rules.some(isEmergencyRule) ? createMongoAbility<AppAbility>(ability.rules.filter((rule) => !isEmergencyRule(rule))) : ability;
  withoutEmergency.set(ability, stripped);
  return stripped;
}
