/**
 * The entity lists of the two databases. Core and clinical never share a table or a foreign key.
 */
import { ApiToken } from '../schema/core/api-token.entity';
import { UserInvitation } from '../schema/core/user-invitation.entity';
import { Passkey } from '../schema/core/passkey.entity';
import { WebauthnChallenge } from '../schema/core/webauthn-challenge.entity';
import { MfaChallenge } from '../schema/core/mfa-challenge.entity';
import { RecoveryCode } from '../schema/core/recovery-code.entity';
import { UserTotp } from '../schema/core/user-totp.entity';
import { Appointment } from '../schema/core/appointment.entity';
import { AuditSettings } from '../schema/core/audit-settings.entity';
import { Chain } from '../schema/core/chain.entity';
import { ConsentEvent } from '../schema/core/consent-event.entity';
import { ConsentWording } from '../schema/core/consent-wording.entity';
import { Consent } from '../schema/core/consent.entity';
import { Customer } from '../schema/core/customer.entity';
import { CustomerDataExport } from '../schema/core/customer-data-export.entity';
import { DataRequestEvent } from '../schema/core/data-request-event.entity';
import { DataRequest } from '../schema/core/data-request.entity';
import { EmergencyAccess } from '../schema/core/emergency-access.entity';
import { MarketingListExport } from '../schema/core/marketing-list-export.entity';
import { LoginAttempt } from '../schema/core/login-attempt.entity';
import { MarketingObjection } from '../schema/core/marketing-objection.entity';
import { MarketingSuppression } from '../schema/core/marketing-suppression.entity';
import { PersonalChangeLogEntry } from '../schema/core/personal-change-log-entry.entity';
import { PersonalChangeLogRedaction } from '../schema/core/personal-change-log-redaction.entity';
import { ProcessingRestrictionEvent } from '../schema/core/processing-restriction-event.entity';
import { ProcessingRestriction } from '../schema/core/processing-restriction.entity';
import { Region } from '../schema/core/region.entity';
import { ReviewAcknowledgement } from '../schema/core/review-acknowledgement.entity';
import { RoleAssignment } from '../schema/core/role-assignment.entity';
import { RoleChange } from '../schema/core/role-change.entity';
import { RolePermission } from '../schema/core/role-permission.entity';
import { Role } from '../schema/core/role.entity';
import { SecurityEvent } from '../schema/core/security-event.entity';
import { SecuritySettingChange } from '../schema/core/security-setting-change.entity';
import { Session } from '../schema/core/session.entity';
import { Store } from '../schema/core/store.entity';
import { TermsAcceptance } from '../schema/core/terms-acceptance.entity';
import { UnsubscribeLink } from '../schema/core/unsubscribe-link.entity';
import { User } from '../schema/core/user.entity';
import { BreachEvent } from '../schema/registers/breach-event.entity';
import { Breach } from '../schema/registers/breach.entity';
import { ProcessingActivityChange } from '../schema/registers/processing-activity-change.entity';
import { ProcessingActivity } from '../schema/registers/processing-activity.entity';
import { RegisterExport } from '../schema/registers/register-export.entity';
import { LegalHold } from '../schema/core/legal-hold.entity';
import { RetentionPolicy } from '../schema/core/retention-policy.entity';
import { RetentionRun } from '../schema/core/retention-run.entity';
import { AuthPolicy } from '../schema/core/auth-policy.entity';
import { ClinicalEncryptionPolicy } from '../schema/core/clinical-encryption-policy.entity';
import { ClinicalAccessLogEntry } from '../schema/clinical/clinical-access-log-entry.entity';
import { ClinicalChangeLogEntry } from '../schema/clinical/clinical-change-log-entry.entity';
import { ClinicalChangeLogRedaction } from '../schema/clinical/clinical-change-log-redaction.entity';
import { ClinicalDataKey } from '../schema/clinical/clinical-data-key.entity';
import { ClinicalKeyRotation } from '../schema/clinical/clinical-key-rotation.entity';
import { ClinicalNote } from '../schema/clinical/clinical-note.entity';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { Examination } from '../schema/clinical/examination.entity';
import { IntraocularPressure } from '../schema/clinical/intraocular-pressure.entity';
import { Refraction } from '../schema/clinical/refraction.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { VisualAcuity } from '../schema/clinical/visual-acuity.entity';

export const coreEntities = [
  Chain, Region, Store, User, Role, RolePermission, RoleAssignment, RoleChange, Session, LoginAttempt,
  Customer, Consent, ConsentEvent, Appointment, EmergencyAccess, PersonalChangeLogEntry, AuditSettings, SecurityEvent, SecuritySettingChange,
  ReviewAcknowledgement, UnsubscribeLink, ConsentWording, TermsAcceptance,
  ProcessingRestrictionEvent, ProcessingRestriction, MarketingObjection, MarketingSuppression, ApiToken, MarketingListExport,
  CustomerDataExport, DataRequest, DataRequestEvent,
  Breach, BreachEvent, ProcessingActivity, ProcessingActivityChange, RegisterExport,
  RetentionPolicy, LegalHold, RetentionRun, AuthPolicy, ClinicalEncryptionPolicy,
  PersonalChangeLogRedaction, UserInvitation,
  Passkey, WebauthnChallenge,
  UserTotp, RecoveryCode, MfaChallenge,
];

export const clinicalEntities = [
  Examination, Refraction, VisualAcuity, IntraocularPressure,
  SpectaclePrescription, ContactLensSpecification, ClinicalNote, ClinicalAccessLogEntry, ClinicalChangeLogEntry, ClinicalChangeLogRedaction,
  ClinicalDataKey, ClinicalKeyRotation,
];
