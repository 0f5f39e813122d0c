/**
 * Builds the GraphQL schema from the type-graphql classes (its property fields read as plain properties:
 * plain-field-resolvers.ts), then applies both enforcement layers:
 * the field guard on every object field and the operation guard on the root fields; refused clinical
 * writes are then logged like refused reads (src/audit/denied-clinical-writes.ts).
 */
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { applyDeniedClinicalWriteLog } from '../audit/denied-clinical-writes';
import { applyFieldGuard } from '../policies/field-guard';
import { applyOperationGuard } from '../policies/operation-guard';
import { withPlainFieldResolvers } from './plain-field-resolvers';
import { AccessLogResolver } from '../resolvers/access-log.resolver';
import { AccountResolver } from '../resolvers/account.resolver';
import { ApiTokenResolver } from '../resolvers/api-token.resolver';
import { EmergencyAccessAcknowledgementResolver, EmergencyAccessResolver } from '../resolvers/emergency-access.resolver';
import { AppointmentResolver } from '../resolvers/appointment.resolver';
import { AssignmentResolver } from '../resolvers/assignment.resolver';
import { AuditSettingsResolver } from '../resolvers/audit-settings.resolver';
import { AuthResolver } from '../resolvers/auth.resolver';
import { PasskeyResolver } from '../resolvers/passkey.resolver';
import { ConsentResolver } from '../resolvers/consent.resolver';
import { ConsentSettingsResolver } from '../resolvers/consent-settings.resolver';
import { ConsentEventProofResolver, CustomerConsentProofResolver } from '../resolvers/consent-proof.resolver';
import { CustomerResolver } from '../resolvers/customer.resolver';
import { DataChangeResolver } from '../resolvers/data-change.resolver';
import { DataRequestEventResolver, DataRequestResolver } from '../resolvers/data-request.resolver';
import { ExaminationResolver } from '../resolvers/examination.resolver';
import { MarketingListResolver } from '../resolvers/marketing-list.resolver';
import { MatrixResolver } from '../resolvers/matrix.resolver';
import { PrescriptionResolver } from '../resolvers/prescription.resolver';
import { RoleResolver } from '../resolvers/role.resolver';
import { SecurityEventAcknowledgementResolver, SecurityEventResolver } from '../resolvers/security-event.resolver';
import { StoreResolver } from '../resolvers/store.resolver';
import { UserResolver } from '../resolvers/user.resolver';
import { StaffResolver } from '../resolvers/staff.resolver';
import { OrganisationResolver } from '../resolvers/organisation.resolver';
import { AccessLogNamesResolver, AssignmentNamesResolver, DataChangeNamesResolver, RoleChangeNamesResolver, SecurityEventNamesResolver } from '../resolvers/names.resolver';
import { PreviewSummaryResolver } from '../resolvers/preview-summary.resolver';
import { RegionResolver } from '../resolvers/region.resolver';
import { CustomerRestrictionResolver, MarketingObjectionResolver, RestrictionResolver } from '../resolvers/restriction.resolver';
import { BreachResolver } from '../resolvers/breach.resolver';
import { ProcessingActivityResolver } from '../resolvers/processing-activity.resolver';
import { VerificationResolver } from '../resolvers/verification.resolver';
import { LegalHoldResolver, RetentionPolicyResolver } from '../resolvers/retention.resolver';
import { ErasureResolver } from '../resolvers/erasure.resolver';
import { AuthPolicyResolver } from '../resolvers/auth-policy.resolver';
import { ClinicalEncryptionResolver } from '../resolvers/clinical-encryption.resolver';
import { ReauthenticationResolver } from '../resolvers/reauthentication.resolver';
import { TotpResolver } from '../resolvers/totp.resolver';
import '../schema/enums';
import { DateTimeISO } from '../schema/date-time-iso';

/** The schema as declared, before enforcement (what schema.graphql records). */
export async function buildDeclaredSchema(): Promise<GraphQLSchema> {
  return withPlainFieldResolvers(await buildSchema({
    resolvers: [
      AuthResolver, StoreResolver, CustomerResolver, ConsentResolver, AppointmentResolver, ExaminationResolver, PrescriptionResolver,
      RoleResolver, AssignmentResolver, MatrixResolver, UserResolver, StaffResolver, OrganisationResolver, AccessLogResolver, EmergencyAccessResolver, EmergencyAccessAcknowledgementResolver, DataChangeResolver,
      RestrictionResolver, MarketingObjectionResolver, CustomerRestrictionResolver,
      ErasureResolver,
      ConsentSettingsResolver, CustomerConsentProofResolver, ConsentEventProofResolver,
      AuditSettingsResolver, SecurityEventResolver, SecurityEventAcknowledgementResolver, ApiTokenResolver,
      RegionResolver, PreviewSummaryResolver, MarketingListResolver, DataRequestResolver, DataRequestEventResolver, AssignmentNamesResolver, RoleChangeNamesResolver, AccessLogNamesResolver, DataChangeNamesResolver, SecurityEventNamesResolver,
      BreachResolver, ProcessingActivityResolver, VerificationResolver,
      RetentionPolicyResolver, LegalHoldResolver,
      TotpResolver,
      AccountResolver,
      PasskeyResolver,
      AuthPolicyResolver, ClinicalEncryptionResolver, ReauthenticationResolver,
    ],
    // Every data field is nullable: a field the caller may not read resolves to null with an error
    // while its siblings still resolve. Structural fields opt out explicitly.
    nullableByDefault: true,
    validate: false,
    // graphql-scalars' DateTimeISO, which type-graphql maps Date to, with a shortcut for canonical strings (src/schema/date-time-iso.ts).
    scalarsMap: [{ type: Date, scalar: DateTimeISO }],
  }));
}

export async function buildEnforcedSchema(): Promise<GraphQLSchema> {
  return applyDeniedClinicalWriteLog(applyOperationGuard(applyFieldGuard(await buildDeclaredSchema())));
}

export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
