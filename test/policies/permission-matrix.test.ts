/**
 * The permission matrix: for every demo user (and for probe users holding one subject or one governing
 * field each, see PROBES), one request asks for every field of every type reachable from a customer in
 * each store they cover (plus `stores` and `me`), and each field requested must come back resolved
 * exactly when an independent oracle of the role matrix (the seed's role data, src/seed/demo-roles.ts,
 * and the probes' entries, read here without CASL) permits it, and null with a FORBIDDEN error at its
 * path when not; every list of a customer's rows (and of an examination's findings, a consent's history)
 * holds exactly the stored rows the oracle lets the caller read.
 *
 * Independent of src/policies: which catalog subject governs each GraphQL object type, which parent
 * field governs a child type (an examination's refractions are readable with `Examination.refractions`),
 * which fields lead to another subject's rows (a customer's examinations), and which few types are
 * structural (connection plumbing: no data of their own) are written out below as a literal table, from
 * the domain (DESIGN.md, README "How permissions work"). The suite fails when the schema has an object
 * type the table lacks (or the table one the schema lacks), when a requested field is missing from the
 * response, and when the number of (user, field) checks differs from the exact count the deterministic
 * demo seed yields: a policy that turns a type structural, or maps it to the wrong subject, is caught.
 */
import { GraphQLObjectType, GraphQLSchema, getNamedType, isNonNullType, isObjectType } from 'graphql';
import { buildDeclaredSchema } from '../../src/server/build-schema';
import { ScopeType } from '../../src/schema/enums';
import { RoleDefinition, RoleEntry } from '../../src/seed/demo-roles';
import { ChainPlan, DEMO_CHAINS, DemoUser } from '../../src/seed/demo-seed';
import { Profession } from '../../src/schema/enums';
import { GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

// ---------------------------------------------------------------------------------------------
// The domain's map of the schema: every object type → the catalog subject whose `read` rules govern
// its fields; child types (rows that only exist inside a parent row) → the parent subject and the
// parent field whose permission admits them; relation fields → the subject of the rows they lead to.

type Governed = {
  subject: string;
  /** A child type: readable exactly when this field of `subject` is, for the same row scope. */
  via?: string;
  /** Fields leading to rows of another subject: allowed when that subject may be read at the parent's store. */
  relations?: Record<string, string>;
};

const GOVERNED: Record<string, Governed> = {
  Customer: {
    subject: 'Customer',
    relations: {
      consents: 'Consent',
      consentsAsOf: 'Consent',
      termsAcceptances: 'TermsAcceptance',
      processingRestriction: 'Consent',
      marketingObjection: 'Consent',
      appointments: 'Appointment',
      examinations: 'Examination',
      spectaclePrescriptions: 'SpectaclePrescription',
      contactLensSpecifications: 'ContactLensSpecification',
      clinicalNotes: 'ClinicalNote',
    },
  },
  Consent: { subject: 'Consent' },
  ConsentEvent: { subject: 'Consent', via: 'history' },
  ConsentProof: { subject: 'Consent', via: 'proof' },
  ConsentState: { subject: 'Consent', via: 'consentsAsOf' },
  TermsAcceptance: { subject: 'TermsAcceptance' },
  // the chain's consent settings (not reachable from a customer; their queries are tested in test/consent-proof/)
  ConsentChannelSetting: { subject: 'ConsentSettings', via: 'channels' },
  ConsentWording: { subject: 'ConsentSettings', via: 'wordings' },
  Appointment: { subject: 'Appointment' },
  Examination: { subject: 'Examination' },
  Refraction: { subject: 'Examination', via: 'refractions' },
  VisualAcuity: { subject: 'Examination', via: 'visualAcuities' },
  IntraocularPressure: { subject: 'Examination', via: 'intraocularPressures' },
  SpectaclePrescription: { subject: 'SpectaclePrescription' },
  ContactLensSpecification: { subject: 'ContactLensSpecification' },
  ClinicalNote: { subject: 'ClinicalNote' },
  // a note's client-side-encrypted SOAP parts (issue 15): readable exactly where ClinicalNote.encryptedSoapNote is
  EncryptedSoapNote: { subject: 'ClinicalNote', via: 'encryptedSoapNote' },
  Store: { subject: 'Store' },
  Region: { subject: 'Region' },
  User: { subject: 'User', relations: { roleAssignments: 'RoleAssignment' } },
  Role: { subject: 'Role', relations: { assignments: 'RoleAssignment' } },
  PermissionEntry: { subject: 'Role', via: 'permissions' },
  RoleAssignment: { subject: 'RoleAssignment' },
  RoleChange: { subject: 'RoleChange' },
  AccessLogEntry: { subject: 'AccessLogEntry' },
  EmergencyAccess: { subject: 'EmergencyAccess' },
  EmergencyAccessAcknowledgement: { subject: 'EmergencyAccess', via: 'acknowledgement' },
  DataChangeEntry: { subject: 'DataChangeEntry' },
  FieldChange: { subject: 'DataChangeEntry', via: 'changes' },
  AuditSettings: { subject: 'AuditSettings' },
  SecurityEvent: { subject: 'SecurityEvent' },
  UnsubscribeLink: { subject: 'Consent', via: 'unsubscribeLink' },
  ProcessingRestriction: { subject: 'Consent', via: 'restriction' },
  ProcessingRestrictionEvent: { subject: 'Consent', via: 'restriction' },
  MarketingObjection: { subject: 'Consent', via: 'objection' },
  MarketingObjectionEvent: { subject: 'Consent', via: 'objection' },
  SecurityEventAcknowledgement: { subject: 'SecurityEvent', via: 'acknowledgement' },
  ApiToken: { subject: 'ApiToken' },
  // The request register (issue 12): a request is its customer's home store's at receipt; its history is read with DataRequest.events.
  DataRequest: { subject: 'DataRequest', relations: { customer: 'Customer' } },
  DataRequestEvent: { subject: 'DataRequest', via: 'events' },
  // the DPO's registers (issue 12; not reachable from a customer: tested in test/registers/)
  Breach: { subject: 'Breach' },
  BreachEvent: { subject: 'Breach', via: 'history' },
  ProcessingActivity: { subject: 'ProcessingActivity' },
  ProcessingActivityChange: { subject: 'ProcessingActivity', via: 'history' },
  // retention (not reachable from a customer; their queries are tested in test/retention/)
  RetentionPolicy: { subject: 'RetentionPolicy' },
  LegalHold: { subject: 'LegalHold' },
  // the chain's sign-in rules (issue 13; not reachable from a customer: tested in test/auth-policy/)
  AuthPolicy: { subject: 'AuthPolicy' },
  // client-side-encrypted SOAP notes, the chain's choice (issue 15; not reachable from a customer: tested in test/encryption/)
  ClinicalEncryptionPolicy: { subject: 'ClinicalEncryptionPolicy' },
};

/**
 * The only types without a subject: pages and edges (their rows are checked as rows), the permission
 * catalog and matrix answers (their root fields need `read Role`; users and stores inside are checked
 * as User and Store rows), the caller's own session, and a new API token's text shown once to its creator (its record
 * is an ApiToken row). Nothing clinical or personal may ever be here.
 */
const STRUCTURAL = new Set([
  'CustomerConnection', 'CustomerEdge', 'PageInfo',
  'AccessLogConnection', 'AccessLogEdge', 'EmergencyAccessConnection', 'EmergencyAccessEdge',
  'DataChangeConnection', 'DataChangeEdge', 'SecurityEventConnection', 'SecurityEventEdge',
  'CatalogSubject', 'CatalogFieldGroup', 'CatalogField', 'EffectivePermission', 'Explanation', 'PermissionChange',
  'RoleChangeSubjectSummary',
  'Session', 'CreatedApiToken', 'CreatedUser', 'Invitation', 'LoginResult', 'TotpEnrollment', 'RecoveryCodes',
  // The marketing list: its nodes are Customer rows; the manifest is counts and a hash, no personal data.
  'MarketingListConnection', 'MarketingListEdge', 'MarketingListManifest', 'MarketingListExclusion',
  // The request register's pages: their nodes are DataRequest rows.
  'DataRequestConnection', 'DataRequestEdge',
  // eraseCustomer's receipt (issue 12): the outcome and the categories kept with their reasons, no customer data.
  'ErasureResult', 'RetainedData',
  // Passkeys (issue 13): the caller's own passkeys (names and dates, never a key), a ceremony's options, and a
  // fresh proof of identity on the caller's own session.
  'Passkey', 'PasskeyOptions', 'Reauthentication',
]);

/** What everyone reads of their own staff record (`me`), whatever their roles. */
const OWN_STAFF_RECORD_FIELDS = ['id', 'name', 'email', 'profession', 'registrationNumber', 'status', 'kind'];

/**
 * The exact number of (user, field) checks the deterministic demo seed yields: fields requested and
 * present in the response, resolved or denied, per user. A change of the demo seed or of the schema
 * changes them (update them knowingly); a policy that hides or reveals a relation's rows changes them too.
 * E.g. the first-name-only probe: 28 Customer fields, 5 of its one store (Leeds), 8 of its own staff record.
 * (Issue 11 added Customer.consentsAsOf and termsAcceptances, Consent's basis fields and ConsentEvent.proof, one terms
 * acceptance per customer, and probes for TermsAcceptance and Consent.consentsAsOf; +11 per store for
 * Customer.processingRestriction and .marketingObjection with their fields; +1 per User for User.kind. Issue 12 (registers):
 * +1 per store for Customer.dataVerifiedById; the chain managers' roles gain `manage` on Breach and ProcessingActivity and the
 * DPO's eight entries, each a PermissionEntry of three fields under `me` in every store's request. Issue 12, retention:
 * the chain managers' `manage` entries on RetentionPolicy and LegalHold and the DPO's five new entries. Issue 12, erasure:
 * +1 per Customer read for Customer.erasedAt, and the DPO's erase Customer. Issue 13, organisation: +2 per Store
 * object requested, for Store.address and Store.open. Issue 13, auth policy: the chain managers' `manage`
 * entry on AuthPolicy, a PermissionEntry of three fields in every store's request: +15 Clearview, +3 Lakeside. Issue 15,
 * client-side-encrypted SOAP notes: +1 per store request with a readable note for ClinicalNote.encryptedSoapNote (null
 * for Clearview's server-encrypted notes), +4 where it is not (Lakeside: EncryptedSoapNote's keyId, algorithm, iv,
 * ciphertext), and the chain managers' `manage` entry on ClinicalEncryptionPolicy (+15 Clearview, +3 Lakeside).)
 */
const EXPECTED_CHECKS: Record<string, number> = {
  [EMAIL.chainManager]: 2794,
  [EMAIL.northManager]: 921,
  [EMAIL.leedsManager]: 328,
  [EMAIL.leedsOptometrist]: 385,
  [EMAIL.locum]: 573,
  [EMAIL.leedsAssistant]: 313,
  [EMAIL.leedsReception]: 256,
  [EMAIL.dpo]: 2989, // issue 12: registers +125, retention +75, erasure +20, rectification (update Customer) +15
  [EMAIL.bi]: 1174,
  [EMAIL.lakesideManager]: 560,
  'probe-read-consent@permission-matrix.test': 222,
  'probe-read-termsacceptance@permission-matrix.test': 52,
  'probe-read-appointment@permission-matrix.test': 65,
  'probe-read-examination@permission-matrix.test': 106,
  'probe-read-spectacleprescription@permission-matrix.test': 72,
  'probe-read-contactlensspecification@permission-matrix.test': 75,
  'probe-read-clinicalnote@permission-matrix.test': 56,
  'probe-read-examination-refractions@permission-matrix.test': 82,
  'probe-read-examination-visualacuities@permission-matrix.test': 74,
  'probe-read-examination-intraocularpressures@permission-matrix.test': 70,
  'probe-read-consent-history@permission-matrix.test': 222,
  'probe-read-consent-consentsasof@permission-matrix.test': 130,
  'probe-manage-clinicalnote@permission-matrix.test': 56,
  'probe-write-examination@permission-matrix.test': 60,
  'probe-first-name-only@permission-matrix.test': 45,
};
/** …and of lists whose rows were compared with the rows stored for them (a customer's relations, findings, consent history). */
const EXPECTED_ROW_LIST_CHECKS = 267;

/**
 * Probe roles, held at Leeds by users this suite adds: the demo matrix alone cannot tell some wrong
 * mappings apart (everyone who reaches an examination's refractions may also read every customer and
 * prescription field), so each probe holds one subject (or one governing field of it) and little else:
 * only a customer's first name, and the stores. A type governed by anything but what the table says then
 * shows a field the probe may not read, or hides one it may.
 */
const PROBE_BASE: RoleEntry[] = [
  { action: 'read', subject: 'Customer', fields: ['firstName'] },
  { action: 'read', subject: 'Store' },
];
const PROBES: RoleDefinition[] = [
  ...['Consent', 'TermsAcceptance', 'Appointment', 'Examination', 'SpectaclePrescription', 'ContactLensSpecification', 'ClinicalNote'].map((subject) => ({
    name: `probe read ${subject}`, description: 'permission matrix probe', entries: [...PROBE_BASE, { action: 'read', subject }],
  })),
  ...[['Examination', 'refractions'], ['Examination', 'visualAcuities'], ['Examination', 'intraocularPressures'], ['Consent', 'history'], ['Consent', 'consentsAsOf']].map(([subject, field]) => ({
    name: `probe read ${subject}.${field}`, description: 'permission matrix probe', entries: [...PROBE_BASE, { action: 'read', subject, fields: ['id', field] }],
  })),
  // manage is every action, reading included; the other actions read nothing.
  { name: 'probe manage ClinicalNote', description: 'permission matrix probe', entries: [...PROBE_BASE, { action: 'manage', subject: 'ClinicalNote' }] },
  {
    name: 'probe write Examination', description: 'permission matrix probe',
    entries: [...PROBE_BASE, ...['create', 'update', 'sign'].map((action) => ({ action, subject: 'Examination' })), { action: 'read', subject: 'Examination', fields: ['id'] }],
  },
  { name: 'probe first name only', description: 'permission matrix probe', entries: PROBE_BASE },
];
const CLEARVIEW = DEMO_CHAINS[0];
const PROBE_CHAIN: ChainPlan = { ...CLEARVIEW, roles: [...CLEARVIEW.roles, ...PROBES] };
const PROBE_USERS: DemoUser[] = PROBES.map((role, i) => ({
  email: `${role.name.toLowerCase().replace(/[^a-z]+/g, '-')}@permission-matrix.test`, name: `Probe ${i}`, profession: Profession.OPTICAL_ASSISTANT,
  assignments: [{ role: role.name, scope: ScopeType.STORE, target: 'Leeds' }],
}));

// ---------------------------------------------------------------------------------------------

/** What the demo role matrix says, computed from the seed's role data alone. */
class RoleOracle {
  constructor(private readonly chain: ChainPlan, private readonly user: DemoUser) {}

  private covers(assignment: DemoUser['assignments'][number], store: string | null): boolean {
    if (assignment.scope === ScopeType.CHAIN) return true;
    if (store === null) return false;
    if (assignment.scope === ScopeType.STORE) return assignment.target === store;
    return this.chain.regions.some((r) => r.name === assignment.target && r.stores.some((s) => s.name === store));
  }

  private entries(store: string | null | undefined) {
    return this.user.assignments
      .filter((a) => store === undefined || this.covers(a, store))
      .flatMap((a) => this.chain.roles.find((r) => r.name === a.role)!.entries);
  }

  /** read (or manage: every action) on subject, for this field, at this store (null: no store, chain-wide rules only; undefined: anywhere). */
  mayRead(subject: string, field: string | null, store: string | null | undefined): boolean {
    return this.entries(store).some(
      (e) => (e.action === 'read' || e.action === 'manage') && e.subject === subject && (field === null || !e.fields || e.fields.includes(field)),
    );
  }

  stores(): string[] {
    const all = this.chain.regions.flatMap((r) => r.stores.map((s) => s.name));
    return all.filter((store) => this.mayRead('Customer', null, store));
  }
}

/** A selection: each requested field, with the selection of its object type (null for a leaf). */
type Selection = Map<string, Selection | null>;

/** Arguments written for a selection's fields that require one (consentsAsOf's moment). */
const FIELD_ARGS = new WeakMap<Selection, Map<string, string>>();
const AS_OF = new Date().toISOString();

function selectionOf(type: GraphQLObjectType, depth = 0): Selection {
  const selection: Selection = new Map();
  const args = new Map<string, string>();
  FIELD_ARGS.set(selection, args);
  for (const field of Object.values(type.getFields())) {
    const required = field.args.filter((a) => isNonNullType(a.type));
    if (required.some((a) => getNamedType(a.type).name !== 'DateTimeISO')) throw new Error(`no argument value for ${type.name}.${field.name}`);
    if (required.length) args.set(field.name, `(${required.map((a) => `${a.name}: "${AS_OF}"`).join(', ')})`);
    const named = getNamedType(field.type);
    if (!isObjectType(named)) selection.set(field.name, null);
    else if (depth <= 3) selection.set(field.name, selectionOf(named, depth + 1));
  }
  return selection;
}

function render(selection: Selection): string {
  const args = FIELD_ARGS.get(selection);
  return [...selection].map(([name, sub]) => `${name}${args?.get(name) ?? ''}${sub ? ` { ${render(sub)} }` : ''}`).join(' ');
}

interface Mismatch {
  user: string;
  path: string;
  problem: string;
}

describe('permission matrix (every demo user x every field)', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let storeNames: Map<string, string>;
  const checks = new Map<string, number>();
  let rowChecks = 0;
  const mismatches: Mismatch[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    schema = await buildDeclaredSchema();
    const stores: { id: string; name: string }[] = await app.core.query('SELECT id, name FROM store');
    storeNames = new Map(stores.map((s) => [s.id, s.name]));
    // The probe users and their roles, at Leeds.
    const [{ chain_id: chainId, password_hash: passwordHash }]: { chain_id: string; password_hash: string }[] = await app.core.query(
      `SELECT chain_id, password_hash FROM staff_user WHERE email = '${EMAIL.leedsReception}'`,
    );
    const leeds = stores.find((s) => s.name === 'Leeds')!.id;
    for (const [i, role] of PROBES.entries()) {
      const [{ id: roleId }]: { id: string }[] = await app.core.query(`INSERT INTO role (chain_id, name, description) VALUES ($1, $2, $3) RETURNING id`, [chainId, role.name, role.description]);
      for (const e of role.entries) await app.core.query('INSERT INTO role_permission (role_id, action, subject, fields) VALUES ($1, $2, $3, $4)', [roleId, e.action, e.subject, e.fields ?? null]);
      const user = PROBE_USERS[i];
      const [{ id: userId }]: { id: string }[] = await app.core.query(
        'INSERT INTO staff_user (chain_id, name, email, profession, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id', [chainId, user.name, user.email, user.profession, passwordHash],
      );
      await app.core.query(`INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type, store_id) VALUES ($1, $2, $3, 'STORE', $4)`, [chainId, userId, roleId, leeds]);
    }
    await app.core.query('UPDATE chain SET authz_version = authz_version + 1');
    // One terms acceptance per customer, so every customer's termsAcceptances list has a row to check.
    await app.core.query(`INSERT INTO terms_acceptance (chain_id, customer_id, document, version, source)
      SELECT chain_id, id, 'TERMS', '2025-01', 'IN_STORE' FROM customer`);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('the table names every object type of the schema, and only those', () => {
    const inSchema = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith('__') && t.name !== 'Query' && t.name !== 'Mutation')
      .map((t) => t.name)
      .sort();
    const inTable = [...Object.keys(GOVERNED), ...STRUCTURAL].sort();
    expect(inSchema.filter((t) => !inTable.includes(t))).toEqual([]);
    expect(inTable.filter((t) => !inSchema.includes(t))).toEqual([]);
    expect(Object.keys(GOVERNED).filter((t) => STRUCTURAL.has(t))).toEqual([]);
    // Child types name a real field of their parent type, relations real fields of their type.
    for (const [typeName, governed] of Object.entries(GOVERNED)) {
      for (const field of Object.keys(governed.relations ?? {})) expect(`${typeName}.${field}: ${Boolean((schema.getType(typeName) as GraphQLObjectType).getFields()[field])}`).toBe(`${typeName}.${field}: true`);
    }
  });

  /** A customer of this store with every kind of clinical record, so every nested type is exercised. */
  async function richCustomer(storeName: string): Promise<string> {
    const ids: { customer_id: string }[] = await app.clinical.query(
      `SELECT e.customer_id FROM examination e
         JOIN spectacle_prescription sp ON sp.customer_id = e.customer_id
         JOIN contact_lens_specification cl ON cl.customer_id = e.customer_id
         JOIN clinical_note n ON n.customer_id = e.customer_id
        GROUP BY e.customer_id`,
    );
    const rows: { id: string }[] = await app.core.query(
      `SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id
        WHERE s.name = $1 AND c.id = ANY($2) AND EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id)
          AND EXISTS (SELECT 1 FROM appointment a WHERE a.customer_id = c.id) ORDER BY c.id LIMIT 1`,
      [storeName, ids.map((r) => r.customer_id)],
    );
    if (!rows[0]) throw new Error(`no customer with every kind of record at ${storeName}`);
    return rows[0].id;
  }

  /** Values derived from another field (the domain's rule, written here): type.field -> [source subject, source field]. */
  const DERIVED: Record<string, [string, string]> = {
    'ContactLensSpecification.patientDateOfBirth': ['Customer', 'dateOfBirth'],
    'EmergencyAccess.storeId': ['Customer', 'homeStoreId'],
  };

  function expectedFor(oracle: RoleOracle, typeName: string, field: string, path: string, store: string | null): boolean {
    if (STRUCTURAL.has(typeName)) return true;
    // A derived value is readable only where its source is too, on the row's customer at their home store (the
    // rich customers' records are all made at their home store, so the row's store is the home store here).
    const source = DERIVED[`${typeName}.${field}`];
    if (source && !oracle.mayRead(source[0], source[1], store)) return false;
    const governed = GOVERNED[typeName];
    if (!governed) return false;
    const relation = governed.relations?.[field];
    if (relation) return oracle.mayRead(relation, null, store);
    if (typeName === 'User' && path === 'me' && OWN_STAFF_RECORD_FIELDS.includes(field)) return true;
    return oracle.mayRead(governed.subject, governed.via ?? field, store);
  }

  /** A row of a list as stored: its id and the store its rules apply at. */
  interface StoredRow {
    id: string;
    store: string | null;
  }
  /** The rows each list field holds in the database, keyed `Type.field:parentId` (all of them: the oracle filters). */
  type Stored = Map<string, StoredRow[]>;

  async function storedRows(customerId: string, homeStore: string): Promise<Stored> {
    const stored: Stored = new Map();
    const add = (key: string, row: StoredRow) => stored.set(key, [...(stored.get(key) ?? []), row]);
    const byStore = (id: string | null) => (id === null ? null : storeNames.get(id) ?? null);
    const consents: { id: string; channel: string }[] = await app.core.query('SELECT id, channel FROM consent WHERE customer_id = $1', [customerId]);
    const events: { id: string; channel: string }[] = await app.core.query('SELECT id, channel FROM consent_event WHERE customer_id = $1', [customerId]);
    stored.set(`Customer.consents:${customerId}`, []);
    for (const c of consents) {
      add(`Customer.consents:${customerId}`, { id: c.id, store: homeStore }); // a consent is in its customer's home store's scope
      stored.set(`Consent.history:${c.id}`, events.filter((e) => e.channel === c.channel).map((e) => ({ id: e.id, store: homeStore })));
    }
    const terms: { id: string }[] = await app.core.query('SELECT id FROM terms_acceptance WHERE customer_id = $1', [customerId]);
    stored.set(`Customer.termsAcceptances:${customerId}`, terms.map((t) => ({ id: t.id, store: homeStore }))); // in its customer's home store's scope
    const lists: [string, 'core' | 'clinical', string][] = [
      ['appointments', 'core', 'appointment'], ['examinations', 'clinical', 'examination'],
      ['spectaclePrescriptions', 'clinical', 'spectacle_prescription'], ['contactLensSpecifications', 'clinical', 'contact_lens_specification'],
      ['clinicalNotes', 'clinical', 'clinical_note'],
    ];
    for (const [field, db, table] of lists) {
      const rows: { id: string; store_id: string }[] = await (db === 'core' ? app.core : app.clinical).query(`SELECT id, store_id FROM ${table} WHERE customer_id = $1`, [customerId]);
      stored.set(`Customer.${field}:${customerId}`, rows.map((r) => ({ id: r.id, store: byStore(r.store_id) })));
    }
    const exams = stored.get(`Customer.examinations:${customerId}`) ?? [];
    for (const [field, table] of [['refractions', 'refraction'], ['visualAcuities', 'visual_acuity'], ['intraocularPressures', 'intraocular_pressure']]) {
      for (const exam of exams) {
        const rows: { id: string }[] = await app.clinical.query(`SELECT id FROM ${table} WHERE examination_id = $1`, [exam.id]);
        stored.set(`Examination.${field}:${exam.id}`, rows.map((r) => ({ id: r.id, store: exam.store })));
      }
    }
    return stored;
  }

  /** The rows a list field must return: the stored ones the oracle lets the caller read at each row's own store. */
  function expectedRows(oracle: RoleOracle, typeName: string, field: string, parentId: unknown, stored: Stored): StoredRow[] | undefined {
    const rows = stored.get(`${typeName}.${field}:${String(parentId)}`);
    if (!rows) return undefined;
    const relation = GOVERNED[typeName]?.relations?.[field];
    // A relation's rows are filtered by their own store; a child list (findings, history) holds all of its parent's.
    return relation ? rows.filter((r) => oracle.mayRead(relation, null, r.store)) : rows;
  }

  function walk(
    oracle: RoleOracle, email: string, typeName: string, selection: Selection, value: Record<string, unknown>,
    path: string, store: string | null, forbidden: Set<string>, stored: Stored,
  ): void {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const key of Object.keys(value)) if (!selection.has(key)) mismatches.push({ user: email, path: `${path}.${key}`, problem: 'returned, but not requested' });
    for (const [field, sub] of selection) {
      const fieldPath = `${path}.${field}`;
      if (!(field in value)) {
        mismatches.push({ user: email, path: fieldPath, problem: 'requested, but missing from the response' });
        continue;
      }
      const expected = expectedFor(oracle, typeName, field, path, store);
      const denied = forbidden.has(fieldPath);
      forbidden.delete(fieldPath);
      checks.set(email, (checks.get(email) ?? 0) + 1);
      if (denied === expected) mismatches.push({ user: email, path: fieldPath, problem: expected ? 'expected allowed, got FORBIDDEN' : `expected FORBIDDEN, got ${JSON.stringify(value[field])}` });
      if (denied) {
        if (value[field] !== null) mismatches.push({ user: email, path: fieldPath, problem: 'FORBIDDEN, but a value came back' });
        continue;
      }
      const named = getNamedType(type.getFields()[field].type);
      const child = value[field];
      if (!sub || !isObjectType(named) || child === null || child === undefined) continue;
      const items = Array.isArray(child) ? child : [child];
      const expectedList = Array.isArray(child) ? expectedRows(oracle, typeName, field, value.id, stored) : undefined;
      if (expectedList) {
        rowChecks += 1;
        const got = (items as Record<string, unknown>[]).map((item) => String(item.id)).sort();
        const want = expectedList.map((r) => r.id).sort();
        // Ids are compared where the caller may read them; the number of rows always.
        const comparable = items.every((item: Record<string, unknown>) => typeof item.id === 'string');
        if (got.length !== want.length || (comparable && got.join() !== want.join())) {
          mismatches.push({ user: email, path: fieldPath, problem: `expected rows ${want.join(', ') || 'none'}, got ${got.join(', ') || 'none'}` });
        }
      }
      items.forEach((item: Record<string, unknown>, i) => {
        const childPath = Array.isArray(child) ? `${fieldPath}.${i}` : fieldPath;
        const own = expectedList?.find((r) => r.id === item.id);
        const childStore = named.name === 'Store' ? storeNames.get(String(item.id)) ?? null : own ? own.store : store;
        walk(oracle, email, named.name, sub, item, childPath, childStore, forbidden, stored);
      });
    }
  }

  const cases = [
    ...DEMO_CHAINS.flatMap((chain) => chain.users.map((user) => [user.email, chain, user] as const)),
    ...PROBE_USERS.map((user) => [user.email, PROBE_CHAIN, user] as const),
  ];

  it.each(cases)('%s sees exactly the fields the role matrix permits', async (email, chain, user) => {
    const oracle = new RoleOracle(chain, user);
    const token = await app.login(email);
    const customer = selectionOf(schema.getType('Customer') as GraphQLObjectType);
    const stores = selectionOf(schema.getType('Store') as GraphQLObjectType);
    const me = selectionOf(schema.getType('User') as GraphQLObjectType);
    const query = `query Matrix($id: ID!) { customer(id: $id) { ${render(customer)} } stores { ${render(stores)} } me { ${render(me)} } }`;
    const storesCovered = oracle.stores();
    expect(storesCovered.length).toBeGreaterThan(0);
    for (const store of storesCovered) {
      const id = await richCustomer(store);
      const result: GraphQLResult<Record<string, Record<string, unknown>>> = await app.request(query, { id }, token);
      const unexpected = (result.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
      expect(unexpected).toEqual([]);
      const forbidden = new Set((result.errors ?? []).map((e) => (e.path ?? []).join('.')));
      expect(result.data?.customer).toBeTruthy();
      const stored = await storedRows(id, store);
      walk(oracle, email, 'Customer', customer, result.data!.customer, 'customer', store, forbidden, stored);
      (result.data!.stores as unknown as Record<string, unknown>[]).forEach((s, i) =>
        walk(oracle, email, 'Store', stores, s, `stores.${i}`, storeNames.get(String(s.id)) ?? null, forbidden, stored),
      );
      walk(oracle, email, 'User', me, result.data!.me, 'me', null, forbidden, stored);
      // Every FORBIDDEN error is at a path that was checked.
      for (const where of forbidden) mismatches.push({ user: email, path: where, problem: 'FORBIDDEN error at a path not in the response' });
    }
    expect(mismatches.filter((m) => m.user === email)).toEqual([]);
  });

  it('made exactly the number of (user, field) checks the demo seed yields', () => {
    const total = [...checks.values()].reduce((a, b) => a + b, 0);
    console.log(`permission matrix: ${total} field checks and ${rowChecks} row-list checks across ${cases.length} demo users: ${JSON.stringify(Object.fromEntries(checks))}`);
    expect(rowChecks).toBe(EXPECTED_ROW_LIST_CHECKS);
    expect(Object.fromEntries(checks)).toEqual(EXPECTED_CHECKS);
  });
});
