/**
 * The platform's own records of processing (Art. 30(1) GDPR), seeded per chain: customer records, clinical records
 * (health data under Art. 9(2)(h)), appointments and reminders, marketing (consent, the soft opt-in, legitimate
 * interest for post), the audit trail, BI marketing lists, staff accounts and sessions. A chain edits them through
 * upsertProcessingActivity; the seed writes each with a CREATED history entry (no user: the seed). Written as the owner.
 */
import { EntityManager } from 'typeorm';
import { ProcessingBasis, SpecialCategoryCondition } from '../schema/enums';

interface SeededActivity {
  name: string;
  purpose: string;
  lawfulBases: ProcessingBasis[];
  lawfulBasisNotes?: string;
  specialCategoryCondition?: SpecialCategoryCondition;
  dataCategories: string[];
  dataSubjects: string[];
  recipients: string[];
  retention: string;
}

const SECURITY = 'Personal credentials only (argon2id passwords, MFA by role), role- and store-scoped permissions per field (default deny), '
  + 'TLS in transit, encrypted backups, separate clinical database, append-only hash-chained audit logs, automatic logout.';

const ACTIVITIES: SeededActivity[] = [
  {
    name: 'Customer records',
    purpose: 'Keeping the identity, contact details and administrative data of customers to provide eye care and sell optical products.',
    lawfulBases: [ProcessingBasis.CONTRACT, ProcessingBasis.LEGAL_OBLIGATION],
    lawfulBasisNotes: 'Contract for the sale and service; legal obligation for accounting records.',
    dataCategories: ['Identity (name, date of birth, sex)', 'Contact details (address, phone, email)', 'Administrative data (home store, status)'],
    dataSubjects: ['Customers (patients)', 'Parents or guardians of child customers'],
    recipients: ['Hosting provider (processor)'],
    retention: 'As long as the clinical records of the customer are kept (see Clinical records); customers without clinical records: 6 years after the last sale, then erased.',
  },
  {
    name: 'Clinical records',
    purpose: 'Eye examinations, spectacle prescriptions, contact lens specifications and clinical notes for the provision of eye care.',
    lawfulBases: [ProcessingBasis.CONTRACT, ProcessingBasis.LEGAL_OBLIGATION],
    lawfulBasisNotes: 'Health data: Art. 9(2)(h), provision of health care by registered optometrists under a duty of confidentiality (Art. 9(3)).',
    specialCategoryCondition: SpecialCategoryCondition.HEALTH_OR_SOCIAL_CARE,
    dataCategories: ['Health data: examinations and findings', 'Spectacle prescriptions', 'Contact lens specifications', 'Clinical notes'],
    dataSubjects: ['Customers (patients)'],
    recipients: ['The customer’s GP or an ophthalmologist on referral', 'Another practice on the customer’s request (portability)'],
    retention: 'Adults: 10 years after the last clinical contact; children: until the later of their 25th birthday and 10 years after the last contact; longer under a legal hold.',
  },
  {
    name: 'Appointments and reminders',
    purpose: 'Booking sight tests and fittings, booking confirmations and recall reminders (service messages, no promotion).',
    lawfulBases: [ProcessingBasis.CONTRACT, ProcessingBasis.LEGITIMATE_INTERESTS],
    lawfulBasisNotes: 'Recalls at the recommended interval: legitimate interest in the customer’s eye health; they carry no marketing.',
    dataCategories: ['Identity', 'Contact details', 'Appointment times and types'],
    dataSubjects: ['Customers (patients)'],
    recipients: ['SMS and email delivery provider (processor)'],
    retention: '2 years after the appointment.',
  },
  {
    name: 'Marketing',
    purpose: 'Offers and news by email, SMS, post and social media to customers who may receive them.',
    lawfulBases: [ProcessingBasis.CONSENT, ProcessingBasis.LEGITIMATE_INTERESTS],
    lawfulBasisNotes: 'Email and SMS: consent per channel, or the soft opt-in (PECR reg. 22(3): a sale, similar products, opt-out offered). Post: legitimate interest. An objection is absolute and kept as a suppression.',
    dataCategories: ['Identity', 'Contact details', 'Consent history and proof', 'Objections and suppressions (keyed hashes)'],
    dataSubjects: ['Customers'],
    recipients: ['Mailing and SMS delivery providers (processors)'],
    retention: 'Until consent is withdrawn or the customer objects; the suppression of an objection is kept indefinitely.',
  },
  {
    name: 'BI marketing lists',
    purpose: 'Consent-filtered marketing lists exported to the chain’s BI tool under a service account.',
    lawfulBases: [ProcessingBasis.CONSENT, ProcessingBasis.LEGITIMATE_INTERESTS],
    lawfulBasisNotes: 'Follows the bases of Marketing: only customers with a current basis for the channel are listed.',
    dataCategories: ['Identity (names)', 'Contact details for the channel'],
    dataSubjects: ['Customers'],
    recipients: ['BI tool (processor)'],
    retention: 'Each export is used for one campaign and deleted by the BI tool within 30 days; the export log is kept 6 years.',
  },
  {
    name: 'Audit trail',
    purpose: 'Proving who read and changed personal and health data: the clinical access log, the data change logs, security events, emergency access.',
    lawfulBases: [ProcessingBasis.LEGAL_OBLIGATION, ProcessingBasis.LEGITIMATE_INTERESTS],
    lawfulBasisNotes: 'Art. 5(2) and Art. 32 (accountability, security of processing); health-record audit duties.',
    specialCategoryCondition: SpecialCategoryCondition.HEALTH_OR_SOCIAL_CARE,
    dataCategories: ['Staff identifiers', 'Customer identifiers', 'Changed values before and after (personal and clinical)', 'Request ids and client addresses'],
    dataSubjects: ['Staff', 'Customers (patients)'],
    recipients: ['Supervisory authority on request'],
    retention: 'As long as the records they describe, at least 6 years.',
  },
  {
    name: 'Staff accounts and sessions',
    purpose: 'Signing staff in, their roles and assignments, sessions and login throttling.',
    lawfulBases: [ProcessingBasis.CONTRACT, ProcessingBasis.LEGITIMATE_INTERESTS],
    dataCategories: ['Name, email, profession, registration number', 'Password hashes, second factors', 'Sessions and login attempts'],
    dataSubjects: ['Staff', 'Service accounts'],
    recipients: [],
    retention: 'Accounts: the employment plus 6 years; sessions and login attempts: 90 days.',
  },
];

export async function seedProcessingActivities(tx: EntityManager, chainId: string, chainName: string, contactDomain: string): Promise<number> {
  const controller = `${chainName} Ltd, privacy@${contactDomain}`;
  const dpo = `Data protection officer, dpo@${contactDomain}`;
  for (const a of ACTIVITIES) {
    const row = {
      name: a.name, purpose: a.purpose, lawfulBases: a.lawfulBases, lawfulBasisNotes: a.lawfulBasisNotes ?? null,
      specialCategoryCondition: a.specialCategoryCondition ?? null, dataCategories: a.dataCategories, dataSubjects: a.dataSubjects,
      recipients: a.recipients, internationalTransfers: null, retention: a.retention, securityMeasures: SECURITY,
      controllerContact: controller, dpoContact: dpo,
    };
    const [{ id }] = (await tx.query(
      `INSERT INTO processing_activity (chain_id, name, purpose, lawful_bases, lawful_basis_notes, special_category_condition, data_categories,
         data_subjects, recipients, international_transfers, retention, security_measures, controller_contact, dpo_contact)
       VALUES ($1, $2, $3, $4::processing_basis[], $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [chainId, row.name, row.purpose, row.lawfulBases, row.lawfulBasisNotes, row.specialCategoryCondition, row.dataCategories, row.dataSubjects,
        row.recipients, row.internationalTransfers, row.retention, row.securityMeasures, row.controllerContact, row.dpoContact],
    )) as { id: string }[];
    await tx.query(
      `INSERT INTO processing_activity_change (chain_id, processing_activity_id, user_id, session_id, request_id, action, before, after)
       VALUES ($1, $2, NULL, NULL, 'seed', 'CREATED', NULL, $3)`,
      [chainId, id, row],
    );
  }
  return ACTIVITIES.length;
}
