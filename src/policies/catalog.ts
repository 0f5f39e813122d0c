/**
 * The permission catalog: every subject, the actions on it and its fields, grouped for people.
 * Role entries { action, subject, fields? } are validated against it; the field guard denies any
 * GraphQL field that is not listed here (a test keeps the schema and the catalog in step).
 */

export const ACTIONS = ['read', 'create', 'update', 'sign', 'erase', 'export', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

export interface CatalogField {
  name: string;
  group: string;
  description: string;
}

export interface CatalogSubject {
  name: string;
  description: string;
  actions: readonly Action[];
  fields: readonly CatalogField[];
  /** Health data: every read through the API is written to the clinical access log. */
  clinical: boolean;
}

type FieldSpec = [name: string, description: string];
const group = (name: string, specs: FieldSpec[]): CatalogField[] =>
  specs.map(([field, description]) => ({ name: field, group: name, description }));

const perEye = (prefix: 'right' | 'left', fields: FieldSpec[]): FieldSpec[] =>
  fields.map(([name, description]) => [`${prefix}${name}`, `${prefix === 'right' ? 'Right' : 'Left'} eye: ${description}`]);

const SPECTACLE_EYE: FieldSpec[] = [
  ['Sphere', 'sphere (D)'], ['Cylinder', 'cylinder (D)'], ['Axis', 'axis (degrees)'], ['NearAdd', 'near addition (D)'],
  ['PrismHorizontal', 'horizontal prism (prism dioptres)'], ['PrismHorizontalBase', 'horizontal prism base'],
  ['PrismVertical', 'vertical prism (prism dioptres)'], ['PrismVerticalBase', 'vertical prism base'],
];
const CONTACT_LENS_EYE: FieldSpec[] = [
  ['Brand', 'lens brand'], ['Design', 'lens design'], ['Material', 'lens material'], ['BaseCurve', 'base curve (mm)'],
  ['Diameter', 'diameter (mm)'], ['Power', 'power (D)'], ['Cylinder', 'cylinder (D)'], ['Axis', 'axis (degrees)'],
  ['NearAdd', 'near addition (D)'],
];
const PRESCRIBER: FieldSpec[] = [
  ['issuedOn', 'Date issued'], ['prescriberId', 'Prescribing practitioner'], ['prescriberName', 'Prescriber name'],
  ['prescriberRegistrationNumber', 'Prescriber registration number'],
];
const RECORD_KEYS: FieldSpec[] = [
  ['id', 'Record id'], ['storeId', 'Store where recorded'], ['customerId', 'Customer'],
];

/** Names next to a row's userId (and storeId): governed like reading them on the user (store) itself (policies/name-fields.ts). */
const NAMES_OF_USER: CatalogField[] = group('names', [
  ['userName', 'Who, by name; readable only where User.name of that user is too'],
  ['userEmail', 'Who, by email; readable only where User.email of that user is too'],
]);
const NAMES_OF_USER_AND_STORE: CatalogField[] = [
  ...NAMES_OF_USER,
  ...group('names', [['storeName', 'The store’s name; readable only where Store.name of that store is too']]),
];

export const CATALOG: readonly CatalogSubject[] = [
  {
    name: 'Customer',
    description: 'Customers (patients): identity, contact details and administrative data. `export` gives the customer data export (GET /exports/customers/{id}, access and portability) at the customer’s home store, with full read of everything it carries (docs/customer-export.md). `erase`: eraseCustomer answers an erasure request (erase, or inactivate while health records must be kept: docs/erasure.md).',
    actions: ['read', 'create', 'update', 'erase', 'export'],
    clinical: false,
    fields: [
      ...group('identity', [
        ['id', 'Customer id'], ['firstName', 'First name'], ['lastName', 'Last name'],
        ['dateOfBirth', 'Date of birth'], ['sex', 'Sex'],
      ]),
      ...group('contact', [
        ['addressLine1', 'Address line 1'], ['addressLine2', 'Address line 2'], ['city', 'Town or city'],
        ['postcode', 'Postcode'], ['country', 'Country'], ['phone', 'Phone number'], ['email', 'Email address'],
      ]),
      ...group('administrative', [
        ['homeStoreId', 'Home store id'], ['homeStore', 'Home store'], ['status', 'Active, inactive or erased'],
        ['dataVerifiedAt', 'When the customer last confirmed their details (update: confirmCustomerDetails)'],
        ['dataVerifiedById', 'Who recorded the customer’s last confirmation of their details'], ['createdAt', 'Created'], ['updatedAt', 'Last changed'],
        ['erasedAt', 'When the customer was erased (a tombstone)'],
      ]),
    ],
  },
  {
    name: 'Consent',
    description: 'Marketing consent per channel, with its history. `update` is granted per channel field.',
    actions: ['read', 'update'],
    clinical: false,
    fields: [
      ...group('consent', [
        ['id', 'Consent id'], ['customerId', 'Customer'], ['channel', 'Channel'], ['granted', 'Granted or withdrawn'],
        ['changedAt', 'When it last changed'], ['actor', 'Changed by staff or by the customer'],
        ['recordedById', 'Staff member who recorded it'], ['source', 'Source of the change'],
        ['wordingVersion', 'Wording version consented to'], ['history', 'Every grant and withdrawal'],
      ]),
      ...group('restriction and objection', [
        ['restriction', 'Restriction of processing (Art. 18): state, reason and history; update: restrict and lift'],
        ['objection', 'Objection to direct marketing (Art. 21) and suppression: state and history; update: record an objection'],
      ]),
      ...group('proof', [
        ['basis', 'Lawful basis (consent, soft opt-in, legitimate interest)'], ['saleReference', 'Soft opt-in: the sale it came from'],
        ['optOutOffered', 'Soft opt-in: whether the opt-out was offered'],
        ['proof', 'Proof of an event: the exact wording, who, when, source and basis (with history)'],
        ['consentsAsOf', 'Each channel’s state and basis as of a moment, from the events'],
      ]),
      ...group('unsubscribe links', [
        ['unsubscribeLink', 'Single-use unsubscribe links issued for the customer (issuing one also needs update on the channel)'],
      ]),
      ...group('channels', [
        ['SMS', 'SMS marketing consent'], ['EMAIL', 'Email marketing consent'], ['MAIL', 'Postal marketing consent'],
        ['SOCIAL_MEDIA', 'Social media marketing consent'],
      ]),
    ],
  },
  {
    name: 'TermsAcceptance',
    description: 'A customer’s acceptance of a version of the terms or the privacy notice. Rows are scoped by the customer’s home store.',
    actions: ['read', 'create'],
    clinical: false,
    fields: group('terms', [
      ['id', 'Acceptance id'], ['customerId', 'Customer'], ['document', 'Terms or privacy notice'], ['version', 'Version accepted'],
      ['acceptedAt', 'When accepted'], ['recordedById', 'Staff member who recorded it'], ['source', 'Source of the acceptance'],
    ]),
  },
  {
    name: 'ConsentSettings',
    description: 'The chain’s consent settings: which channels it uses and the published consent wordings. Read with a grant anywhere in the chain (the rows are the chain’s own); changed only under a chain-scoped assignment.',
    actions: ['read', 'update'],
    clinical: false,
    fields: group('consent settings', [
      ['channels', 'Which consent channels the chain uses'], ['wordings', 'Published consent wordings (update = publish a version)'],
    ]),
  },
  {
    name: 'Appointment',
    description: 'Appointments at a store.',
    actions: ['read', 'create', 'update'],
    clinical: false,
    fields: group('appointment', [
      ['id', 'Appointment id'], ['storeId', 'Store'], ['customerId', 'Customer'], ['practitionerId', 'Practitioner'],
      ['type', 'Appointment type'], ['startsAt', 'Start'], ['endsAt', 'End'], ['status', 'Status'],
      ['cancellationReason', 'Why it was cancelled'], ['createdAt', 'Booked at'],
    ]),
  },
  {
    name: 'Examination',
    description: 'Eye examinations and their findings (clinical).',
    actions: ['read', 'create', 'update', 'sign'],
    clinical: true,
    fields: [
      ...group('clinical summary', [
        ...RECORD_KEYS, ['practitionerId', 'Examining practitioner'], ['examinedAt', 'Date and time of examination'],
        ['status', 'Draft or signed'], ['signedAt', 'When signed'], ['signedById', 'Who signed'],
        ['createdAt', 'Created'], ['updatedAt', 'Last changed'],
      ]),
      ...group('clinical history', [
        ['reasonForVisit', 'Reason for visit'], ['history', 'General, ocular, medication and family history'],
      ]),
      ...group('clinical findings', [
        ['refractions', 'Refractions'], ['visualAcuities', 'Visual acuities'], ['intraocularPressures', 'Intraocular pressures'],
      ]),
    ],
  },
  {
    name: 'SpectaclePrescription',
    description: 'Spectacle prescriptions (clinical).',
    actions: ['read', 'create'],
    clinical: true,
    fields: [
      ...group('prescription summary', [
        ...RECORD_KEYS, ['examinationId', 'Examination'], ...PRESCRIBER, ['outcome', 'Outcome of the sight test'],
        ['createdAt', 'Created'],
      ]),
      ...group('prescription values', [
        ...perEye('right', SPECTACLE_EYE), ...perEye('left', SPECTACLE_EYE), ['notes', 'Prescription notes'],
      ]),
    ],
  },
  {
    name: 'ContactLensSpecification',
    description: 'Contact lens specifications (clinical).',
    actions: ['read', 'create'],
    clinical: true,
    fields: [
      ...group('specification summary', [
        ...RECORD_KEYS, ['examinationId', 'Examination'], ...PRESCRIBER, ['expiresOn', 'Expiry date'],
        ['patientDateOfBirth', 'Date of birth (under-16s); derived from the customer: readable only where Customer.dateOfBirth is too'], ['replacement', 'Replacement schedule'], ['createdAt', 'Created'],
      ]),
      ...group('specification values', [...perEye('right', CONTACT_LENS_EYE), ...perEye('left', CONTACT_LENS_EYE)]),
    ],
  },
  {
    name: 'ClinicalNote',
    description: 'Clinical notes in SOAP form (clinical). In a chain whose SOAP notes are client-side encrypted (ClinicalEncryptionPolicy) a note is `encryptedSoapNote`, the practice’s ciphertext, and its four parts are null (docs/clinical-encryption.md).',
    actions: ['read', 'create'],
    clinical: true,
    fields: [
      ...group('note summary', [...RECORD_KEYS, ['examinationId', 'Examination'], ['authorId', 'Author'], ['createdAt', 'Written']]),
      ...group('clinical notes', [
        ['subjective', 'Subjective'], ['objective', 'Objective'], ['assessment', 'Assessment'], ['plan', 'Plan'],
        ['encryptedSoapNote', 'The SOAP parts encrypted by the practice (ciphertext, key id, algorithm): client-side-encrypted chains'],
      ]),
    ],
  },
  {
    name: 'Store',
    description: 'Stores of the chain. `create` (createStore, per field; chain-wide: only chain-scoped grants reach it), `update` (updateStore per field, for the stores a grant covers; `regionId`, moving a store to another region, only chain-wide; `open`: opening or closing it).',
    actions: ['read', 'create', 'update'],
    clinical: false,
    fields: group('store', [
      ['id', 'Store id'], ['name', 'Name'], ['address', 'Postal address'], ['city', 'Town or city'], ['phone', 'Phone'], ['regionId', 'Region'],
      ['open', 'Open or closed'],
    ]),
  },
  {
    name: 'Region',
    description: 'Regions of the chain: groups of stores. A rule for a region applies where it covers at least one of the region’s stores. `create` (createRegion, per field; chain-wide: only chain-scoped grants reach it).',
    actions: ['read', 'create'],
    clinical: false,
    fields: group('region', [['id', 'Region id'], ['name', 'Name'], ['stores', 'Its stores (each shown where Store is readable)']]),
  },
  {
    name: 'User',
    description: 'Staff members and service accounts. Chain-wide: only chain-scoped assignments reach them. `create` (createUser, per field), `update` (updateUser per field; `status`: deactivateUser, reactivateUser; `password`: resetUserPassword, which issues a new invitation).',
    actions: ['read', 'create', 'update', 'manage'],
    clinical: false,
    fields: group('staff', [
      ['id', 'User id'], ['name', 'Name'], ['email', 'Email'], ['profession', 'Profession'],
      ['registrationNumber', 'Professional registration number'], ['status', 'Active or disabled'],
      ['kind', 'Member of staff or service account'], ['roleAssignments', 'Roles held, and where'],
      ['password', 'Password: reset it (a new invitation; the old password stops working). Never readable'],
    ]),
  },
  {
    name: 'ApiToken',
    description: 'API tokens of service accounts (BI tools): create, list, revoke (`update`). Chain-wide: only chain-scoped assignments reach them. The token text is never readable: it is shown once, when created.',
    actions: ['read', 'create', 'update'],
    clinical: false,
    fields: group('api token', [
      ['id', 'Token id'], ['userId', 'Service account it acts as'], ['name', 'What it is for'], ['createdAt', 'Created'],
      ['createdById', 'Who created it'], ['expiresAt', 'When it expires'], ['revokedAt', 'When it was revoked'],
      ['revokedById', 'Who revoked it'], ['lastUsedAt', 'When it was last used'],
    ]),
  },
  {
    name: 'Role',
    description: 'Roles of the chain: named sets of permission entries. Also governs the permission catalog, matrix views and explanations.',
    actions: ['read', 'create', 'update', 'erase', 'manage'],
    clinical: false,
    fields: [
      ...group('role', [
        ['id', 'Role id'], ['name', 'Name'], ['description', 'Description'], ['permissions', 'Permission entries'],
        ['assignments', 'Who holds the role, and where'], ['createdAt', 'Created'],
      ]),
    ],
  },
  {
    name: 'RoleAssignment',
    description: 'Who holds which role where (chain, region or store), and when.',
    actions: ['read', 'create', 'erase', 'manage'],
    clinical: false,
    fields: group('assignment', [
      ['id', 'Assignment id'], ['userId', 'User'], ['user', 'User'], ['roleId', 'Role'], ['role', 'Role'],
      ['scopeType', 'Chain, region or store'], ['regionId', 'Region'], ['storeId', 'Store'], ['validFrom', 'Valid from'],
      ['validUntil', 'Valid until'], ['active', 'In force now'], ['createdAt', 'Created'],
    ]).concat(group('names', [
      ['userName', 'The user’s name; readable only where User.name of that user is too'],
      ['userEmail', 'The user’s email; readable only where User.email of that user is too'],
      ['roleName', 'The role’s name; readable only where Role.name of that role is too'],
      ['storeName', 'The store’s name (STORE scope); readable only where Store.name of that store is too'],
      ['regionName', 'The region’s name (REGION scope); readable only where Region.name of that region is too'],
    ])),
  },
  {
    name: 'RoleChange',
    description: 'The history of changes to roles and assignments.',
    actions: ['read'],
    clinical: false,
    fields: group('history', [
      ['id', 'Entry id'], ['occurredAt', 'When'], ['actorId', 'Who'], ['action', 'What'], ['roleId', 'Role'],
      ['assignmentId', 'Assignment'], ['before', 'State before'], ['after', 'State after'],
    ]).concat(group('names', [
      ['actorName', 'Who, by name; readable only where User.name of that user is too'],
      ['actorEmail', 'Who, by email; readable only where User.email of that user is too'],
      ['roleName', 'The role’s current name (null once deleted); readable only where Role.name of that role is too'],
    ])),
  },
  {
    name: 'AccessLogEntry',
    description: 'The clinical access log: who read (or was refused) which health records, when, where and why. `export` is planned: no operation uses it yet.',
    actions: ['read', 'export'],
    clinical: false,
    fields: group('access log', [
      ['id', 'Entry id'], ['occurredAt', 'When'], ['userId', 'Who (id)'], ['user', 'Who'], ['customerId', 'Whose records (id)'],
      ['storeId', 'Store of the records'], ['store', 'Store'], ['subject', 'Kind of record'], ['recordIds', 'Records'],
      ['fields', 'Fields read'], ['outcome', 'Granted or denied'], ['requestId', 'Request'], ['clientAddress', 'Client address'],
      ['operationName', 'Operation'], ['userAgent', 'Client software (User-Agent)'], ['purpose', 'Declared purpose of access'],
      ['assignmentIds', 'Role assignments that granted the read'], ['emergencyAccessId', 'Emergency access that granted the read'],
    ]).concat(NAMES_OF_USER_AND_STORE),
  },
  {
    name: 'EmergencyAccess',
    description: 'Break the glass: time-limited emergency access to one customer’s health records (create = ask for one; update = acknowledge as a reviewer). Everyone reads their own.',
    actions: ['read', 'create', 'update'],
    clinical: false,
    fields: [...group('emergency access', [
      ['id', 'Emergency access id'], ['userId', 'Who (id)'], ['user', 'Who'], ['customerId', 'Whose records'],
      ['storeId', 'Customer’s home store; derived from the customer: readable only where Customer.homeStoreId is too'], ['reason', 'Written reason'], ['grantedAt', 'Granted at'], ['expiresAt', 'Expires at'],
      ['inForce', 'Still in force'], ['uses', 'Access log entries produced'],
    ]),
    ...group('review', [['acknowledged', 'Acknowledged or not'], ['acknowledgement', 'Who acknowledged it, when, with which note']])],
  },
  {
    name: 'DataChangeEntry',
    description: 'The data change logs: every change to personal and clinical data, with the changed values before and after (clinical values read here are logged as clinical reads).',
    actions: ['read'],
    clinical: false,
    fields: [
      ...group('change log', [
        ['id', 'Entry id'], ['log', 'Personal or clinical log'], ['occurredAt', 'When'], ['userId', 'Who (id)'], ['user', 'Who'],
        ['requestId', 'Request'], ['clientAddress', 'Client address'], ['userAgent', 'Client software'], ['operationName', 'Operation'],
        ['action', 'What was done'], ['subject', 'Kind of data'], ['recordType', 'Kind of record'], ['recordId', 'Record'],
        ['customerId', 'Whose data (id)'], ['storeId', 'Store of the record'], ['store', 'Store'],
      ]),
      ...NAMES_OF_USER_AND_STORE,
      ...group('changed values', [['changes', 'The changed fields, before and after (personal or clinical values)']]),
    ],
  },
  {
    name: 'AuditSettings',
    description: 'The chain’s audit settings: anomaly alert thresholds and window, length of emergency access, the data-quality verification period. Chain-wide: only chain-scoped assignments reach them.',
    actions: ['read', 'update'],
    clinical: false,
    fields: [
      ...group('anomaly alerts', [
        ['anomalyDistinctCustomers', 'Distinct customers whose clinical records one user may read within the window before an alert'],
        ['anomalyWindowMinutes', 'Window of the anomaly rules (minutes)'],
        ['anomalyExportCustomers', 'Distinct customers whose data one user may export within the window before an alert'],
      ]),
      ...group('emergency access', [['emergencyAccessMinutes', 'How long break-the-glass emergency access lasts (minutes)']]),
      ...group('data quality', [['verificationPeriodMonths', 'Months after which a customer’s unconfirmed details are due for verification (verificationDue)']]),
      ...group('settings history', [['updatedAt', 'When last changed'], ['updatedBy', 'Who last changed them']]),
    ],
  },
  {
    name: 'SecurityEvent',
    description: 'Anomaly alerts (e.g. one user reading many customers’ clinical records) and their acknowledgement. `update` acknowledges. Chain-wide: only chain-scoped assignments reach them.',
    actions: ['read', 'update'],
    clinical: false,
    fields: [
      ...group('security event', [
        ['id', 'Event id'], ['kind', 'What kind of anomaly'], ['userId', 'Whose use of data (id)'], ['user', 'Whose use of data'],
        ['raisedAt', 'When raised'], ['windowStart', 'Start of the counted window'], ['windowEnd', 'End of the counted window'],
        ['observedCount', 'Distinct customers counted'], ['threshold', 'Threshold exceeded'], ['setting', 'Which protection was weakened'],
      ]),
      ...NAMES_OF_USER,
      ...group('review', [['acknowledged', 'Acknowledged or not'], ['acknowledgement', 'Who acknowledged it, when, with which note']]),
    ],
  },
  {
    name: 'DataRequest',
    description: 'Data-subject requests (access, portability, rectification, restriction, objection, erasure) in the request register, with their legal clock: `create` records one as received; `update` verifies identity, assigns the handler, extends, pauses and resumes the clock, closes it (complete, refuse, withdraw) and links corrections to it (field `linkedChanges`). Rows are scoped by the customer’s home store at receipt (`storeId`). `export` is reserved for the customer data export linked to a request.',
    actions: ['read', 'create', 'update', 'export'],
    clinical: false,
    fields: [
      ...group('request', [
        ['id', 'Request id'], ['customerId', 'The customer (data subject)'], ['customer', 'The customer (each field shown where Customer is readable)'],
        ['storeId', 'The customer’s home store at receipt'], ['type', 'Which right'], ['channel', 'How it was received'],
        ['notes', 'What was asked for'], ['createdById', 'Who recorded it'], ['createdAt', 'When it was recorded'],
      ]),
      ...group('legal clock', [
        ['status', 'Open, paused, completed, refused or withdrawn'], ['receivedAt', 'When it was received'],
        ['dueAt', 'The current due date'], ['originalDueAt', 'The original due date (one calendar month from receipt)'],
        ['extensionMonths', 'Months extended by'], ['pausedAt', 'When the clock was stopped'],
        ['overdue', 'Past its due date and not closed'], ['dueSoon', 'Due within 7 days'],
      ]),
      ...group('handling', [
        ['identityVerifiedAt', 'When the requester’s identity was verified'], ['identityVerifiedById', 'Who verified it'],
        ['identityMethod', 'How it was verified'], ['handlerId', 'Who handles the request'],
        ['outcome', 'What was done, or why refused or withdrawn'], ['completedAt', 'When it was closed'],
      ]),
      ...group('history', [
        ['events', 'Every step: who, when, why, the due date before and after'],
        ['linkedChanges', 'Corrections made under the request, with before/after (each entry governed like dataChangeLog; update: link a correction)'],
      ]),
    ],
  },
  {
    name: 'MarketingList',
    description: 'Consent-filtered marketing lists: `export` gives the `marketingList` query and the streamed export (GET /exports/marketing-list) for the stores where Customer is readable too; their rows are Customer fields, each checked as a Customer read. `read` is planned: no operation uses it yet.',
    actions: ['read', 'export'],
    clinical: false,
    fields: [],
  },
  // Issue 12, helper E: the DPO's registers (breaches, records of processing).
  {
    name: 'Breach',
    description: 'The breach register (Art. 33(5) GDPR): every personal data breach, its risk, the 72-hour notification deadline and the decisions. `read` also counts affected customers from the access log (breachAffectedCustomers, with `read` AccessLogEntry). Chain-wide: only chain-scoped assignments reach it.',
    actions: ['read', 'create', 'update'],
    clinical: false,
    fields: [
      ...group('breach', [
        ['id', 'Breach id'], ['discoveredAt', 'When discovered'], ['occurredAt', 'When it happened'], ['description', 'What happened'],
        ['dataCategories', 'Categories of personal data concerned'], ['affectedCustomers', 'How many customers are affected'],
        ['affectedCountUserId', 'Access-log count: whose reads were counted'], ['affectedCountFrom', 'Access-log count: from'],
        ['affectedCountTo', 'Access-log count: to'], ['recordedById', 'Who recorded it'], ['createdAt', 'Recorded'], ['updatedAt', 'Last changed'],
      ]),
      ...group('assessment', [
        ['risk', 'Risk to the customers (UNLIKELY, RISK, HIGH_RISK)'], ['riskAssessment', 'Why that risk'], ['measures', 'Measures taken or proposed'],
      ]),
      ...group('notification', [
        ['deadline', 'Deadline to notify the authority (discovered + 72 hours)'], ['overdue', 'Not notified nor decided, past the deadline'],
        ['notified', 'Whether the authority was notified'], ['notifiedLate', 'Notified after the deadline'],
        ['notifiedAuthorityAt', 'When the authority was notified'], ['authorityReference', 'The authority’s reference'],
        ['notNotifiableReason', 'Why not notifiable'], ['delayReason', 'Why notified late'],
        ['customersNotifiedAt', 'When the customers were told'], ['customersNotNotifiedReason', 'Why the customers are not told (Art. 34(3))'],
        ['customersToBeTold', 'HIGH_RISK with no decision about telling the customers'],
      ]),
      ...group('history', [['history', 'Every change, with the changed fields before and after']]),
    ],
  },
  {
    name: 'ProcessingActivity',
    description: 'The records of processing activities (Art. 30(1) GDPR): purpose, lawful basis, data, recipients, transfers, retention, security. `export` gives GET /exports/processing-activities (JSON, CSV). Chain-wide: only chain-scoped assignments reach it.',
    actions: ['read', 'create', 'update', 'export'],
    clinical: false,
    fields: [
      ...group('activity', [
        ['id', 'Entry id'], ['name', 'Name'], ['purpose', 'Purpose'], ['lawfulBases', 'Lawful bases (Art. 6(1))'],
        ['lawfulBasisNotes', 'How the bases apply'], ['specialCategoryCondition', 'Art. 9(2) condition for special category data'],
        ['dataCategories', 'Categories of personal data'], ['dataSubjects', 'Categories of data subjects'], ['recipients', 'Categories of recipients'],
        ['internationalTransfers', 'International transfers and safeguards'], ['retention', 'How long the data is kept'],
        ['securityMeasures', 'Technical and organisational security measures'], ['controllerContact', 'Controller contact'],
        ['dpoContact', 'Data protection officer contact'], ['createdAt', 'Created'], ['updatedAt', 'Last changed'], ['updatedById', 'Who last changed it'],
      ]),
      ...group('history', [['history', 'Every change, with the changed fields before and after']]),
    ],
  },
  // Sign-in rules (issue 13; docs/auth-policy.md).
  {
    name: 'AuthPolicy',
    description: 'The chain’s sign-in rules: which roles must sign in with a second factor or a passkey, the idle timeout and the session maximum. Chain-wide: only chain-scoped assignments reach it. Every change is kept in the security settings history; `update` needs a recent sign-in.',
    actions: ['read', 'update'],
    clinical: false,
    fields: [
      ...group('factors by role', [
        ['secondFactorRoleIds', 'Roles whose holders must sign in with a second factor'],
        ['passkeyRoleIds', 'Roles whose holders must sign in with a passkey'],
      ]),
      ...group('session limits', [
        ['idleTimeoutMinutes', 'Minutes a session may stay unused'], ['sessionMaxHours', 'Hours a session lasts at most'],
      ]),
      ...group('policy history', [['isDefault', 'Never changed: the defaults apply'], ['updatedAt', 'When last changed']]),
    ],
  },
  // Client-side-encrypted SOAP notes (issue 15, item 4; docs/clinical-encryption.md).
  {
    name: 'ClinicalEncryptionPolicy',
    description: 'Whether the chain’s SOAP notes are encrypted by the client with the practice’s key (the server then refuses plaintext SOAP parts), and which practice key ids new notes may name. Chain-wide: only chain-scoped assignments reach it. Every change is kept in the security settings history; `update` needs a recent sign-in.',
    actions: ['read', 'update'],
    clinical: false,
    fields: [
      ...group('client-side encryption', [
        ['clientSideSoapNotes', 'SOAP notes are encrypted by the client (plaintext parts refused)'],
        ['practiceKeyIds', 'Practice key ids new notes may name (empty: any)'],
      ]),
      ...group('policy history', [['isDefault', 'Never changed: off'], ['updatedAt', 'When last changed']]),
    ],
  },
  // Retention and legal holds (issue 12, item 5; docs/retention.md).
  {
    name: 'RetentionPolicy',
    description: 'The chain’s retention rules for health records: years after the last clinical contact, and for children the birthday they are kept to. Chain-wide: only chain-scoped assignments reach it. Every change is kept in the security settings history.',
    actions: ['read', 'update'],
    clinical: false,
    fields: [
      ...group('retention rules', [
        ['adultYears', 'Years records are kept after the last clinical contact'],
        ['childUntilAge', 'A child’s records are kept at least until this birthday'],
        ['childUnderAge', 'Younger than this at the last clinical contact counts as a child'],
      ]),
      ...group('policy history', [['updatedAt', 'When last changed'], ['updatedBy', 'Who last changed it']]),
    ],
  },
  {
    name: 'LegalHold',
    description: 'Legal holds on a customer’s records (create = place one; update = release one): while one is in force, retention does not dispose of the customer. Rows are scoped by the customer’s home store.',
    actions: ['read', 'create', 'update'],
    clinical: false,
    fields: group('legal hold', [
      ['id', 'Hold id'], ['customerId', 'Whose records'], ['reason', 'Why the records must be kept'], ['placedAt', 'When placed'],
      ['placedBy', 'Who placed it'], ['releasedAt', 'When released'], ['releasedBy', 'Who released it'], ['releaseReason', 'Why it was released'],
      ['inForce', 'In force (not released)'],
    ]),
  },
];

export type SubjectName = (typeof CATALOG)[number]['name'];

const BY_NAME = new Map(CATALOG.map((subject) => [subject.name, subject]));

export function catalogSubject(name: string): CatalogSubject | undefined {
  return BY_NAME.get(name);
}

export function catalogHasField(subject: string, field: string): boolean {
  return BY_NAME.get(subject)?.fields.some((f) => f.name === field) ?? false;
}

export const CLINICAL_SUBJECTS = CATALOG.filter((s) => s.clinical).map((s) => s.name);
