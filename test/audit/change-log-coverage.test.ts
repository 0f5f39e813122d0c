/**
 * Change-log coverage (issue 8): every root Mutation field of the schema is invoked once, successfully,
 * and whatever rows of personal or clinical data it added, changed or removed must each have a NEW entry
 * in the change log of their database naming that record; and a mutation may write no data change entry
 * for a record it did not change. The mutations that should change no personal data (sign-in, roles,
 * break the glass, reviews, settings) are walked the same way: their classification is observed, not
 * declared away.
 *
 * The oracles are written here from the domain, not imported from src: which tables hold a customer's
 * personal or clinical data, which record type each is logged as, and which of them each invocation is
 * expected to change. A guard fails when a table holding a customer id is neither a data table below nor
 * an allow-listed log, and another when the schema has a mutation this walk does not invoke.
 */
import { Kind, OperationDefinitionNode, parse } from 'graphql';
import { DataSource } from 'typeorm';
import { buildDeclaredSchema } from '../../src/server/build-schema';
import { startTestApp, TestApp } from '../support/test-app';
import { DEMO_PASSWORD, EMAIL, MFA_DEMO_USER } from '../support/actors';
import { totpNow } from '../mfa/mfa-helpers';
import { sessionsFor } from '../support/sessions';
import { SoftwareAuthenticator } from '../support/software-authenticator';

type Db = 'core' | 'clinical';

interface DataTable {
  db: Db;
  table: string;
  /** The record type (entity name) its change-log entries carry. */
  recordType: string;
  /**
   * Which record's entry covers a change of this row, as SQL over the row `t` (default: the row itself,
   * `t.id`). `join` adds what that SQL needs.
   */
  loggedAs?: string;
  join?: string;
  /** The row's identity, as SQL over `t` (default `t.id`; a current-state table keyed by customer has none). */
  key?: string;
}

/**
 * The tables holding a customer's personal data (core) or health data (clinical), from the domain:
 * the customer, their consents and the consent history, their terms acceptances, their appointments; examinations with their
 * findings, prescriptions, contact lens specifications and notes.
 */
const DATA_TABLES: DataTable[] = [
  { db: 'core', table: 'customer', recordType: 'Customer' },
  { db: 'core', table: 'consent', recordType: 'Consent' },
  // consent_event is the append-only history of a consent (one row per grant or withdrawal); the change
  // log does not log the event as a record of its own but the change it makes to the channel's current
  // consent: an event row is covered by an entry for the Consent of the same customer and channel.
  {
    db: 'core', table: 'consent_event', recordType: 'Consent',
    loggedAs: 'c.id', join: 'LEFT JOIN consent c ON c.customer_id = t.customer_id AND c.channel = t.channel',
  },
  { db: 'core', table: 'appointment', recordType: 'Appointment' },
  // a customer's acceptance of the terms or the privacy notice (append-only, one row per acceptance)
  { db: 'core', table: 'terms_acceptance', recordType: 'TermsAcceptance' },
  // Restriction of processing: the customer's current state (keyed by customer) is logged as a
  // ProcessingRestriction whose record id is the customer's; each append-only event is covered by that entry.
  { db: 'core', table: 'processing_restriction', recordType: 'ProcessingRestriction', key: 't.customer_id', loggedAs: 't.customer_id' },
  { db: 'core', table: 'processing_restriction_event', recordType: 'ProcessingRestriction', loggedAs: 't.customer_id' },
  // An objection to direct marketing is logged as itself (its suppression holds no customer id: hashes only).
  { db: 'core', table: 'marketing_objection', recordType: 'MarketingObjection' },
  { db: 'clinical', table: 'examination', recordType: 'Examination' },
  { db: 'clinical', table: 'refraction', recordType: 'Refraction' },
  { db: 'clinical', table: 'visual_acuity', recordType: 'VisualAcuity' },
  { db: 'clinical', table: 'intraocular_pressure', recordType: 'IntraocularPressure' },
  { db: 'clinical', table: 'spectacle_prescription', recordType: 'SpectaclePrescription' },
  { db: 'clinical', table: 'contact_lens_specification', recordType: 'ContactLensSpecification' },
  { db: 'clinical', table: 'clinical_note', recordType: 'ClinicalNote' },
];

/**
 * Tables that carry a customer id but are records ABOUT the processing of a customer's data, not that
 * data: the logs themselves (append-only, tamper-evident; logging writes to them would be circular).
 */
const LOG_TABLES: Record<Db, string[]> = {
  core: [
    'personal_change_log_entry', // the personal data change log
    'emergency_access', // break-the-glass grants: an audit record of who asked to read whose records, and why
    'unsubscribe_link', // single-use withdrawal tokens (hashed): what was issued to whom; using one is a logged consent change
    // The request register (issue 12): a data-subject request about the customer's data (its append-only history,
    // data_request_event, holds no customer id: every step an event naming the member of staff); a correction made
    // under a request is logged as itself.
    'data_request',
    'legal_hold', // legal holds: a record of who placed and released a hold on whose records, and why (the row is its own log)
    'customer_data_export', // each export of one customer's data (access, portability): a disclosure log, identifiers only
    'personal_change_log_redaction', // the record of each redaction of the personal change log's values (erasure; identifiers only)
  ],
  clinical: [
    'clinical_change_log_entry', // the clinical data change log
    'clinical_access_log_entry', // the clinical access log (every read)
    'clinical_change_log_redaction', // the record of each redaction of the clinical change log's values (disposal; identifiers only)
  ],
};

/** The change log of each database. */
const CHANGE_LOG: Record<Db, string> = { core: 'personal_change_log_entry', clinical: 'clinical_change_log_entry' };

/**
 * Columns left out of a row's fingerprint: when the row was last written is bookkeeping, not personal data
 * (the change log does not repeat it either); a write that only moves it changed nothing about the person.
 */
const BOOKKEEPING_COLUMNS = ['updated_at'];

const CHAIN_MANAGER = EMAIL.chainManager;
const STORE_MANAGER = EMAIL.leedsManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const ASSISTANT = EMAIL.leedsAssistant;
const RECEPTION = EMAIL.leedsReception;
const DPO = EMAIL.dpo;
// Used by one invocation each, and by nothing else: signing in ends a user's other session, signing out
// ends the cached one.
const SIGNS_IN = EMAIL.northManager;
const SIGNS_OUT = EMAIL.locum;
const PASSWORD = DEMO_PASSWORD;

const DRAFT_EXAM = 'mutation($input: CreateExaminationInput!) { createExamination(input: $input) { id } }';
const CREATE_ROLE = 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }';
const ASSIGN_ROLE = 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }';
const REQUEST_EMERGENCY = 'mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { id } }';
const CREATE_API_TOKEN = 'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { apiToken { id } } }';

/** Demo data the invocations use, looked up in beforeAll. */
interface Ids {
  chainId: string;
  leeds: string;
  optometrist: string;
  locum: string;
  /** Active adult customers of Leeds (home store Leeds), each used by at most one invocation. */
  leedsCustomers: string[];
  /** Customers of York: the Leeds optometrist cannot read their health records. */
  yorkCustomers: string[];
  /** A BOOKED appointment at Leeds in the future. */
  bookedAppointment: string;
  /** A consent channel the chain uses. */
  channel: string;
}

interface Helpers {
  ids: Ids;
  app: TestApp;
  /** Runs a mutation for setting up (before the snapshot); fails on an error; returns its data. */
  setup<T = Record<string, { id: string }>>(email: string, query: string, variables: Record<string, unknown>): Promise<T>;
}

interface Invocation {
  /** Who runs it (null: nobody signed in). */
  actor: string | null;
  document: string;
  variables(h: Helpers): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** The data tables this invocation changes, from the domain (checked against what it did). */
  changes: string[];
}

const day = 86400_000;
const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * day).toISOString().slice(0, 10);
const REFRACTIONS = [{ eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 90 }, { eye: 'LEFT', type: 'SUBJECTIVE', sphere: -1, cylinder: 0 }];
const ACUITIES = [{ eye: 'RIGHT', distance: 'DISTANCE', aid: 'GLASSES', unit: 'SNELLEN_METRE', value: '6/9' }];
const PRESSURES = [{ eye: 'RIGHT', mmHg: 16, instrument: 'NON_CONTACT' }];

async function draftExam(h: Helpers, customerId: string): Promise<string> {
  const data = await h.setup(OPTOMETRIST, DRAFT_EXAM, {
    input: { customerId, storeId: h.ids.leeds, reasonForVisit: 'Routine sight test', history: 'None.', refractions: REFRACTIONS, visualAcuities: ACUITIES, intraocularPressures: PRESSURES },
  });
  return data.createExamination.id;
}

/** The demo BI service account (API tokens are made for it). */
async function serviceAccount(h: Helpers): Promise<string> {
  const [row]: { id: string }[] = await h.app.core.query(`SELECT id FROM staff_user WHERE email = $1 AND kind = 'SERVICE'`, [EMAIL.bi]);
  return row.id;
}

const CREATE_DATA_REQUEST = 'mutation($input: CreateDataRequestInput!) { createDataRequest(input: $input) { id } }';

/** A new OPEN request of a York customer (no data of theirs changes), recorded by the DPO; optionally identity-verified. */
async function dataRequest(h: Helpers, verified = false, type = 'ACCESS'): Promise<string> {
  const data = await h.setup(DPO, CREATE_DATA_REQUEST, { input: { customerId: h.ids.yorkCustomers[1], type, receivedAt: new Date().toISOString(), channel: 'EMAIL' } });
  const id = data.createDataRequest.id;
  if (verified) await h.setup(DPO, 'mutation($id: ID!) { verifyDataRequestIdentity(id: $id, method: "Photo ID") { id } }', { id });
  return id;
}

const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } invitation { token } } }';
let staffCount = 0;
/** A new member of staff of Clearview (no customer data changes), made by the chain manager: their id and invitation token. */
async function newStaff(h: Helpers): Promise<{ id: string; token: string }> {
  staffCount += 1;
  const data = await h.setup<{ createUser: { user: { id: string }; invitation: { token: string } } }>(CHAIN_MANAGER, CREATE_USER, {
    input: { name: `Coverage staff ${staffCount}`, email: `coverage.staff.${staffCount}@clearview.example`, profession: 'RECEPTIONIST', kind: 'STAFF' },
  });
  return { id: data.createUser.user.id, token: data.createUser.invitation.token };
}

/** A member of staff who enrols TOTP (not a demo user: once enrolled, a password alone no longer signs in). Made once, with the demo password. */
const TOTP_USER = 'coverage.totp@clearview.example';
let totpUserMade: Promise<void> | null = null;
function totpUser(h: Helpers): Promise<void> {
  totpUserMade ??= (async () => {
    const data = await h.setup<{ createUser: { invitation: { token: string } } }>(CHAIN_MANAGER, CREATE_USER, {
      input: { name: 'Coverage Authenticator', email: TOTP_USER, profession: 'RECEPTIONIST', kind: 'STAFF' },
    });
    const accepted = await h.app.request('mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token } }', { t: data.createUser.invitation.token, p: DEMO_PASSWORD });
    if (accepted.errors) throw new Error(`setup failed: ${JSON.stringify(accepted.errors)}`);
  })();
  return totpUserMade;
}

/** The region of a store (a new store is made in Leeds's region). */
async function regionOf(h: Helpers, storeId: string): Promise<string> {
  const [row]: { region_id: string }[] = await h.app.core.query('SELECT region_id FROM store WHERE id = $1', [storeId]);
  return row.region_id;
}

async function probeRole(h: Helpers, name: string): Promise<string> {
  const data = await h.setup(CHAIN_MANAGER, CREATE_ROLE, { input: { name, permissions: [{ action: 'read', subject: 'Store' }] } });
  return data.createRole.id;
}

/**
 * Passkeys (issue 13): a member of staff of their own per passkey invocation (the email is the invocation's actor),
 * with the demo password so the suite's sessions sign them in, and a software authenticator each. Made once, on first use.
 */
const passkeyUsers = new Map<string, Promise<SoftwareAuthenticator>>();
function passkeyUser(h: Helpers, email: string): Promise<SoftwareAuthenticator> {
  let made = passkeyUsers.get(email);
  if (!made) {
    made = (async () => {
      const data = await h.setup<{ createUser: { invitation: { token: string } } }>(CHAIN_MANAGER, CREATE_USER, {
        input: { name: 'Coverage passkey staff', email, profession: 'RECEPTIONIST', kind: 'STAFF' },
      });
      const accepted = await h.app.request('mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token } }', { t: data.createUser.invitation.token, p: PASSWORD });
      if (accepted.errors) throw new Error(`passkey user: ${JSON.stringify(accepted.errors)}`);
      return new SoftwareAuthenticator(h.app.config.webauthn.origin);
    })();
    passkeyUsers.set(email, made);
  }
  return made;
}
const PASSKEY_ACTORS = {
  begin: 'coverage.passkey.begin@clearview.example',
  finish: 'coverage.passkey.finish@clearview.example',
  remove: 'coverage.passkey.remove@clearview.example',
  signIn: 'coverage.passkey.signin@clearview.example',
  reauthenticate: 'coverage.passkey.reauth@clearview.example',
};
const BEGIN_PASSKEY_REGISTRATION = 'mutation { beginPasskeyRegistration { challenge optionsJSON } }';
const FINISH_PASSKEY_REGISTRATION = 'mutation($c: String!, $r: String!, $n: String!) { finishPasskeyRegistration(challenge: $c, response: $r, name: $n) { id } }';
const BEGIN_PASSKEY_SIGN_IN = 'mutation($e: String) { beginPasskeySignIn(email: $e) { challenge optionsJSON } }';
type PasskeyOptionsData = { challenge: string; optionsJSON: string };

/** Registers a passkey for `email` (signed in by the suite's sessions); returns its id and the authenticator. */
async function withPasskey(h: Helpers, email: string): Promise<{ id: string; authenticator: SoftwareAuthenticator }> {
  const authenticator = await passkeyUser(h, email);
  const begun = (await h.setup<{ beginPasskeyRegistration: PasskeyOptionsData }>(email, BEGIN_PASSKEY_REGISTRATION, {})).beginPasskeyRegistration;
  const response = JSON.stringify(authenticator.register(begun.optionsJSON));
  const finished = await h.setup<{ finishPasskeyRegistration: { id: string } }>(email, FINISH_PASSKEY_REGISTRATION, { c: begun.challenge, r: response, n: 'Coverage key' });
  return { id: finished.finishPasskeyRegistration.id, authenticator };
}

/** A passkey sign-in challenge answered by `email`'s authenticator. */
async function passkeyAssertion(h: Helpers, email: string): Promise<{ c: string; r: string }> {
  const { authenticator } = await withPasskey(h, email);
  const begun = await h.app.request<{ beginPasskeySignIn: PasskeyOptionsData }>(BEGIN_PASSKEY_SIGN_IN, { e: email });
  if (!begun.data) throw new Error(`beginPasskeySignIn: ${JSON.stringify(begun.errors)}`);
  const { challenge, optionsJSON } = begun.data.beginPasskeySignIn;
  return { c: challenge, r: JSON.stringify(authenticator.authenticate(optionsJSON)) };
}

/** One successful invocation of every Mutation field of the schema. */
const INVOCATIONS: Record<string, Invocation> = {
  login: {
    actor: null,
    document: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    variables: () => ({ email: SIGNS_IN, password: PASSWORD }),
    changes: [],
  },
  logout: { actor: SIGNS_OUT, document: 'mutation { logout }', variables: () => ({}), changes: [] },

  createCustomer: {
    actor: STORE_MANAGER,
    document: 'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
    variables: ({ ids }) => ({ input: { firstName: 'Grace', lastName: 'Hopper', dateOfBirth: '1976-12-09', email: 'grace.h@example.com', phone: '0113 496 0101', homeStoreId: ids.leeds } }),
    changes: ['customer'],
  },
  updateCustomer: {
    actor: STORE_MANAGER,
    document: 'mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }',
    variables: ({ ids }) => ({ id: ids.leedsCustomers[0], input: { phone: '07700 900456', city: 'Leeds' } }),
    changes: ['customer'],
  },
  recordConsentChange: {
    actor: ASSISTANT,
    document: 'mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { id } }',
    variables: ({ ids }) => ({ input: { customerId: ids.leedsCustomers[1], channel: ids.channel, granted: false, source: 'IN_STORE', wordingVersion: '2024-01' } }),
    changes: ['consent', 'consent_event'],
  },
  issueUnsubscribeLink: {
    actor: ASSISTANT,
    document: 'mutation($c: ID!, $ch: ConsentChannel!) { issueUnsubscribeLink(customerId: $c, channel: $ch) { url } }',
    variables: ({ ids }) => ({ c: ids.leedsCustomers[1], ch: 'EMAIL' }),
    changes: [],
  },
  recordTermsAcceptance: {
    actor: RECEPTION,
    document: 'mutation($c: ID!) { recordTermsAcceptance(customerId: $c, document: PRIVACY_NOTICE, version: "2026-01") { id } }',
    variables: ({ ids }) => ({ c: ids.leedsCustomers[7] }),
    changes: ['terms_acceptance'],
  },
  // the chain's consent settings: no personal data
  setConsentChannels: {
    actor: CHAIN_MANAGER,
    document: 'mutation($e: [ConsentChannel!]!) { setConsentChannels(enabled: $e) { channel } }',
    variables: () => ({ e: ['SMS', 'EMAIL', 'MAIL'] }),
    changes: [],
  },
  publishConsentWording: {
    actor: CHAIN_MANAGER,
    document: 'mutation($input: PublishConsentWordingInput!) { publishConsentWording(input: $input) { id } }',
    variables: () => ({ input: { channel: 'EMAIL', version: 'coverage-1', text: 'Yes, email me offers. I can unsubscribe at any time.' } }),
    changes: [],
  },
  restrictProcessing: {
    actor: STORE_MANAGER,
    document: 'mutation($c: ID!) { restrictProcessing(customerId: $c, reason: "Accuracy contested") { restricted } }',
    variables: ({ ids }) => ({ c: ids.leedsCustomers[7] }),
    changes: ['processing_restriction', 'processing_restriction_event'],
  },
  liftRestriction: {
    actor: STORE_MANAGER,
    document: 'mutation($c: ID!) { liftRestriction(customerId: $c, reason: "Checked") { restricted } }',
    variables: async (h) => {
      await h.setup(STORE_MANAGER, 'mutation($c: ID!) { restrictProcessing(customerId: $c, reason: "To be lifted") { restricted } }', { c: h.ids.leedsCustomers[2] });
      return { c: h.ids.leedsCustomers[2] };
    },
    changes: ['processing_restriction', 'processing_restriction_event'],
  },
  recordMarketingObjection: {
    actor: ASSISTANT,
    document: 'mutation($c: ID!) { recordMarketingObjection(customerId: $c, source: IN_STORE) { objected } }',
    variables: ({ ids }) => ({ c: ids.leedsCustomers[3] }),
    changes: ['marketing_objection'],
  },
  // Issue 12: a customer without clinical records, erased on an ERASURE request (the register's row inserted as the owner).
  eraseCustomer: {
    actor: DPO,
    document: 'mutation($c: ID!, $r: ID!) { eraseCustomer(customerId: $c, dataRequestId: $r) { outcome } }',
    variables: async (h) => {
      const data = await h.setup<{ createCustomer: { id: string } }>(STORE_MANAGER, 'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
        { input: { firstName: 'Erin', lastName: 'Erasure', dateOfBirth: '1981-02-03', email: 'erin.erasure@example.com', phone: '0113 496 0202', homeStoreId: h.ids.leeds } });
      const c = data.createCustomer.id;
      const [{ id: r }] = (await h.app.ownerCore.query(
        `INSERT INTO data_request (chain_id, customer_id, store_id, type, channel, received_at, due_at, created_by_id)
         SELECT c.chain_id, c.id, c.home_store_id, 'ERASURE', 'EMAIL', now(), now() + interval '1 month', u.id FROM customer c, staff_user u
          WHERE c.id = $1 AND u.email = $2 RETURNING id::text AS id`, [c, DPO])) as { id: string }[];
      return { c, r };
    },
    changes: ['customer'],
  },
  bookAppointment: {
    actor: RECEPTION,
    document: 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
    variables: ({ ids }) => {
      const startsAt = new Date(Date.now() + 3 * day);
      startsAt.setUTCHours(6, 30, 0, 0); // before the seeded appointments' hours: the practitioner is free
      return { input: { customerId: ids.leedsCustomers[2], storeId: ids.leeds, type: 'SIGHT_TEST', practitionerId: ids.optometrist, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString() } };
    },
    changes: ['appointment'],
  },
  cancelAppointment: {
    actor: RECEPTION,
    document: 'mutation($id: ID!, $reason: String) { cancelAppointment(id: $id, reason: $reason) { id } }',
    variables: ({ ids }) => ({ id: ids.bookedAppointment, reason: 'Customer phoned to cancel' }),
    changes: ['appointment'],
  },

  createExamination: {
    actor: OPTOMETRIST,
    document: DRAFT_EXAM,
    variables: ({ ids }) => ({
      input: { customerId: ids.leedsCustomers[3], storeId: ids.leeds, reasonForVisit: 'Blurred distance vision', history: 'No relevant history.', refractions: REFRACTIONS, visualAcuities: ACUITIES, intraocularPressures: PRESSURES },
    }),
    changes: ['examination', 'refraction', 'visual_acuity', 'intraocular_pressure'],
  },
  updateExamination: {
    actor: OPTOMETRIST,
    document: 'mutation($id: ID!, $input: UpdateExaminationInput!) { updateExamination(id: $id, input: $input) { id } }',
    variables: async (h) => ({
      id: await draftExam(h, h.ids.leedsCustomers[4]),
      input: {
        history: 'Diabetic since 2019.',
        refractions: [{ eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.5, cylinder: -0.5, axis: 85 }],
        visualAcuities: [{ eye: 'LEFT', distance: 'DISTANCE', aid: 'UNAIDED', unit: 'SNELLEN_METRE', value: '6/12' }],
        intraocularPressures: [{ eye: 'LEFT', mmHg: 18, instrument: 'GOLDMANN' }],
      },
    }),
    changes: ['examination', 'refraction', 'visual_acuity', 'intraocular_pressure'],
  },
  signExamination: {
    actor: OPTOMETRIST,
    document: 'mutation($id: ID!) { signExamination(id: $id) { id } }',
    variables: async (h) => ({ id: await draftExam(h, h.ids.leedsCustomers[5]) }),
    changes: ['examination'],
  },
  issueSpectaclePrescription: {
    actor: OPTOMETRIST,
    document: 'mutation($input: IssueSpectaclePrescriptionInput!) { issueSpectaclePrescription(input: $input) { id } }',
    variables: ({ ids }) => ({ input: { customerId: ids.leedsCustomers[6], storeId: ids.leeds, outcome: 'NEW_RX', rightSphere: -2, rightCylinder: -0.75, rightAxis: 180, leftSphere: -1.75 } }),
    changes: ['spectacle_prescription'],
  },
  issueContactLensSpecification: {
    actor: OPTOMETRIST,
    document: 'mutation($input: IssueContactLensSpecificationInput!) { issueContactLensSpecification(input: $input) { id } }',
    variables: ({ ids }) => ({ input: { customerId: ids.leedsCustomers[6], storeId: ids.leeds, expiresOn: isoDay(365), replacement: 'DAILY', rightBrand: 'Acme Daily', rightPower: -2.25, rightBaseCurve: 8.6, rightDiameter: 14.2 } }),
    changes: ['contact_lens_specification'],
  },
  addClinicalNote: {
    actor: OPTOMETRIST,
    document: 'mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }',
    variables: ({ ids }) => ({ input: { customerId: ids.leedsCustomers[6], storeId: ids.leeds, subjective: 'Headaches when reading', plan: 'Review in 3 months' } }),
    changes: ['clinical_note'],
  },

  createRole: {
    actor: CHAIN_MANAGER,
    document: CREATE_ROLE,
    variables: () => ({ input: { name: 'Coverage: created', description: 'Store list only', permissions: [{ action: 'read', subject: 'Store' }] } }),
    changes: [],
  },
  updateRole: {
    actor: CHAIN_MANAGER,
    document: 'mutation($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { id } }',
    variables: async (h) => ({ id: await probeRole(h, 'Coverage: updated'), input: { description: 'Renamed for the walk', permissions: [{ action: 'read', subject: 'Store' }, { action: 'read', subject: 'User' }] } }),
    changes: [],
  },
  deleteRole: {
    actor: CHAIN_MANAGER,
    document: 'mutation($id: ID!) { deleteRole(id: $id) }',
    variables: async (h) => ({ id: await probeRole(h, 'Coverage: deleted') }),
    changes: [],
  },
  assignRole: {
    actor: CHAIN_MANAGER,
    document: ASSIGN_ROLE,
    variables: async (h) => ({ input: { userId: h.ids.locum, roleId: await probeRole(h, 'Coverage: assigned'), scopeType: 'STORE', storeId: h.ids.leeds } }),
    changes: [],
  },
  revokeAssignment: {
    actor: CHAIN_MANAGER,
    document: 'mutation($id: ID!) { revokeAssignment(id: $id) }',
    variables: async (h) => {
      const roleId = await probeRole(h, 'Coverage: revoked');
      const data = await h.setup(CHAIN_MANAGER, ASSIGN_ROLE, { input: { userId: h.ids.locum, roleId, scopeType: 'STORE', storeId: h.ids.leeds } });
      return { id: data.assignRole.id };
    },
    changes: [],
  },

  requestEmergencyAccess: {
    actor: OPTOMETRIST,
    document: REQUEST_EMERGENCY,
    variables: ({ ids }) => ({ input: { customerId: ids.yorkCustomers[0], reason: 'York patient presents in Leeds with sudden vision loss; need previous refraction.' } }),
    changes: [],
  },
  acknowledgeEmergencyAccess: {
    actor: DPO,
    document: 'mutation($id: ID!, $note: String!) { acknowledgeEmergencyAccess(id: $id, note: $note) { id } }',
    variables: async (h) => {
      const data = await h.setup(OPTOMETRIST, REQUEST_EMERGENCY, { input: { customerId: h.ids.yorkCustomers[1], reason: 'Second York patient seen in Leeds as an emergency today.' } });
      const id = data.requestEmergencyAccess.id;
      // Only an ended grant can be acknowledged: end it now (as the owner: the table is append-only),
      // and make the API rebuild abilities.
      const q = h.app.ownerCore.createQueryRunner();
      await q.connect();
      try {
        await q.startTransaction();
        await q.query('ALTER TABLE emergency_access DISABLE TRIGGER USER');
        await q.query("UPDATE emergency_access SET expires_at = now() - interval '1 minute' WHERE id = $1", [id]);
        await q.query('ALTER TABLE emergency_access ENABLE TRIGGER USER');
        await q.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = $1', [h.ids.chainId]);
        await q.commitTransaction();
      } finally {
        await q.release();
      }
      return { id, note: 'Confirmed with the Leeds store: patient seen as an emergency.' };
    },
    changes: [],
  },
  acknowledgeSecurityEvent: {
    actor: DPO,
    document: 'mutation($id: ID!, $note: String!) { acknowledgeSecurityEvent(id: $id, note: $note) { id } }',
    variables: async (h) => {
      // an event about the optometrist's reads, as the anomaly check raises it (DPO reviews: not its subject)
      const [{ id }]: { id: string }[] = await h.app.ownerCore.query(
        `INSERT INTO security_event (chain_id, kind, user_id, window_start, window_end, observed_count, threshold)
         VALUES ($1, 'BULK_CLINICAL_READS', $2, now() - interval '1 hour', now(), 60, 50) RETURNING id::text AS id`,
        [h.ids.chainId, h.ids.optometrist],
      );
      return { id, note: 'Checked with the store: recall letters for the week.' };
    },
    changes: [],
  },
  updateAuditSettings: {
    actor: CHAIN_MANAGER,
    document: 'mutation($input: UpdateAuditSettingsInput!) { updateAuditSettings(input: $input) { anomalyDistinctCustomers } }',
    variables: () => ({ input: { anomalyDistinctCustomers: 75 } }),
    changes: [],
  },
  // Data quality: confirming a customer's details changes the customer (when and who), logged as a Customer change.
  confirmCustomerDetails: {
    actor: STORE_MANAGER,
    document: 'mutation($c: ID!) { confirmCustomerDetails(customerId: $c) { id } }',
    variables: ({ ids }) => ({ c: ids.leedsCustomers[0] }),
    changes: ['customer'],
  },
  // The DPO's registers: records about the chain's processing, no customer's data (no customer id).
  recordBreach: {
    actor: DPO,
    document: 'mutation($input: RecordBreachInput!) { recordBreach(input: $input) { id } }',
    variables: () => ({ input: { discoveredAt: new Date(Date.now() - 3600_000).toISOString(), description: 'Coverage: a lost letter.', dataCategories: ['Contact details'], affectedCustomers: 1, risk: 'UNLIKELY', riskAssessment: 'Returned unopened.' } }),
    changes: [],
  },
  updateBreach: {
    actor: DPO,
    document: 'mutation($id: ID!, $input: UpdateBreachInput!) { updateBreach(id: $id, input: $input) { id } }',
    variables: async (h) => {
      const data = await h.setup(DPO, 'mutation($input: RecordBreachInput!) { recordBreach(input: $input) { id } }', {
        input: { discoveredAt: new Date(Date.now() - 3600_000).toISOString(), description: 'Coverage: to be updated.', dataCategories: ['Contact details'], risk: 'RISK', riskAssessment: 'Being assessed.' },
      });
      return { id: data.recordBreach.id, input: { notifiedAuthorityAt: new Date().toISOString(), authorityReference: 'COVERAGE-1' } };
    },
    changes: [],
  },
  upsertProcessingActivity: {
    actor: DPO,
    document: 'mutation($input: UpsertProcessingActivityInput!) { upsertProcessingActivity(input: $input) { id } }',
    variables: () => ({ input: { name: 'Coverage: loyalty card', purpose: 'Points.', lawfulBases: ['CONTRACT'], dataCategories: ['Identity'], dataSubjects: ['Customers'], recipients: [], retention: '2 years.', securityMeasures: 'As the platform.', controllerContact: 'Clearview', dpoContact: 'dpo@clearview.example' } }),
    changes: [],
  },
  createApiToken: {
    actor: CHAIN_MANAGER,
    document: CREATE_API_TOKEN,
    variables: async (h) => ({ input: { userId: await serviceAccount(h), name: 'Coverage: created', expiresAt: new Date(Date.now() + 30 * day).toISOString() } }),
    changes: [],
  },
  // The request register: records about requests, each step an event of their own history (no personal data changes).
  createDataRequest: {
    actor: DPO,
    document: CREATE_DATA_REQUEST,
    variables: ({ ids }) => ({ input: { customerId: ids.yorkCustomers[1], type: 'ACCESS', receivedAt: new Date().toISOString(), channel: 'IN_STORE' } }),
    changes: [],
  },
  verifyDataRequestIdentity: {
    actor: DPO,
    document: 'mutation($id: ID!) { verifyDataRequestIdentity(id: $id, method: "Passport seen") { id } }',
    variables: async (h) => ({ id: await dataRequest(h) }),
    changes: [],
  },
  assignDataRequest: {
    actor: DPO,
    document: 'mutation($id: ID!, $h: ID!) { assignDataRequest(id: $id, handlerId: $h) { id } }',
    variables: async (h) => ({ id: await dataRequest(h), h: h.ids.optometrist }),
    changes: [],
  },
  extendDataRequest: {
    actor: DPO,
    document: 'mutation($id: ID!) { extendDataRequest(id: $id, months: 2, reason: "Complex request") { id } }',
    variables: async (h) => ({ id: await dataRequest(h) }),
    changes: [],
  },
  pauseDataRequest: {
    actor: DPO,
    document: 'mutation($id: ID!) { pauseDataRequest(id: $id, reason: CLARIFICATION) { id } }',
    variables: async (h) => ({ id: await dataRequest(h) }),
    changes: [],
  },
  resumeDataRequest: {
    actor: DPO,
    document: 'mutation($id: ID!) { resumeDataRequest(id: $id) { id } }',
    variables: async (h) => {
      const id = await dataRequest(h);
      await h.setup(DPO, 'mutation($id: ID!) { pauseDataRequest(id: $id, reason: IDENTITY) { id } }', { id });
      return { id };
    },
    changes: [],
  },
  completeDataRequest: {
    actor: DPO,
    document: 'mutation($id: ID!) { completeDataRequest(id: $id, outcome: "Copy sent") { id } }',
    variables: async (h) => ({ id: await dataRequest(h, true) }),
    changes: [],
  },
  refuseDataRequest: {
    actor: DPO,
    document: 'mutation($id: ID!) { refuseDataRequest(id: $id, reason: "Manifestly unfounded") { id } }',
    variables: async (h) => ({ id: await dataRequest(h) }),
    changes: [],
  },
  withdrawDataRequest: {
    actor: DPO,
    document: 'mutation($id: ID!) { withdrawDataRequest(id: $id, reason: "Withdrawn by phone") { id } }',
    variables: async (h) => ({ id: await dataRequest(h) }),
    changes: [],
  },
  revokeApiToken: {
    actor: CHAIN_MANAGER,
    document: 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }',
    variables: async (h) => {
      const data = await h.setup<{ createApiToken: { apiToken: { id: string } } }>(CHAIN_MANAGER, CREATE_API_TOKEN, {
        input: { userId: await serviceAccount(h), name: 'Coverage: revoked', expiresAt: new Date(Date.now() + 30 * day).toISOString() },
      });
      return { id: data.createApiToken.apiToken.id };
    },
    changes: [],
  },
  // The staff lifecycle: users and invitations are no customer's personal data (their changes are in the security settings history).
  createUser: {
    actor: CHAIN_MANAGER,
    document: CREATE_USER,
    variables: () => ({ input: { name: 'Coverage: created user', email: 'coverage.created@clearview.example', profession: 'OPTICAL_ASSISTANT', kind: 'STAFF' } }),
    changes: [],
  },
  updateUser: {
    actor: CHAIN_MANAGER,
    document: 'mutation($id: ID!) { updateUser(id: $id, input: { name: "Coverage: renamed" }) { id } }',
    variables: async (h) => ({ id: (await newStaff(h)).id }),
    changes: [],
  },
  deactivateUser: {
    actor: CHAIN_MANAGER,
    document: 'mutation($id: ID!) { deactivateUser(id: $id) { id } }',
    variables: async (h) => ({ id: (await newStaff(h)).id }),
    changes: [],
  },
  reactivateUser: {
    actor: CHAIN_MANAGER,
    document: 'mutation($id: ID!) { reactivateUser(id: $id) { id } }',
    variables: async (h) => {
      const { id } = await newStaff(h);
      await h.setup(CHAIN_MANAGER, 'mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id });
      return { id };
    },
    changes: [],
  },
  resetUserPassword: {
    actor: CHAIN_MANAGER,
    document: 'mutation($id: ID!) { resetUserPassword(userId: $id) { expiresAt } }',
    variables: async (h) => ({ id: (await newStaff(h)).id }),
    changes: [],
  },
  // Second factors: the caller's own authenticator and the sign-in it completes; no customer's personal data (TOTP
  // changes are in the security settings history, setting SecondFactor).
  beginTotpEnrollment: {
    actor: TOTP_USER,
    document: 'mutation { beginTotpEnrollment { secret } }',
    variables: async (h) => {
      await totpUser(h);
      return {};
    },
    changes: [],
  },
  confirmTotpEnrollment: {
    actor: TOTP_USER,
    document: 'mutation($code: String!) { confirmTotpEnrollment(code: $code) { codes } }',
    variables: async (h) => {
      await totpUser(h);
      const data = await h.setup<{ beginTotpEnrollment: { secret: string } }>(TOTP_USER, 'mutation { beginTotpEnrollment { secret } }', {});
      return { code: totpNow(data.beginTotpEnrollment.secret) };
    },
    changes: [],
  },
  verifyMfa: {
    actor: null,
    document: 'mutation($c: String!, $code: String!) { verifyMfa(challenge: $c, code: $code) { token } }',
    variables: async (h) => {
      const login = await h.app.request<{ login: { challenge: string } }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { challenge } }', { e: MFA_DEMO_USER.email, p: DEMO_PASSWORD });
      return { c: login.data!.login.challenge, code: totpNow(MFA_DEMO_USER.totpSecret) };
    },
    changes: [],
  },
  acceptInvitation: {
    actor: null,
    document: 'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token } }',
    variables: async (h) => ({ t: (await newStaff(h)).token, p: 'Accepted-harbour-lamp-77' }), // (no context word: not "coverage" nor "staff", the user's name)
    changes: [],
  },
  // One's own password (its change is in the security settings history, setting Password): a member of staff of its
  // own, who sets the demo password by invitation, so the walk's sign-in (with the demo password) works for them.
  changePassword: {
    actor: 'coverage.password@clearview.example',
    document: 'mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }',
    variables: async (h) => {
      const made = await h.setup<{ createUser: { invitation: { token: string } } }>(CHAIN_MANAGER, CREATE_USER, {
        input: { name: 'Pat Quinlan', email: 'coverage.password@clearview.example', profession: 'RECEPTIONIST', kind: 'STAFF' },
      });
      const accepted = await h.app.request('mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token } }', { t: made.createUser.invitation.token, p: PASSWORD });
      if (accepted.errors) throw new Error(`setup failed: ${JSON.stringify(accepted.errors)}`);
      return { c: PASSWORD, n: 'Changed-kestrel-moor-58' };
    },
    changes: [],
  },
  // The organisation (issue 13): regions and stores are no customer's personal data (their changes are in the security settings history).
  createRegion: {
    actor: CHAIN_MANAGER,
    document: 'mutation { createRegion(input: { name: "Coverage region" }) { id } }',
    variables: () => ({}),
    changes: [],
  },
  createStore: {
    actor: CHAIN_MANAGER,
    document: 'mutation($regionId: ID!) { createStore(input: { name: "Coverage store", address: "1 Coverage Row", regionId: $regionId }) { id } }',
    variables: async (h) => ({ regionId: await regionOf(h, h.ids.leeds) }),
    changes: [],
  },
  updateStore: {
    actor: CHAIN_MANAGER,
    document: 'mutation($id: ID!) { updateStore(id: $id, input: { name: "Coverage store renamed", open: false }) { id } }',
    variables: async (h) => {
      const data = await h.setup(CHAIN_MANAGER, 'mutation($regionId: ID!) { createStore(input: { name: "Coverage store to update", address: "2 Coverage Row", regionId: $regionId }) { id } }',
        { regionId: await regionOf(h, h.ids.leeds) });
      return { id: data.createStore.id };
    },
    changes: [],
  },
  // Issue 13: the sign-in rules (kept in the security settings history, setting AuthPolicy) and a fresh proof of
  // identity on the caller's own session: no personal or clinical data.
  updateAuthPolicy: {
    actor: CHAIN_MANAGER,
    document: 'mutation($input: UpdateAuthPolicyInput!) { updateAuthPolicy(input: $input) { idleTimeoutMinutes } }',
    variables: () => ({ input: { idleTimeoutMinutes: 20 } }),
    changes: [],
  },
  // Issue 15: the chain's clinical encryption policy (security settings history, setting ClinicalEncryptionPolicy): no
  // personal or clinical data. Only the key ids change, so the later notes of the walk are still written in plaintext.
  updateClinicalEncryptionPolicy: {
    actor: CHAIN_MANAGER,
    document: 'mutation($input: UpdateClinicalEncryptionPolicyInput!) { updateClinicalEncryptionPolicy(input: $input) { practiceKeyIds } }',
    variables: () => ({ input: { practiceKeyIds: ['coverage-key'] } }),
    changes: [],
  },
  reauthenticate: {
    actor: ASSISTANT,
    document: 'mutation($p: String!) { reauthenticate(password: $p) { validUntil } }',
    variables: () => ({ p: PASSWORD }),
    changes: [],
  },
  updateRetentionPolicy: {
    actor: DPO,
    document: 'mutation($input: UpdateRetentionPolicyInput!) { updateRetentionPolicy(input: $input) { adultYears } }',
    variables: () => ({ input: { adultYears: 12 } }),
    changes: [],
  },
  placeLegalHold: {
    actor: DPO,
    document: 'mutation($c: ID!, $r: String!) { placeLegalHold(customerId: $c, reason: $r) { id } }',
    variables: ({ ids }) => ({ c: ids.yorkCustomers[0], r: 'Coverage: a pending claim.' }),
    changes: [],
  },
  releaseLegalHold: {
    actor: DPO,
    document: 'mutation($id: ID!) { releaseLegalHold(id: $id, reason: "Coverage: settled.") { id } }',
    variables: async (h) => {
      const data = await h.setup<{ placeLegalHold: { id: string } }>(DPO, 'mutation($c: ID!) { placeLegalHold(customerId: $c, reason: "Coverage: to release.") { id } }', { c: h.ids.yorkCustomers[1] });
      return { id: data.placeLegalHold.id };
    },
    changes: [],
  },
  // Passkeys (issue 13): the security settings history records them (setting Passkey); no customer data changes.
  beginPasskeyRegistration: {
    actor: PASSKEY_ACTORS.begin,
    document: BEGIN_PASSKEY_REGISTRATION,
    variables: async (h) => {
      await passkeyUser(h, PASSKEY_ACTORS.begin);
      return {};
    },
    changes: [],
  },
  finishPasskeyRegistration: {
    actor: PASSKEY_ACTORS.finish,
    document: FINISH_PASSKEY_REGISTRATION,
    variables: async (h) => {
      const authenticator = await passkeyUser(h, PASSKEY_ACTORS.finish);
      const begun = (await h.setup<{ beginPasskeyRegistration: PasskeyOptionsData }>(PASSKEY_ACTORS.finish, BEGIN_PASSKEY_REGISTRATION, {})).beginPasskeyRegistration;
      return { c: begun.challenge, r: JSON.stringify(authenticator.register(begun.optionsJSON)), n: 'Coverage key' };
    },
    changes: [],
  },
  removePasskey: {
    actor: PASSKEY_ACTORS.remove,
    document: 'mutation($id: ID!) { removePasskey(id: $id) }',
    variables: async (h) => ({ id: (await withPasskey(h, PASSKEY_ACTORS.remove)).id }),
    changes: [],
  },
  beginPasskeySignIn: {
    actor: null,
    document: BEGIN_PASSKEY_SIGN_IN,
    variables: () => ({ e: EMAIL.dpo }),
    changes: [],
  },
  finishPasskeySignIn: {
    actor: null,
    document: 'mutation($c: String!, $r: String!) { finishPasskeySignIn(challenge: $c, response: $r) { token } }',
    variables: (h) => passkeyAssertion(h, PASSKEY_ACTORS.signIn),
    changes: [],
  },
  reauthenticateWithPasskey: {
    actor: PASSKEY_ACTORS.reauthenticate,
    document: 'mutation($c: String!, $r: String!) { reauthenticateWithPasskey(challenge: $c, response: $r) { validUntil } }',
    variables: (h) => passkeyAssertion(h, PASSKEY_ACTORS.reauthenticate),
    changes: [],
  },
};

/** The single root field a document selects. */
function rootField(document: string): string {
  const [operation, ...more] = parse(document).definitions as OperationDefinitionNode[];
  expect(more).toEqual([]);
  expect(operation.operation).toBe('mutation');
  const [field, ...others] = operation.selectionSet.selections;
  expect(others).toEqual([]);
  if (field.kind !== Kind.FIELD) throw new Error('not a field');
  return field.name.value;
}

/** A row's fingerprint, and the record whose change-log entry covers it. */
interface RowState {
  hash: string;
  loggedAs: string | null;
}

type Snapshot = Map<string, Map<string, RowState>>;

interface Diff {
  table: DataTable;
  kind: 'added' | 'changed' | 'removed';
  id: string;
  loggedAs: string | null;
}

interface Entry {
  record_type: string;
  record_id: string;
}

describe('change-log coverage: every mutation that changes personal or clinical data logs each change', () => {
  let app: TestApp;
  let ids: Ids;
  let mutationFields: string[];
  const sessions = sessionsFor(() => app);
  const tokenOf = sessions.tokenOf;
  const walked = { mutations: 0, changingData: 0, rows: 0, entries: 0 };
  const tablesChanged = new Set<string>();

  const owner = (db: Db): DataSource => (db === 'core' ? app.ownerCore : app.ownerClinical);

  const helpers = (): Helpers => ({
    ids,
    app,
    async setup<T>(email: string, query: string, variables: Record<string, unknown>): Promise<T> {
      const result = await app.request<T>(query, variables, await tokenOf(email));
      if (result.errors) throw new Error(`setup failed: ${JSON.stringify(result.errors)}`);
      return result.data!;
    },
  });

  async function snapshot(): Promise<Snapshot> {
    const shot: Snapshot = new Map();
    const drop = BOOKKEEPING_COLUMNS.map((c) => ` - '${c}'`).join('');
    for (const table of DATA_TABLES) {
      const rows: { id: string; hash: string; logged_as: string | null }[] = await owner(table.db).query(
        `SELECT (${table.key ?? 't.id'})::text AS id, md5((to_jsonb(t)${drop})::text) AS hash, (${table.loggedAs ?? 't.id'})::text AS logged_as
           FROM ${table.table} t ${table.join ?? ''}`,
      );
      shot.set(table.table, new Map(rows.map((r) => [r.id, { hash: r.hash, loggedAs: r.logged_as }])));
    }
    return shot;
  }

  function diff(before: Snapshot, after: Snapshot): Diff[] {
    const out: Diff[] = [];
    for (const table of DATA_TABLES) {
      const was = before.get(table.table)!;
      const is = after.get(table.table)!;
      for (const [id, row] of is) {
        const old = was.get(id);
        if (!old) out.push({ table, kind: 'added', id, loggedAs: row.loggedAs });
        else if (old.hash !== row.hash) out.push({ table, kind: 'changed', id, loggedAs: row.loggedAs });
      }
      for (const [id, row] of was) if (!is.has(id)) out.push({ table, kind: 'removed', id, loggedAs: row.loggedAs });
    }
    return out;
  }

  async function maxEntryIds(): Promise<Record<Db, string>> {
    const max = async (db: Db): Promise<string> => ((await owner(db).query(`SELECT coalesce(max(id), 0)::text AS n FROM ${CHANGE_LOG[db]}`)) as { n: string }[])[0].n;
    return { core: await max('core'), clinical: await max('clinical') };
  }

  async function entriesSince(since: Record<Db, string>): Promise<Record<Db, Entry[]>> {
    const read = async (db: Db): Promise<Entry[]> =>
      owner(db).query(`SELECT record_type, record_id::text AS record_id FROM ${CHANGE_LOG[db]} WHERE id > $1 ORDER BY id`, [since[db]]);
    return { core: await read('core'), clinical: await read('clinical') };
  }

  beforeAll(async () => {
    app = await startTestApp();
    mutationFields = Object.keys((await buildDeclaredSchema()).getMutationType()!.getFields()).sort();
    const one = async <T>(db: DataSource, sql: string, params: unknown[] = []): Promise<T> => {
      const rows: T[] = await db.query(sql, params);
      expect(rows).toHaveLength(1);
      return rows[0];
    };
    const leeds = await one<{ id: string; chain_id: string }>(app.core, `SELECT id, chain_id FROM store WHERE name = 'Leeds'`);
    const york = await one<{ id: string }>(app.core, `SELECT id FROM store WHERE name = 'York'`);
    const user = async (email: string): Promise<string> => (await one<{ id: string }>(app.core, 'SELECT id FROM staff_user WHERE email = $1', [email])).id;
    const leedsCustomers: { id: string }[] = await app.core.query(
      `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' AND date_of_birth < current_date - interval '20 years' ORDER BY id LIMIT 8`, [leeds.id]);
    const yorkCustomers: { id: string }[] = await app.core.query(`SELECT id FROM customer WHERE home_store_id = $1 ORDER BY id LIMIT 2`, [york.id]);
    const booked: { id: string }[] = await app.core.query(
      `SELECT id FROM appointment WHERE store_id = $1 AND status = 'BOOKED' AND starts_at > now() ORDER BY id LIMIT 1`, [leeds.id]);
    const { channels } = await one<{ channels: string[] }>(app.core, 'SELECT enabled_consent_channels::text[] AS channels FROM chain WHERE id = $1', [leeds.chain_id]);
    expect(leedsCustomers).toHaveLength(8);
    expect(yorkCustomers).toHaveLength(2);
    expect(booked).toHaveLength(1);
    expect(channels.length).toBeGreaterThan(0);
    ids = {
      chainId: leeds.chain_id, leeds: leeds.id, optometrist: await user(OPTOMETRIST), locum: await user(SIGNS_OUT),
      leedsCustomers: leedsCustomers.map((c) => c.id), yorkCustomers: yorkCustomers.map((c) => c.id),
      bookedAppointment: booked[0].id, channel: channels[0],
    };
  });
  afterAll(() => app?.stop());

  it('has one invocation for every Mutation field of the schema, each selecting that field', () => {
    expect(mutationFields.length).toBeGreaterThan(0);
    // a new mutation must be added to INVOCATIONS; a removed one must leave it
    expect(Object.keys(INVOCATIONS).sort()).toEqual(mutationFields);
    for (const [name, invocation] of Object.entries(INVOCATIONS)) expect([name, rootField(invocation.document)]).toEqual([name, name]);
    // the oracle names only tables it declares
    const declared = new Set(DATA_TABLES.map((t) => t.table));
    for (const invocation of Object.values(INVOCATIONS)) for (const table of invocation.changes) expect(declared).toContain(table);
  });

  it('knows every table that holds a customer’s data: each is a data table here or an allow-listed log', async () => {
    for (const db of ['core', 'clinical'] as Db[]) {
      const rows: { table_name: string }[] = await owner(db).query(
        `SELECT DISTINCT t.table_name::text AS table_name
           FROM information_schema.tables t LEFT JOIN information_schema.columns c
             ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'customer_id'
          WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND (c.column_name IS NOT NULL OR t.table_name = 'customer')
          ORDER BY 1`,
      );
      const holding = rows.map((r) => r.table_name);
      const known = new Set([...DATA_TABLES.filter((t) => t.db === db).map((t) => t.table), ...LOG_TABLES[db]]);
      expect({ db, unknown: holding.filter((t) => !known.has(t)) }).toEqual({ db, unknown: [] });
      // and nothing declared here is stale: every declared table exists in its database and holds customer ids
      expect({ db, stale: [...known].filter((t) => !holding.includes(t)) }).toEqual({ db, stale: [] });
    }
  });

  describe.each(Object.keys(INVOCATIONS))('%s', (name) => {
    it('logs every data row it changes, and nothing else', async () => {
      const invocation = INVOCATIONS[name];
      const variables = await invocation.variables(helpers());
      const token = invocation.actor ? await tokenOf(invocation.actor) : null;

      const before = await snapshot();
      const since = await maxEntryIds();
      const result = await app.request<Record<string, unknown>>(invocation.document, variables, token);
      expect(result.errors).toBeUndefined();
      expect(result.data?.[name]).toBeTruthy();
      const changed = diff(before, await snapshot());
      const entries = await entriesSince(since);
      if (name === 'logout' && invocation.actor) sessions.forget(invocation.actor); // that session has ended

      // what it changed is what the domain says it changes
      expect([...new Set(changed.map((d) => d.table.table))].sort()).toEqual([...invocation.changes].sort());

      // every changed row is covered by a new entry in its database's log naming its record
      const key = (recordType: string, recordId: string | null): string => `${recordType}:${recordId}`;
      const expected: Record<Db, Set<string>> = { core: new Set(), clinical: new Set() };
      for (const d of changed) expected[d.table.db].add(key(d.table.recordType, d.loggedAs));
      const missing: string[] = [];
      const unexpected: string[] = [];
      for (const db of ['core', 'clinical'] as Db[]) {
        const logged = new Set(entries[db].map((e) => key(e.record_type, e.record_id)));
        for (const d of changed.filter((c) => c.table.db === db)) {
          if (!logged.has(key(d.table.recordType, d.loggedAs))) missing.push(`${d.table.table} ${d.kind} ${d.id} (no ${CHANGE_LOG[db]} entry for ${key(d.table.recordType, d.loggedAs)})`);
        }
        // ... and the log names no record the mutation did not change (none at all when it changed no data)
        for (const e of entries[db]) if (!expected[db].has(key(e.record_type, e.record_id))) unexpected.push(`${CHANGE_LOG[db]}: ${key(e.record_type, e.record_id)}`);
      }
      expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });

      walked.mutations += 1;
      if (changed.length) walked.changingData += 1;
      walked.rows += changed.length;
      walked.entries += entries.core.length + entries.clinical.length;
      for (const d of changed) tablesChanged.add(d.table.table);
    });
  });

  it('walked every mutation and saw every data table change', () => {
    // the walk is not vacuous: the snapshots saw each data table change under some mutation
    expect(walked.mutations).toBe(mutationFields.length);
    expect([...tablesChanged].sort()).toEqual(DATA_TABLES.map((t) => t.table).sort());
    console.log(`change-log coverage: ${walked.mutations} mutations walked (${walked.changingData} changed personal or clinical data), ` +
      `${walked.rows} data rows changed, ${walked.entries} new change-log entries, each matched to a changed row; no changed row without one`);
  });
});
