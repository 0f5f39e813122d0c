/**
 * The demo chain's role matrix, as data: which role may do what on which fields. A chain manager
 * can change these through the API (a later issue); the seed only writes them once.
 */
import { CATALOG } from '../policies/catalog';

export interface RoleEntry {
  action: string;
  subject: string;
  fields?: string[];
}

export interface RoleDefinition {
  name: string;
  description: string;
  entries: RoleEntry[];
}

const read = (subject: string, fields?: string[]): RoleEntry => ({ action: 'read', subject, fields });
const can = (action: string, subject: string, fields?: string[]): RoleEntry => ({ action, subject, fields });

const EXAM_SUMMARY = ['id', 'storeId', 'customerId', 'practitionerId', 'examinedAt', 'status', 'signedAt', 'signedById', 'createdAt', 'updatedAt'];
const RX_SUMMARY = ['id', 'storeId', 'customerId', 'examinationId', 'issuedOn', 'prescriberId', 'prescriberName', 'prescriberRegistrationNumber', 'outcome', 'createdAt'];
const CL_SUMMARY = ['id', 'storeId', 'customerId', 'examinationId', 'issuedOn', 'prescriberId', 'prescriberName', 'prescriberRegistrationNumber', 'expiresOn', 'replacement', 'createdAt'];
const CUSTOMER_NAMES_AND_CONTACT = [
  'id', 'firstName', 'lastName', 'addressLine1', 'addressLine2', 'city', 'postcode', 'country', 'phone', 'email',
  'homeStoreId', 'homeStore', 'status',
];

export const CHAIN_MANAGER: RoleDefinition = {
  name: 'Chain manager',
  description: 'Everything in the chain, including roles and users.',
  entries: CATALOG.map((subject) => can('manage', subject.name)),
};

export const DEMO_ROLES: RoleDefinition[] = [
  CHAIN_MANAGER,
  {
    name: 'Regional manager',
    description: 'Customers for a region; clinical summaries; no clinical notes; the region’s marketing lists. Holds export Customer, but a customer data export is refused without full clinical read (docs/customer-export.md).',
    entries: [
      read('Customer'), can('update', 'Customer'), can('export', 'Customer'),
      read('Consent'), read('ConsentSettings'), read('TermsAcceptance'), read('Appointment'),
      read('Examination', EXAM_SUMMARY), read('SpectaclePrescription', RX_SUMMARY), read('ContactLensSpecification', CL_SUMMARY),
      read('MarketingList'), can('export', 'MarketingList'), read('Store'), read('User'),
    ],
  },
  {
    name: 'Store manager',
    description: 'Customers, appointments and consents for a store; clinical summary only; no marketing lists. Holds export Customer, but a customer data export is refused without full clinical read (docs/customer-export.md).',
    entries: [
      read('Customer'), can('create', 'Customer'), can('update', 'Customer'), can('export', 'Customer'),
      read('Consent'), can('update', 'Consent'), read('ConsentSettings'), read('TermsAcceptance'), can('create', 'TermsAcceptance'),
      read('Appointment'), can('create', 'Appointment'), can('update', 'Appointment'),
      read('Examination', EXAM_SUMMARY), read('SpectaclePrescription', RX_SUMMARY), read('ContactLensSpecification', CL_SUMMARY),
      read('Store'), read('User'),
    ],
  },
  {
    name: 'Optometrist',
    description: 'Full clinical read and write for the customers of a store.',
    entries: [
      read('Customer'), can('create', 'Customer'), can('update', 'Customer'),
      read('Consent'), read('ConsentSettings'), read('TermsAcceptance'),
      read('Appointment'), can('create', 'Appointment'), can('update', 'Appointment'),
      read('Examination'), can('create', 'Examination'), can('update', 'Examination'), can('sign', 'Examination'),
      read('SpectaclePrescription'), can('create', 'SpectaclePrescription'),
      read('ContactLensSpecification'), can('create', 'ContactLensSpecification'),
      read('ClinicalNote'), can('create', 'ClinicalNote'),
      can('create', 'EmergencyAccess'),
      read('Store'),
    ],
  },
  {
    name: 'Optical assistant',
    description: 'Customers, consents, spectacle and contact lens prescriptions; no examinations or notes.',
    entries: [
      read('Customer'), can('create', 'Customer'), can('update', 'Customer'),
      read('Consent'), can('update', 'Consent'),
      read('ConsentSettings'), read('TermsAcceptance'), can('create', 'TermsAcceptance'),
      read('Appointment'),
      read('SpectaclePrescription'), read('ContactLensSpecification'),
      read('Store'),
    ],
  },
  {
    name: 'Receptionist',
    description: 'Names, contact details and appointments; records terms acceptances; nothing clinical, no consent edits, no date of birth.',
    entries: [
      read('Customer', CUSTOMER_NAMES_AND_CONTACT),
      can('update', 'Customer', ['addressLine1', 'addressLine2', 'city', 'postcode', 'country', 'phone', 'email']),
      read('Consent'), read('ConsentSettings'), read('TermsAcceptance'), can('create', 'TermsAcceptance'),
      read('Appointment'), can('create', 'Appointment'), can('update', 'Appointment'),
      read('Store'),
    ],
  },
  {
    name: 'Data protection officer',
    description: 'Reads everything for data-subject requests and audits, reads the access log and the data change logs, reviews security events and emergency accesses; runs the request register (data-subject requests on their legal clock), corrects customers’ details under a rectification request, exports one customer’s data for access and portability (GET /exports/customers/{id}), erases or inactivates under an erasure request, sets retention and legal holds, keeps the breach register and the records of processing; no clinical edits.',
    entries: [
      read('Customer'), can('export', 'Customer'), can('erase', 'Customer'), read('Consent'), read('ConsentSettings'), read('TermsAcceptance'), read('Appointment'),
      read('Examination'), read('SpectaclePrescription'), read('ContactLensSpecification'), read('ClinicalNote'),
      read('AccessLogEntry'), can('export', 'AccessLogEntry'), read('EmergencyAccess'), can('update', 'EmergencyAccess'),
      read('DataChangeEntry'), read('RoleAssignment'), read('RoleChange'), read('SecurityEvent'), can('update', 'SecurityEvent'),
      read('AuditSettings'),
      read('DataRequest'), can('create', 'DataRequest'), can('update', 'DataRequest'), can('export', 'DataRequest'),
      // Rectification (Art. 16) under a request: identity and contact details, not the home store or status.
      can('update', 'Customer', ['firstName', 'lastName', 'dateOfBirth', 'sex', 'addressLine1', 'addressLine2', 'city', 'postcode', 'country', 'phone', 'email']),
      // the DPO's registers (issue 12): breaches, records of processing, the data-quality verification period
      read('Breach'), can('create', 'Breach'), can('update', 'Breach'),
      read('ProcessingActivity'), can('create', 'ProcessingActivity'), can('update', 'ProcessingActivity'), can('export', 'ProcessingActivity'),
      can('update', 'AuditSettings', ['verificationPeriodMonths']),
      read('RetentionPolicy'), can('update', 'RetentionPolicy'), read('LegalHold'), can('create', 'LegalHold'), can('update', 'LegalHold'),
      read('Store'), read('User'), read('Role'),
    ],
  },
  {
    name: 'BI service account',
    description: 'Marketing fields of customers and their consents, for consent-filtered marketing lists (GraphQL and the streamed export, with an API token).',
    entries: [
      read('Customer', ['id', 'firstName', 'lastName', 'email', 'phone', 'addressLine1', 'addressLine2', 'city', 'postcode', 'country', 'homeStoreId', 'status']),
      read('Consent'), read('ConsentSettings'), read('TermsAcceptance'), read('MarketingList'), can('export', 'MarketingList'), read('Store'),
    ],
  },
];
