/**
 * Which permission governs each GraphQL object type's fields. A type missing here has every field
 * denied by the field guard. Root Query and Mutation fields are governed by the operation guard.
 *
 * - `subject`: the type's rows are the catalog subject; a field is readable when the ability allows
 *   `read` on that subject for this row (its chain and store) and that field name.
 * - `viaField`: child rows (an examination's refractions, say) are readable exactly when the parent
 *   subject's field `viaField` is readable for the same row scope.
 * - `relations`: fields that lead to another subject's rows (a customer's examinations) are allowed
 *   when the caller may read that subject at the parent's store (a customer's home store); the rows
 *   themselves are then filtered in SQL by their own store.
 * - `healthDataRow`: for a non-clinical subject whose rows may carry health data (a change log entry of a
 *   clinical record): a refused read of such a row is logged in the clinical access log as DENIED, like a
 *   refused read of a clinical subject (granted reads are logged by the service that returns the values).
 * - `chainWide`: the rows are the caller's own chain's reference data (its consent channels and wordings): a
 *   field is readable when the caller may read it (or `viaField`) on the subject anywhere in the chain, whatever
 *   the scope of the grant, and the row is of the caller's chain.
 * - `structural`: connection plumbing, the caller's own session and a mutation's own receipt (eraseCustomer's
 *   outcome): no data of its own.
 */

export type TypePolicy =
  | { kind: 'subject'; subject: string; viaField?: string; relations?: Record<string, string>; healthDataRow?: (row: Record<string, unknown>) => boolean; chainWide?: boolean }
  | { kind: 'structural' };

/** A change log entry of the clinical database holds clinical values. */
const clinicalChangeEntry = (row: Record<string, unknown>): boolean => row.log === 'CLINICAL';

export const ROOT_TYPES = new Set(['Query', 'Mutation']);

export const TYPE_POLICIES: Record<string, TypePolicy> = {
  Customer: {
    kind: 'subject',
    subject: 'Customer',
    relations: {
      consents: 'Consent',
      processingRestriction: 'Consent',
      marketingObjection: 'Consent',
      consentsAsOf: 'Consent',
      termsAcceptances: 'TermsAcceptance',
      appointments: 'Appointment',
      examinations: 'Examination',
      spectaclePrescriptions: 'SpectaclePrescription',
      contactLensSpecifications: 'ContactLensSpecification',
      clinicalNotes: 'ClinicalNote',
    },
  },
  Consent: { kind: 'subject', subject: 'Consent' },
  // eraseCustomer's answer: what the mutation the operation guard allowed (erase Customer) did, the outcome and the
  // categories kept with their reasons; no data of the customer (non-null, as the API contract has it).
  ErasureResult: { kind: 'structural' },
  RetainedData: { kind: 'structural' },
  ConsentEvent: { kind: 'subject', subject: 'Consent', viaField: 'history' },
  UnsubscribeLink: { kind: 'subject', subject: 'Consent', viaField: 'unsubscribeLink' },
  ProcessingRestriction: { kind: 'subject', subject: 'Consent', viaField: 'restriction' },
  ProcessingRestrictionEvent: { kind: 'subject', subject: 'Consent', viaField: 'restriction' },
  MarketingObjection: { kind: 'subject', subject: 'Consent', viaField: 'objection' },
  MarketingObjectionEvent: { kind: 'subject', subject: 'Consent', viaField: 'objection' },
  ConsentState: { kind: 'subject', subject: 'Consent', viaField: 'consentsAsOf' },
  ConsentProof: { kind: 'subject', subject: 'Consent', viaField: 'proof' },
  TermsAcceptance: { kind: 'subject', subject: 'TermsAcceptance' },
  ConsentChannelSetting: { kind: 'subject', subject: 'ConsentSettings', viaField: 'channels', chainWide: true },
  ConsentWording: { kind: 'subject', subject: 'ConsentSettings', viaField: 'wordings', chainWide: true },
  Appointment: { kind: 'subject', subject: 'Appointment' },
  Examination: { kind: 'subject', subject: 'Examination' },
  Refraction: { kind: 'subject', subject: 'Examination', viaField: 'refractions' },
  VisualAcuity: { kind: 'subject', subject: 'Examination', viaField: 'visualAcuities' },
  IntraocularPressure: { kind: 'subject', subject: 'Examination', viaField: 'intraocularPressures' },
  SpectaclePrescription: { kind: 'subject', subject: 'SpectaclePrescription' },
  ContactLensSpecification: { kind: 'subject', subject: 'ContactLensSpecification' },
  ClinicalNote: { kind: 'subject', subject: 'ClinicalNote' },
  // A note's client-side-encrypted SOAP parts: readable exactly where ClinicalNote.encryptedSoapNote is.
  EncryptedSoapNote: { kind: 'subject', subject: 'ClinicalNote', viaField: 'encryptedSoapNote' },
  Store: { kind: 'subject', subject: 'Store' },
  Region: { kind: 'subject', subject: 'Region' },
  User: { kind: 'subject', subject: 'User', relations: { roleAssignments: 'RoleAssignment' } },
  Role: { kind: 'subject', subject: 'Role', relations: { assignments: 'RoleAssignment' } },
  PermissionEntry: { kind: 'subject', subject: 'Role', viaField: 'permissions' },
  RoleAssignment: { kind: 'subject', subject: 'RoleAssignment' },
  RoleChange: { kind: 'subject', subject: 'RoleChange' },
  AccessLogEntry: { kind: 'subject', subject: 'AccessLogEntry' },
  AccessLogConnection: { kind: 'structural' },
  AccessLogEdge: { kind: 'structural' },
  EmergencyAccess: { kind: 'subject', subject: 'EmergencyAccess' },
  EmergencyAccessConnection: { kind: 'structural' },
  EmergencyAccessEdge: { kind: 'structural' },
  EmergencyAccessAcknowledgement: { kind: 'subject', subject: 'EmergencyAccess', viaField: 'acknowledgement' },
  DataChangeEntry: { kind: 'subject', subject: 'DataChangeEntry', healthDataRow: clinicalChangeEntry },
  FieldChange: { kind: 'subject', subject: 'DataChangeEntry', viaField: 'changes' },
  DataChangeConnection: { kind: 'structural' },
  DataChangeEdge: { kind: 'structural' },
  AuditSettings: { kind: 'subject', subject: 'AuditSettings' },
  SecurityEvent: { kind: 'subject', subject: 'SecurityEvent' },
  SecurityEventAcknowledgement: { kind: 'subject', subject: 'SecurityEvent', viaField: 'acknowledgement' },
  SecurityEventConnection: { kind: 'structural' },
  SecurityEventEdge: { kind: 'structural' },
  ApiToken: { kind: 'subject', subject: 'ApiToken' },
  // The answer to createApiToken: the token text shown once to its creator (like Session), and the token's record (checked as an ApiToken row).
  CreatedApiToken: { kind: 'structural' },
  // The answers of createUser and resetUserPassword: the invitation token shown once to its creator (like Session),
  // and the new user (checked as a User row).
  CreatedUser: { kind: 'structural' },
  Invitation: { kind: 'structural' },
  // Metadata and matrix answers: their root fields decide who may ask (read Role); users and stores
  // inside them are checked as User and Store rows.
  CatalogSubject: { kind: 'structural' },
  CatalogFieldGroup: { kind: 'structural' },
  CatalogField: { kind: 'structural' },
  EffectivePermission: { kind: 'structural' },
  Explanation: { kind: 'structural' },
  PermissionChange: { kind: 'structural' },
  RoleChangeSubjectSummary: { kind: 'structural' },
  Session: { kind: 'structural' },
  // Passkeys (docs/passkeys.md): the caller's own (the service returns only theirs), a ceremony's options, and a
  // fresh proof of identity on the caller's own session.
  Passkey: { kind: 'structural' },
  PasskeyOptions: { kind: 'structural' },
  Reauthentication: { kind: 'structural' },
  // login's answer (a session or a challenge), and the caller's own authenticator and recovery codes, shown once.
  LoginResult: { kind: 'structural' },
  TotpEnrollment: { kind: 'structural' },
  RecoveryCodes: { kind: 'structural' },
  CustomerConnection: { kind: 'structural' },
  CustomerEdge: { kind: 'structural' },
  PageInfo: { kind: 'structural' },
  // The marketing list: its nodes are Customer rows (checked per field); the manifest is counts and a hash.
  MarketingListConnection: { kind: 'structural' },
  MarketingListEdge: { kind: 'structural' },
  MarketingListManifest: { kind: 'structural' },
  MarketingListExclusion: { kind: 'structural' },
  // The request register: a request is its customer's home store's at receipt; its customer is checked as a Customer row,
  // its linked changes as DataChangeEntry rows.
  DataRequest: { kind: 'subject', subject: 'DataRequest', relations: { customer: 'Customer' } },
  DataRequestEvent: { kind: 'subject', subject: 'DataRequest', viaField: 'events' },
  DataRequestConnection: { kind: 'structural' },
  DataRequestEdge: { kind: 'structural' },
  // The DPO's registers (issue 12): chain-wide rows (no store), reached by chain-scoped grants only.
  Breach: { kind: 'subject', subject: 'Breach' },
  BreachEvent: { kind: 'subject', subject: 'Breach', viaField: 'history' },
  ProcessingActivity: { kind: 'subject', subject: 'ProcessingActivity' },
  ProcessingActivityChange: { kind: 'subject', subject: 'ProcessingActivity', viaField: 'history' },
  // Retention (docs/retention.md): the chain's policy (chain-scoped grants, like AuditSettings) and legal holds
  // (scoped by the customer's current home store, set on each row when it is read).
  RetentionPolicy: { kind: 'subject', subject: 'RetentionPolicy' },
  AuthPolicy: { kind: 'subject', subject: 'AuthPolicy' },
  ClinicalEncryptionPolicy: { kind: 'subject', subject: 'ClinicalEncryptionPolicy' },
  LegalHold: { kind: 'subject', subject: 'LegalHold' },
};
