/**
 * Input for changing a chain's audit settings; settings left out stay as they are. Ranges
 * (AUDIT_SETTING_RANGES) are checked by src/services/audit/audit-settings.ts (BAD_USER_INPUT naming e.g.
 * `input.anomalyWindowMinutes`).
 */
import { Field, InputType, Int } from 'type-graphql';
import { AUDIT_SETTING_RANGES } from '../core/audit-settings.entity';

const range = (name: keyof typeof AUDIT_SETTING_RANGES, unit: string): string =>
  `${unit}, ${AUDIT_SETTING_RANGES[name].min}-${AUDIT_SETTING_RANGES[name].max}.`;

@InputType({ description: 'Changes to the chain’s audit settings; settings left out stay as they are.' })
export class UpdateAuditSettingsInput {
  @Field(() => Int, { description: range('anomalyDistinctCustomers', 'Distinct customers') }) anomalyDistinctCustomers?: number | null;
  @Field(() => Int, { description: range('anomalyWindowMinutes', 'Minutes') }) anomalyWindowMinutes?: number | null;
  @Field(() => Int, { description: range('anomalyExportCustomers', 'Distinct customers') }) anomalyExportCustomers?: number | null;
  @Field(() => Int, { description: range('emergencyAccessMinutes', 'Minutes') }) emergencyAccessMinutes?: number | null;
  @Field(() => Int, { description: range('verificationPeriodMonths', 'Months') }) verificationPeriodMonths?: number | null;
}
