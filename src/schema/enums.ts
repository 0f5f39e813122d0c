/**
 * Every enumeration of the domain, registered with GraphQL in one place.
 */
import { registerEnumType } from 'type-graphql';

export enum ConsentChannel { SMS = 'SMS', EMAIL = 'EMAIL', MAIL = 'MAIL', SOCIAL_MEDIA = 'SOCIAL_MEDIA' }
export enum ConsentActor { STAFF = 'STAFF', CUSTOMER = 'CUSTOMER' }
export enum ConsentSource { IN_STORE = 'IN_STORE', PAPER_FORM = 'PAPER_FORM', PHONE = 'PHONE', WEBSITE = 'WEBSITE', EMAIL_LINK = 'EMAIL_LINK', IMPORT = 'IMPORT' }
export enum CustomerStatus { ACTIVE = 'ACTIVE', INACTIVE = 'INACTIVE', ERASED = 'ERASED' }
/** The lawful basis of a marketing permission (valid per channel: src/services/consent-basis.ts). */
export enum LawfulBasis { CONSENT = 'CONSENT', SOFT_OPT_IN = 'SOFT_OPT_IN', LEGITIMATE_INTEREST = 'LEGITIMATE_INTEREST' }
export enum LegalDocument { TERMS = 'TERMS', PRIVACY_NOTICE = 'PRIVACY_NOTICE' }
export enum Sex { FEMALE = 'FEMALE', MALE = 'MALE', OTHER = 'OTHER', UNKNOWN = 'UNKNOWN' }
export enum UserStatus { ACTIVE = 'ACTIVE', DISABLED = 'DISABLED' }
/** A member of staff (signs in with a password), or a service account (no password sign-in; API tokens only). */
export enum UserKind { STAFF = 'STAFF', SERVICE = 'SERVICE' }
export enum SessionScope { FULL = 'FULL', ENROLMENT = 'ENROLMENT' }
export enum Profession {
  OPTOMETRIST = 'OPTOMETRIST', DISPENSING_OPTICIAN = 'DISPENSING_OPTICIAN', CONTACT_LENS_OPTICIAN = 'CONTACT_LENS_OPTICIAN',
  OPTICAL_ASSISTANT = 'OPTICAL_ASSISTANT', RECEPTIONIST = 'RECEPTIONIST', MANAGER = 'MANAGER',
  DATA_PROTECTION_OFFICER = 'DATA_PROTECTION_OFFICER', SERVICE_ACCOUNT = 'SERVICE_ACCOUNT',
}
export enum ScopeType { CHAIN = 'CHAIN', REGION = 'REGION', STORE = 'STORE' }
export enum AppointmentType {
  SIGHT_TEST = 'SIGHT_TEST', CONTACT_LENS_FITTING = 'CONTACT_LENS_FITTING', CONTACT_LENS_AFTERCARE = 'CONTACT_LENS_AFTERCARE',
  DISPENSING = 'DISPENSING', COLLECTION = 'COLLECTION', REPAIR = 'REPAIR',
}
export enum AppointmentStatus { BOOKED = 'BOOKED', CANCELLED = 'CANCELLED', COMPLETED = 'COMPLETED', NO_SHOW = 'NO_SHOW' }
export enum ExaminationStatus { DRAFT = 'DRAFT', SIGNED = 'SIGNED' }
export enum Eye { RIGHT = 'RIGHT', LEFT = 'LEFT', BOTH = 'BOTH' }
export enum RefractionType {
  AUTO_REFRACTION = 'AUTO_REFRACTION', RETINOSCOPY = 'RETINOSCOPY', SUBJECTIVE = 'SUBJECTIVE',
  CYCLOPLEGIC = 'CYCLOPLEGIC', FOCIMETRY = 'FOCIMETRY',
}
export enum PrismBaseHorizontal { IN = 'IN', OUT = 'OUT' }
export enum PrismBaseVertical { UP = 'UP', DOWN = 'DOWN' }
export enum AcuityDistance { DISTANCE = 'DISTANCE', NEAR = 'NEAR' }
export enum AcuityAid { UNAIDED = 'UNAIDED', GLASSES = 'GLASSES', CONTACT_LENSES = 'CONTACT_LENSES', PINHOLE = 'PINHOLE' }
export enum AcuityUnit {
  SNELLEN_METRE = 'SNELLEN_METRE', SNELLEN_FOOT = 'SNELLEN_FOOT', LOGMAR = 'LOGMAR', DECIMAL = 'DECIMAL',
  ETDRS_LETTERS = 'ETDRS_LETTERS', N_SCALE = 'N_SCALE',
}
export enum TonometryInstrument { GOLDMANN = 'GOLDMANN', NON_CONTACT = 'NON_CONTACT', REBOUND = 'REBOUND', PERKINS = 'PERKINS', TONOPEN = 'TONOPEN' }
export enum PrescriptionOutcome { NEW_RX = 'NEW_RX', NO_CHANGE = 'NO_CHANGE', NO_RX_NEEDED = 'NO_RX_NEEDED', REFERRED = 'REFERRED' }
export enum LensReplacement { DAILY = 'DAILY', TWO_WEEKLY = 'TWO_WEEKLY', MONTHLY = 'MONTHLY', QUARTERLY = 'QUARTERLY', YEARLY = 'YEARLY' }
export enum AccessOutcome { GRANTED = 'GRANTED', DENIED = 'DENIED' }
/**
 * What a data change log entry records. INACTIVATE and ERASE are written by `eraseCustomer` and the disposal
 * after retention (src/services/erasure/: inactivating a customer with clinical records, erasing one without).
 * DELETE is a child row removed by a change to its parent (an examination's findings, replaced wholesale by
 * updateExamination) or a clinical record disposed of after its retention period.
 */
export enum ChangeAction {
  CREATE = 'CREATE', UPDATE = 'UPDATE', DELETE = 'DELETE', SIGN = 'SIGN', CANCEL = 'CANCEL', INACTIVATE = 'INACTIVATE', ERASE = 'ERASE',
}
/** Which change log an entry is in: personal data (core database) or clinical data (clinical database). */
/** How `eraseCustomer` answered an erasure request: ERASED (a tombstone) or INACTIVATED (clinical records kept). */
export enum ErasureOutcome { ERASED = 'ERASED', INACTIVATED = 'INACTIVATED' }
export enum ChangeLogKind { PERSONAL = 'PERSONAL', CLINICAL = 'CLINICAL' }
export enum SecurityEventKind {
  BULK_CLINICAL_READS = 'BULK_CLINICAL_READS', BULK_EXPORTS = 'BULK_EXPORTS', SETTING_WEAKENED = 'SETTING_WEAKENED',
  /** A sign-in challenge was killed by repeated wrong second-factor codes (docs/mfa.md). */
  SECOND_FACTOR_FAILURES = 'SECOND_FACTOR_FAILURES',
  /** A recovery code was used: the user may have lost their authenticator (docs/mfa.md). */
  RECOVERY_CODE_USED = 'RECOVERY_CODE_USED',
  /** The scheduled backup (BACKUP_CRON) or its verification failed: a system event, no user (docs/security-operations.md). */
  BACKUP_VERIFICATION_FAILED = 'BACKUP_VERIFICATION_FAILED',
}
export enum ReviewItemKind { SECURITY_EVENT = 'SECURITY_EVENT', EMERGENCY_ACCESS = 'EMERGENCY_ACCESS' }
/** The marketing list's exclusion rules, in the order they are applied (docs/marketing-lists.md): a customer is counted under the first one they fail. */
export enum MarketingListRule {
  CHANNEL_DISABLED = 'CHANNEL_DISABLED', INACTIVE = 'INACTIVE', RESTRICTED = 'RESTRICTED', OBJECTED = 'OBJECTED',
  NO_CONSENT = 'NO_CONSENT', WITHDRAWN = 'WITHDRAWN', NO_CONTACT_DETAIL = 'NO_CONTACT_DETAIL',
}

/** A data-subject request's right (GDPR Art. 15, 20, 16, 17, 18, 21). */
export enum DataRequestType {
  ACCESS = 'ACCESS', PORTABILITY = 'PORTABILITY', RECTIFICATION = 'RECTIFICATION', ERASURE = 'ERASURE', RESTRICTION = 'RESTRICTION', OBJECTION = 'OBJECTION',
}
/** OPEN: the clock runs; PAUSED: the clock is stopped (identity or clarification awaited); the rest are closed. */
export enum DataRequestStatus { OPEN = 'OPEN', PAUSED = 'PAUSED', COMPLETED = 'COMPLETED', REFUSED = 'REFUSED', WITHDRAWN = 'WITHDRAWN' }
export enum DataRequestChannel { IN_STORE = 'IN_STORE', EMAIL = 'EMAIL', POST = 'POST', PHONE = 'PHONE', WEBSITE = 'WEBSITE' }
/** The only reasons the legal clock may stop: the requester's identity, or a clarification genuinely needed. */
export enum DataRequestPauseReason { IDENTITY = 'IDENTITY', CLARIFICATION = 'CLARIFICATION' }
/** One step in a data-subject request's append-only history. */
export enum DataRequestEventKind {
  RECEIVED = 'RECEIVED', IDENTITY_VERIFIED = 'IDENTITY_VERIFIED', ASSIGNED = 'ASSIGNED', PAUSED = 'PAUSED', RESUMED = 'RESUMED',
  EXTENDED = 'EXTENDED', LINKED_CHANGE = 'LINKED_CHANGE', LINKED_EXPORT = 'LINKED_EXPORT', LINKED_ERASURE = 'LINKED_ERASURE',
  COMPLETED = 'COMPLETED', REFUSED = 'REFUSED', WITHDRAWN = 'WITHDRAWN',
}
// The DPO's registers (issue 12, items 7 and 8: src/services/registers/).
/** Art. 33/34 risk of a personal data breach: UNLIKELY to result in a risk, a RISK, a HIGH_RISK to the customers. */
export enum BreachRisk { UNLIKELY = 'UNLIKELY', RISK = 'RISK', HIGH_RISK = 'HIGH_RISK' }
/** Art. 6(1) GDPR: the lawful bases of a processing activity, (a) to (f). */
export enum ProcessingBasis {
  CONSENT = 'CONSENT', CONTRACT = 'CONTRACT', LEGAL_OBLIGATION = 'LEGAL_OBLIGATION', VITAL_INTERESTS = 'VITAL_INTERESTS',
  PUBLIC_TASK = 'PUBLIC_TASK', LEGITIMATE_INTERESTS = 'LEGITIMATE_INTERESTS',
}
/** Art. 9(2) GDPR: the condition for processing special category data (health data), (a) to (j). */
export enum SpecialCategoryCondition {
  EXPLICIT_CONSENT = 'EXPLICIT_CONSENT', EMPLOYMENT_SOCIAL_SECURITY = 'EMPLOYMENT_SOCIAL_SECURITY', VITAL_INTERESTS = 'VITAL_INTERESTS',
  NOT_FOR_PROFIT_BODY = 'NOT_FOR_PROFIT_BODY', MADE_PUBLIC = 'MADE_PUBLIC', LEGAL_CLAIMS = 'LEGAL_CLAIMS',
  SUBSTANTIAL_PUBLIC_INTEREST = 'SUBSTANTIAL_PUBLIC_INTEREST', HEALTH_OR_SOCIAL_CARE = 'HEALTH_OR_SOCIAL_CARE',
  PUBLIC_HEALTH = 'PUBLIC_HEALTH', ARCHIVING_RESEARCH_STATISTICS = 'ARCHIVING_RESEARCH_STATISTICS',
}
/** What an entry of a register's history records: the entry created, or changed. */
export enum RegisterChange { CREATED = 'CREATED', UPDATED = 'UPDATED' }

const enums: [object, string, string][] = [
  [ConsentChannel, 'ConsentChannel', 'A marketing channel that needs its own consent.'],
  [ConsentActor, 'ConsentActor', 'Who made a consent change: a member of staff or the customer themself.'],
  [ConsentSource, 'ConsentSource', 'Through which source a consent change arrived.'],
  [LawfulBasis, 'LawfulBasis', 'The lawful basis of a marketing permission: CONSENT (any channel), SOFT_OPT_IN (email and SMS: a recorded sale with the opt-out offered), LEGITIMATE_INTEREST (post).'],
  [LegalDocument, 'LegalDocument', 'A document a customer accepts: the terms, or the privacy notice.'],
  [CustomerStatus, 'CustomerStatus', 'ACTIVE; INACTIVE (kept, e.g. for clinical retention, but not processed); or ERASED (a tombstone: personal data removed, only the id kept for the audit trail).'],
  [Sex, 'Sex', 'Sex as recorded for clinical purposes.'],
  [UserStatus, 'UserStatus', 'Whether a staff account may sign in.'],
  [UserKind, 'UserKind', 'STAFF (a person: signs in with a password) or SERVICE (a service account, e.g. a BI tool: cannot sign in with a password; uses API tokens).'],
  [SessionScope, 'SessionScope', 'FULL (an ordinary session) or ENROLMENT (may only enrol the second factor the user’s role requires).'],
  [Profession, 'Profession', "A staff member's profession."],
  [ScopeType, 'ScopeType', 'Where a role assignment applies.'],
  [AppointmentType, 'AppointmentType', 'What an appointment is for.'],
  [AppointmentStatus, 'AppointmentStatus', 'Lifecycle of an appointment.'],
  [ExaminationStatus, 'ExaminationStatus', 'DRAFT examinations can be edited; SIGNED ones are locked.'],
  [Eye, 'Eye', 'Which eye a finding is for.'],
  [RefractionType, 'RefractionType', 'How a refraction was obtained.'],
  [PrismBaseHorizontal, 'PrismBaseHorizontal', 'Base direction of a horizontal prism.'],
  [PrismBaseVertical, 'PrismBaseVertical', 'Base direction of a vertical prism.'],
  [AcuityDistance, 'AcuityDistance', 'Distance or near acuity.'],
  [AcuityAid, 'AcuityAid', 'How the eye was corrected while acuity was measured.'],
  [AcuityUnit, 'AcuityUnit', 'The notation a visual acuity was entered in.'],
  [TonometryInstrument, 'TonometryInstrument', 'Instrument used to measure intraocular pressure.'],
  [PrescriptionOutcome, 'PrescriptionOutcome', 'Outcome of a sight test for spectacles.'],
  [LensReplacement, 'LensReplacement', 'Contact lens replacement schedule.'],
  [AccessOutcome, 'AccessOutcome', 'Whether an access was granted or denied.'],
  [ChangeAction, 'ChangeAction', 'What a change to personal or clinical data did (INACTIVATE and ERASE: eraseCustomer and the disposal after retention).'],
  [ErasureOutcome, 'ErasureOutcome', 'ERASED (no clinical records: personal data removed, a tombstone kept) or INACTIVATED (clinical records kept for their retention period: status INACTIVE, contact data erased, marketing stopped).'],
  [ChangeLogKind, 'ChangeLogKind', 'PERSONAL (customers, consents, appointments; core database) or CLINICAL (clinical records; clinical database).'],
  [SecurityEventKind, 'SecurityEventKind', 'What a security event is about: unusually many customers’ clinical records read, or unusually many exported; or a protection weakened (SETTING_WEAKENED: its `setting`, the value before as `threshold`, after as `observedCount`); or a system event without a user: BACKUP_VERIFICATION_FAILED (the scheduled backup or its verification failed).'],
  [MarketingListRule, 'MarketingListRule', 'Why a considered customer is not on a marketing list: the first rule they fail, in this order (CHANNEL_DISABLED, INACTIVE, RESTRICTED, OBJECTED, NO_CONSENT, WITHDRAWN, NO_CONTACT_DETAIL).'],
  [DataRequestType, 'DataRequestType', 'Which right a data-subject request exercises: access (Art. 15), portability (Art. 20), rectification (Art. 16), erasure (Art. 17), restriction (Art. 18), objection (Art. 21).'],
  [DataRequestStatus, 'DataRequestStatus', 'OPEN (the legal clock runs), PAUSED (stopped while identity or a clarification is awaited), or closed: COMPLETED, REFUSED, WITHDRAWN.'],
  [DataRequestChannel, 'DataRequestChannel', 'How a data-subject request was received.'],
  [DataRequestPauseReason, 'DataRequestPauseReason', 'Why the legal clock of a request is stopped: the requester’s identity, or a clarification, is awaited.'],
  [DataRequestEventKind, 'DataRequestEventKind', 'One step in the history of a data-subject request (receipt, identity, handler, clock changes, linked changes, exports and erasures, closure).'],
  [BreachRisk, 'BreachRisk', 'Risk assessment of a personal data breach (Art. 33/34 GDPR): UNLIKELY to result in a risk to the customers (not notifiable), a RISK (notify the authority within 72 hours), a HIGH_RISK (also tell the customers).'],
  [ProcessingBasis, 'ProcessingBasis', 'Lawful basis of a processing activity, Art. 6(1) GDPR: CONSENT (a), CONTRACT (b), LEGAL_OBLIGATION (c), VITAL_INTERESTS (d), PUBLIC_TASK (e), LEGITIMATE_INTERESTS (f).'],
  [SpecialCategoryCondition, 'SpecialCategoryCondition', 'Condition for special category (e.g. health) data, Art. 9(2) GDPR: EXPLICIT_CONSENT (a), EMPLOYMENT_SOCIAL_SECURITY (b), VITAL_INTERESTS (c), NOT_FOR_PROFIT_BODY (d), MADE_PUBLIC (e), LEGAL_CLAIMS (f), SUBSTANTIAL_PUBLIC_INTEREST (g), HEALTH_OR_SOCIAL_CARE (h: provision of health care), PUBLIC_HEALTH (i), ARCHIVING_RESEARCH_STATISTICS (j).'],
  [RegisterChange, 'RegisterChange', 'What an entry of a register’s history records: CREATED or UPDATED.'],
];
for (const [enumObj, name, description] of enums) registerEnumType(enumObj, { name, description });
