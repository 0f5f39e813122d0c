/**
 * Proof that what chain managers configure is exactly what the API enforces (issue 3, item 8; widened
 * by issue 8): a property-based suite (fast-check) over random role matrices, assignments, emergency
 * accesses and records, read through every way the API hands a customer out.
 *
 * Each generated case is plain data (printed as is when it fails):
 * - `roles`: role templates, each a list of entries { action, subject, fields } on Customer, Consent,
 *   Appointment, Examination, SpectaclePrescription, ContactLensSpecification or ClinicalNote: `read`
 *   mostly, `manage` (every action), or another action of the subject's catalog (create, update, sign,
 *   erase, export: they read nothing); with a random subset of the subject's catalog fields (`fields:
 *   null` = every field; `[]` grants nothing). A template is created in every chain that uses it.
 * - `users`: new staff users of either demo chain, each holding some of those roles (`role` is an index,
 *   taken modulo the number of roles) at CHAIN, REGION or STORE scope, with a validity `window` (open,
 *   current, ended, future); optionally listing with a `storeFilter` (the `storeId` argument); looking one
 *   customer up with `customer(id)` (`lookup`, an index into the case's customers); optionally updating one
 *   customer (`update`: `updateCustomer` setting one field to the value it already has, whose returned
 *   Customer must obey the same field rules as a read); and holding break-the-glass `emergencies` (an
 *   emergency access to one of the case's customers, in force or ended).
 * - `customers`: customers of one chain at random home stores, with appointments, examinations (each with
 *   0-2 refractions, visual acuities and intraocular pressures), spectacle prescriptions, contact lens
 *   specifications and clinical notes at random stores of that chain (the names listed are the rows'
 *   stores) and consents with a history of 1-3 events per channel; `searchIn` says which of lastName /
 *   firstName / email / phone carry the case's search token; `sparse` leaves nullable columns null.
 * The case is written with plain SQL into this suite's own databases (unique names and a unique search
 * token per execution, so executions never see each other's rows), the chains' authz version is bumped,
 * every user signs in and, in one request, lists `customers(first: 100, search: <token>, storeId:
 * <filter>)` and looks up `customer(id)`, each with every scalar field of the customer and of every nested
 * row and finding, plus the unfiltered `totalCount`; once every user has read, the users with an `update`
 * run `updateCustomer` with the same selection.
 *
 * The oracle is written here from the domain rules (DESIGN.md, README "How permissions work" and "Break
 * the glass"), with no CASL and no src/policies code (only the catalog's field and action lists): an
 * entry { action, subject, fields? } of a role assigned at a chain, region or store grants the listed
 * fields (none listed: every catalog field; an empty list: nothing) for rows of the stores in scope,
 * through assignments in force; `read` and `manage` (every action) read, other actions do not; a
 * customer's relations are governed at the customer's home store and their rows by each row's own store;
 * an examination's findings are readable with its `refractions` / `visualAcuities` /
 * `intraocularPressures` field, a consent's history with its `history` field; an emergency access in
 * force adds, for its one customer of the user's chain, every field of the clinical subjects and the
 * identity fields (id, names, date of birth, sex) of the customer, and nothing for a mutation (break the
 * glass is read-only). It decides which rows must be returned and counted and which fields must resolve
 * or be FORBIDDEN: (1) every returned row is allowed, (2) nothing allowed is missing (row lists and
 * totalCount; a customer lookup outside scope is NOT_FOUND), (3) every field resolves, with the stored
 * value, exactly when allowed, and is null with a FORBIDDEN error at its path (naming the field, not its
 * value) when denied; no other error is tolerated. A field stored as null is allowed when it has no error.
 * The suite prints how many runs, users, requests of each kind and (user's roles, query, field) checks it
 * made.
 *
 * Replay a failure: fast-check prints the shrunk case with its `seed` and `path`; run
 *   FC_SEED=<seed> FC_PATH=<path> npx jest test/policies/authz-property.test.ts
 * to rerun exactly that case (FC_SEED alone replays the whole sequence; FC_RUNS=<n> sets the number of runs).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { buildSchema, getNamedType, GraphQLObjectType, isLeafType } from 'graphql';
import { DataSource } from 'typeorm';
import { CATALOG } from '../../src/policies/catalog';
import { GraphQLErrorShape, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { sealRows } from '../support/clinical-ciphertext';

// ---------------------------------------------------------------------------------------------
// The world the cases are drawn from: the two demo chains, as the seed documents them.

const TOPOLOGY = {
  Clearview: { name: 'Clearview Opticians', regions: { North: ['Leeds', 'York', 'Harrogate'], South: ['Bristol', 'Bath'] } },
  Lakeside: { name: 'Lakeside Eyecare', regions: { Lakes: ['Keswick'] } },
} as const satisfies Record<string, { name: string; regions: Record<string, readonly string[]> }>;
type ChainKey = keyof typeof TOPOLOGY;
const CHAIN_KEYS = Object.keys(TOPOLOGY) as ChainKey[];

const regionsOf = (chain: ChainKey): string[] => Object.keys(TOPOLOGY[chain].regions);
const storesOf = (chain: ChainKey): string[] => Object.values(TOPOLOGY[chain].regions as Record<string, readonly string[]>).flat();
const regionOfStore = (chain: ChainKey, store: string): string | undefined =>
  Object.entries(TOPOLOGY[chain].regions as Record<string, readonly string[]>).find(([, stores]) => stores.includes(store))?.[0];

const SUBJECTS = ['Customer', 'Consent', 'Appointment', 'Examination', 'SpectaclePrescription', 'ContactLensSpecification', 'ClinicalNote'] as const;
type Subject = (typeof SUBJECTS)[number];
/** The health records (DESIGN.md): what an emergency access opens. */
const CLINICAL: readonly Subject[] = ['Examination', 'SpectaclePrescription', 'ContactLensSpecification', 'ClinicalNote'];
/** What an emergency access shows of the customer (README, Break the glass): identity, no contact details. */
const EMERGENCY_CUSTOMER_FIELDS = ['id', 'firstName', 'lastName', 'dateOfBirth', 'sex'];

/** The catalog's field and action lists (the only thing taken from src/policies). */
const catalogEntry = (name: Subject) => {
  const entry = CATALOG.find((s) => s.name === name);
  if (!entry) throw new Error(`catalog has no subject ${name}`);
  return entry;
};
const CATALOG_FIELDS = Object.fromEntries(SUBJECTS.map((name) => [name, catalogEntry(name).fields.map((f) => f.name)])) as Record<Subject, string[]>;
/** Actions other than read and manage: they must read nothing. */
const OTHER_ACTIONS = Object.fromEntries(
  SUBJECTS.map((name) => [name, catalogEntry(name).actions.filter((a) => a !== 'read' && a !== 'manage')]),
) as Record<Subject, string[]>;

/** A customer's relations and the subject each leads to (DESIGN.md: governed at the customer's home store). */
const RELATIONS = {
  appointments: 'Appointment',
  examinations: 'Examination',
  spectaclePrescriptions: 'SpectaclePrescription',
  contactLensSpecifications: 'ContactLensSpecification',
  clinicalNotes: 'ClinicalNote',
  consents: 'Consent',
} as const satisfies Record<string, Subject>;
type Relation = keyof typeof RELATIONS;
const RELATION_NAMES = Object.keys(RELATIONS) as Relation[];
type RecordRelation = Exclude<Relation, 'consents' | 'examinations'>;

/** Rows inside a row: their type, and the field of the parent's subject that admits them. */
const CHILD_LISTS = {
  Examination: { refractions: 'Refraction', visualAcuities: 'VisualAcuity', intraocularPressures: 'IntraocularPressure' },
  Consent: { history: 'ConsentEvent' },
} as const;
type ChildType = 'Refraction' | 'VisualAcuity' | 'IntraocularPressure' | 'ConsentEvent';
const GOVERNED_BY: Record<ChildType, { subject: Subject; field: string }> = {
  Refraction: { subject: 'Examination', field: 'refractions' },
  VisualAcuity: { subject: 'Examination', field: 'visualAcuities' },
  IntraocularPressure: { subject: 'Examination', field: 'intraocularPressures' },
  ConsentEvent: { subject: 'Consent', field: 'history' },
};
type TypeName = Subject | ChildType;
const TYPE_NAMES: TypeName[] = [...SUBJECTS, 'Refraction', 'VisualAcuity', 'IntraocularPressure', 'ConsentEvent'];

const SEARCHABLE = ['lastName', 'firstName', 'email', 'phone'] as const;
type Searchable = (typeof SEARCHABLE)[number];
/** consent_channel enum order (consents are listed by channel, or by id: ids are made to agree). */
const CHANNELS = ['SMS', 'EMAIL', 'MAIL', 'SOCIAL_MEDIA'] as const;
/** Customer fields an update sets to the value they already have (so concurrent readers see no change). */
const UPDATABLE = ['addressLine2', 'city', 'country'] as const;

// ---------------------------------------------------------------------------------------------
// Generated cases: plain data.

interface Entry {
  action: string;
  subject: Subject;
  fields: string[] | null;
}
type Scope = { scope: 'CHAIN' } | { scope: 'REGION'; region: string } | { scope: 'STORE'; store: string };
/**
 * An assignment's validity window: none (`open`), or validFrom / validUntil a day or more away from now,
 * so the answer cannot change while a case runs: `current` (started, not ended), `ended`, `future`.
 */
type Window = 'open' | 'current' | 'ended' | 'future';
const IN_FORCE: Record<Window, boolean> = { open: true, current: true, ended: false, future: false };
interface UserSpec {
  chain: ChainKey;
  assignments: { role: number; scope: Scope; window: Window }[];
  storeFilter: string | null;
  /**
   * The customer to look up with customer(id): an index (modulo) into the case's customers the user may read
   * (`visible`, when there are any) or into all of them (`any`, mostly NOT_FOUND).
   */
  lookup: { among: 'visible' | 'any'; index: number };
  /** The customer to update: an index (modulo) into those the user may read (when there are any), and the field. */
  update: { customer: number; field: (typeof UPDATABLE)[number] } | null;
  /** Emergency accesses to the case's customers (index, modulo), in force now or ended. */
  emergencies: { customer: number; inForce: boolean }[];
}
interface ExaminationSpec {
  store: string;
  refractions: number;
  visualAcuities: number;
  intraocularPressures: number;
}
interface CustomerSpec {
  homeStore: string;
  searchIn: Searchable[];
  sparse: boolean;
  appointments: string[];
  examinations: ExaminationSpec[];
  spectaclePrescriptions: string[];
  contactLensSpecifications: string[];
  clinicalNotes: string[];
  consents: (typeof CHANNELS)[number][];
  /** Events in each channel's history (1-3), by channel index. */
  history: number[];
}
interface Case {
  roles: Entry[][];
  users: UserSpec[];
  customers: { chain: ChainKey; list: CustomerSpec[] };
}

const entryArb: fc.Arbitrary<Entry> = fc.oneof(
  ...SUBJECTS.map((subject) => ({
    weight: subject === 'Customer' ? 4 : 1,
    arbitrary: fc.record({
      action: fc.oneof(
        { weight: 6, arbitrary: fc.constant('read') },
        { weight: 1, arbitrary: fc.constant('manage') },
        // update more often than the rest: updateCustomer's payload is checked when it is allowed
        { weight: OTHER_ACTIONS[subject].includes('update') ? 2 : 0, arbitrary: fc.constant('update') },
        { weight: 1, arbitrary: fc.constantFrom(...OTHER_ACTIONS[subject]) },
      ),
      subject: fc.constant(subject),
      // null (every field) a third of the time, else a random subset (possibly empty: grants nothing).
      fields: fc.option(fc.subarray(CATALOG_FIELDS[subject]), { nil: null, freq: 3 }),
    }),
  })),
);

const MAX_ROLES = 3;
const MAX_CUSTOMERS = 6;

function scopeArb(chain: ChainKey): fc.Arbitrary<Scope> {
  return fc.oneof(
    fc.constant({ scope: 'CHAIN' as const }),
    fc.record({ scope: fc.constant('REGION' as const), region: fc.constantFrom(...regionsOf(chain)) }),
    fc.record({ scope: fc.constant('STORE' as const), store: fc.constantFrom(...storesOf(chain)) }),
  );
}

function userArb(chain: ChainKey): fc.Arbitrary<UserSpec> {
  return fc.record({
    chain: fc.constant(chain),
    assignments: fc.array(
      fc.record({
        role: fc.nat({ max: MAX_ROLES - 1 }),
        scope: scopeArb(chain),
        window: fc.oneof({ weight: 6, arbitrary: fc.constant<Window>('open') }, fc.constantFrom<Window>('current', 'ended', 'future')),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    storeFilter: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...storesOf(chain)) }),
    lookup: fc.record({ among: fc.constantFrom<('visible' | 'any')[]>('visible', 'any'), index: fc.nat({ max: MAX_CUSTOMERS - 1 }) }),
    update: fc.option(fc.record({ customer: fc.nat({ max: MAX_CUSTOMERS - 1 }), field: fc.constantFrom(...UPDATABLE) }), { nil: null, freq: 4 }),
    emergencies: fc.oneof(
      { weight: 3, arbitrary: fc.constant<{ customer: number; inForce: boolean }[]>([]) },
      { weight: 1, arbitrary: fc.array(fc.record({ customer: fc.nat({ max: MAX_CUSTOMERS - 1 }), inForce: fc.boolean() }), { minLength: 1, maxLength: 2 }) },
    ),
  });
}

function customersArb(chain: ChainKey): fc.Arbitrary<Case['customers']> {
  const store = fc.constantFrom(...storesOf(chain));
  const records = fc.array(store, { maxLength: 2 });
  const findings = fc.nat({ max: 2 });
  const customer: fc.Arbitrary<CustomerSpec> = fc.record({
    homeStore: store,
    searchIn: fc.subarray([...SEARCHABLE]),
    sparse: fc.boolean(),
    appointments: records,
    examinations: fc.array(fc.record({ store, refractions: findings, visualAcuities: findings, intraocularPressures: findings }), { maxLength: 2 }),
    spectaclePrescriptions: records,
    contactLensSpecifications: records,
    clinicalNotes: records,
    consents: fc.subarray([...CHANNELS]),
    history: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: CHANNELS.length, maxLength: CHANNELS.length }),
  });
  return fc.record({ chain: fc.constant(chain), list: fc.array(customer, { minLength: 1, maxLength: MAX_CUSTOMERS }) });
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  roles: fc.array(fc.array(entryArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: MAX_ROLES }),
  users: fc.array(fc.oneof({ weight: 4, arbitrary: userArb('Clearview') }, { weight: 1, arbitrary: userArb('Lakeside') }), { minLength: 1, maxLength: 4 }),
  customers: fc.oneof({ weight: 5, arbitrary: customersArb('Clearview') }, { weight: 1, arbitrary: customersArb('Lakeside') }),
});

// ---------------------------------------------------------------------------------------------
// The oracle: the rules of DESIGN.md and the README, written out without CASL.

interface StoreRef {
  chain: ChainKey;
  store: string;
}
/** Where a row's rules apply: its store, and the customer it belongs to (what an emergency access names). */
interface RowRef {
  at: StoreRef;
  customerId: string;
}

class Oracle {
  /**
   * @param emergencyCustomers the customers the user holds an emergency access in force for (ids; the
   *   access is in the user's chain, whichever chain the customer is in)
   */
  constructor(private readonly user: UserSpec, private readonly roles: Entry[][], private readonly emergencyCustomers: ReadonlySet<string>) {}

  private covers(scope: Scope, at: StoreRef): boolean {
    if (at.chain !== this.user.chain) return false; // no rule ever crosses chains
    if (scope.scope === 'CHAIN') return true;
    if (scope.scope === 'REGION') return regionOfStore(at.chain, at.store) === scope.region;
    return scope.store === at.store;
  }

  /**
   * Does a role entry of an assignment in force grant `action` (manage: every action) on `subject`, field
   * `field` (any field when null: the row itself), at store `at` (anywhere in the user's chain when null)?
   * No field list: every catalog field; an empty list: nothing; a field the catalog lacks: never.
   */
  private byRoles(action: 'read' | 'update', subject: Subject, field: string | null, at: StoreRef | null): boolean {
    if (field !== null && !CATALOG_FIELDS[subject].includes(field)) return false;
    return this.user.assignments.some(
      (a) =>
        IN_FORCE[a.window] &&
        (at === null || this.covers(a.scope, at)) &&
        this.roles[a.role % this.roles.length].some(
          (e) =>
            e.subject === subject &&
            (e.action === action || e.action === 'manage') &&
            (e.fields === null || (field === null ? e.fields.length > 0 : e.fields.includes(field))),
        ),
    );
  }

  /** What an emergency access in force opens: the clinical subjects and the identity of its one customer. */
  private byEmergency(subject: Subject, field: string | null, row: RowRef | null): boolean {
    if (field !== null && !CATALOG_FIELDS[subject].includes(field)) return false;
    const opens = subject === 'Customer' ? field === null || EMERGENCY_CUSTOMER_FIELDS.includes(field) : CLINICAL.includes(subject);
    if (!opens) return false;
    if (row === null) return this.emergencyCustomers.size > 0;
    return row.at.chain === this.user.chain && this.emergencyCustomers.has(row.customerId);
  }

  /**
   * May the user read `subject` (field `field`, or any field when null: the row itself) for this row (anywhere
   * when null)? `emergency: false` for what a mutation returns: break the glass grants reads only.
   */
  mayRead(subject: Subject, field: string | null, row: RowRef | null, emergency = true): boolean {
    return this.byRoles('read', subject, field, row?.at ?? null) || (emergency && this.byEmergency(subject, field, row));
  }

  mayUpdate(subject: Subject, field: string | null, at: StoreRef | null): boolean {
    return this.byRoles('update', subject, field, at);
  }
}

// ---------------------------------------------------------------------------------------------
// Materialised cases: the rows written, and what each GraphQL field should return.

type Values = Record<string, unknown>;
interface ModelRow {
  at: StoreRef;
  customerId: string;
  /** camelCase columns as inserted; Date values are timestamps, compared as instants. */
  values: Values;
  /** Rows inside this row (an examination's findings, a consent's history), by field. */
  children?: Record<string, ModelRow[]>;
}
interface ModelCustomer extends ModelRow {
  spec: CustomerSpec;
  relations: Record<Relation, ModelRow[]>;
}

interface World {
  chainId: Record<ChainKey, string>;
  regionId: Map<string, string>;
  storeId: Map<string, string>;
  staffId: Record<ChainKey, string>;
  passwordHash: string;
}
const key = (chain: ChainKey, name: string) => `${chain}/${name}`;

const snake = (name: string) => name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

/** One INSERT per table: the rows travel as JSON and are typed by the table's own row type. */
async function insertRows(ds: DataSource, table: string, rows: Values[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).map((k) => `"${snake(k)}"`).join(', ');
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [snake(k), v]))));
  await ds.query(`INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`, [json]);
}

const DAY = 86_400_000;

function windowColumns(window: Window): { validFrom: Date | null; validUntil: Date | null } {
  const now = Date.now();
  if (window === 'current') return { validFrom: new Date(now - 2 * DAY), validUntil: new Date(now + 2 * DAY) };
  if (window === 'ended') return { validFrom: new Date(now - 9 * DAY), validUntil: new Date(now - DAY) };
  if (window === 'future') return { validFrom: new Date(now + DAY), validUntil: null };
  return { validFrom: null, validUntil: null };
}
/** Half-hour slots handed out so far (across runs: the rows of earlier runs stay). */
let nextAppointmentSlot = 0;
const sortedIds = (n: number) => Array.from({ length: n }, () => randomUUID()).sort();
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const EYES = ['RIGHT', 'LEFT'] as const;

/** Builds the rows of a case (ids sorted so that every list's documented order agrees with id order). */
function materialise(world: World, c: Case, token: string): ModelCustomer[] {
  const chain = c.customers.chain;
  const chainId = world.chainId[chain];
  const staff = world.staffId[chain];
  const base = Date.UTC(2025, 0, 1);
  const customerIds = sortedIds(c.customers.list.length);
  return c.customers.list.map((spec, i) => {
    const sparse = spec.sparse;
    const has = (f: Searchable) => spec.searchIn.includes(f);
    const id = customerIds[i];
    const home: StoreRef = { chain, store: spec.homeStore };
    HOME_OF.set(id, home);
    const values: Values = {
      id,
      chainId,
      homeStoreId: world.storeId.get(key(chain, spec.homeStore)),
      firstName: has('firstName') ? `Ann${token}` : 'Ann',
      lastName: has('lastName') ? `Smith${token}` : 'Smith',
      dateOfBirth: isoDate(Date.UTC(1950 + i, 1 + i, 3 + i)),
      sex: sparse ? 'UNKNOWN' : 'FEMALE',
      addressLine1: sparse ? null : `${i + 1} Prop Street`,
      addressLine2: sparse ? null : 'Flat 2',
      city: sparse ? null : 'Proptown',
      postcode: sparse ? null : 'LS1 1AA',
      country: sparse ? null : 'GB',
      phone: has('phone') ? `0113 ${token}` : sparse ? null : '0113 496 0999',
      email: has('email') ? `ann.${token}@example.test` : sparse ? null : 'ann@example.test',
      status: sparse ? 'INACTIVE' : 'ACTIVE',
      dataVerifiedAt: sparse ? null : new Date(base - 5 * DAY),
      createdAt: new Date(base - 400 * DAY),
      updatedAt: new Date(base - 300 * DAY),
    };

    const rowAt = (store: string, rowId: string, rowValues: Values): ModelRow => ({
      at: { chain, store }, customerId: id,
      values: { id: rowId, chainId, storeId: world.storeId.get(key(chain, store)), customerId: id, ...rowValues },
    });
    const recordRows = (relation: RecordRelation, build: (k: number) => Values): ModelRow[] => {
      const stores = spec[relation];
      const ids = sortedIds(stores.length);
      return stores.map((store, k) => rowAt(store, ids[k], build(k)));
    };
    // Every list is ordered newest first, then by id: the k-th id gets the k-th newest time.
    const when = (k: number) => new Date(base - (k + 1) * DAY);
    /** Findings of an examination: per-eye rows carrying the examination's chain, store and customer. */
    const findings = (exam: ModelRow, n: number, build: (eye: string, k: number) => Values): ModelRow[] =>
      sortedIds(n).map((findingId, k) => ({
        at: exam.at, customerId: id,
        values: { id: findingId, examinationId: exam.values.id, chainId, storeId: exam.values.storeId, customerId: id, eye: EYES[k % 2], ...build(EYES[k % 2], k) },
      }));
    const examIds = sortedIds(spec.examinations.length);
    // Appointments share one practitioner (`staff`), whose appointments never overlap (a database constraint):
    // each gets a half-hour slot of its own, earlier for every later k, so each customer's list stays newest first.
    const appointmentSlot = () => new Date(base - (nextAppointmentSlot += 1) * 30 * 60_000);
    const relations: Record<Relation, ModelRow[]> = {
      appointments: recordRows('appointments', () => {
        const startsAt = appointmentSlot();
        return {
          practitionerId: sparse ? null : staff,
          type: 'SIGHT_TEST',
          startsAt,
          endsAt: new Date(startsAt.getTime() + 30 * 60_000),
          status: sparse ? 'CANCELLED' : 'BOOKED',
          cancellationReason: sparse ? null : 'Rearranged by phone',
          createdAt: new Date(base - 500 * DAY),
        };
      }),
      examinations: spec.examinations.map((examSpec, k) => {
        const exam = rowAt(examSpec.store, examIds[k], {
          practitionerId: staff,
          examinedAt: when(k),
          reasonForVisit: sparse ? null : 'Routine sight test',
          history: sparse ? null : 'No ocular history',
          status: sparse ? 'DRAFT' : 'SIGNED',
          signedAt: sparse ? null : new Date(when(k).getTime() + 3600_000),
          signedById: sparse ? null : staff,
          createdAt: when(k),
          updatedAt: when(k),
        });
        exam.children = {
          refractions: findings(exam, examSpec.refractions, (_eye, f) => ({
            type: 'SUBJECTIVE', sphere: -1.25 - f, cylinder: sparse ? 0 : -0.5, axis: sparse ? null : 90 + f,
            nearAdd: sparse ? null : 1.5, prismHorizontal: sparse ? null : 0.5, prismHorizontalBase: sparse ? null : 'IN',
            prismVertical: sparse ? null : 0.25, prismVerticalBase: sparse ? null : 'UP',
          })),
          visualAcuities: findings(exam, examSpec.visualAcuities, () => ({
            distance: 'DISTANCE', aid: 'GLASSES', unit: 'SNELLEN_METRE', value: sparse ? 'CF' : '6/6', logMar: sparse ? null : 0,
          })),
          intraocularPressures: findings(exam, examSpec.intraocularPressures, (_eye, f) => ({
            mmHg: 14 + f, instrument: 'NON_CONTACT', measuredAt: new Date(when(k).getTime() - f * 60_000),
          })),
        };
        return exam;
      }),
      spectaclePrescriptions: recordRows('spectaclePrescriptions', (k) => ({
        examinationId: sparse ? null : randomUUID(),
        issuedOn: isoDate(when(k).getTime()),
        prescriberId: staff,
        prescriberName: 'Dr Prop',
        prescriberRegistrationNumber: '01-00000',
        outcome: 'NEW_RX',
        notes: sparse ? null : 'Varifocals advised',
        rightSphere: sparse ? null : -1.25,
        rightCylinder: sparse ? null : -0.5,
        rightAxis: sparse ? null : 90,
        rightNearAdd: sparse ? null : 1.5,
        rightPrismHorizontal: sparse ? null : 0.5,
        rightPrismHorizontalBase: sparse ? null : 'IN',
        rightPrismVertical: sparse ? null : 0.25,
        rightPrismVerticalBase: sparse ? null : 'UP',
        leftSphere: sparse ? null : 2,
        leftCylinder: sparse ? null : -0.75,
        leftAxis: sparse ? null : 180,
        leftNearAdd: sparse ? null : 1.75,
        leftPrismHorizontal: sparse ? null : 1,
        leftPrismHorizontalBase: sparse ? null : 'OUT',
        leftPrismVertical: sparse ? null : 0.75,
        leftPrismVerticalBase: sparse ? null : 'DOWN',
        createdAt: when(k),
      })),
      contactLensSpecifications: recordRows('contactLensSpecifications', (k) => ({
        examinationId: sparse ? null : randomUUID(),
        issuedOn: isoDate(when(k).getTime()),
        prescriberId: staff,
        prescriberName: 'Dr Prop',
        prescriberRegistrationNumber: '01-00000',
        expiresOn: isoDate(when(k).getTime() + 365 * DAY),
        patientDateOfBirth: sparse ? null : values.dateOfBirth,
        replacement: sparse ? null : 'MONTHLY',
        rightBrand: sparse ? null : 'PropLens Toric', rightDesign: sparse ? null : 'toric', rightMaterial: sparse ? null : 'silicone hydrogel',
        rightBaseCurve: sparse ? null : 8.6, rightDiameter: sparse ? null : 14.2, rightPower: sparse ? null : -2.25,
        rightCylinder: sparse ? null : -0.75, rightAxis: sparse ? null : 170, rightNearAdd: sparse ? null : 1.25,
        leftBrand: sparse ? null : 'PropLens Sphere', leftDesign: sparse ? null : 'spherical', leftMaterial: sparse ? null : 'hydrogel',
        leftBaseCurve: sparse ? null : 8.4, leftDiameter: sparse ? null : 14, leftPower: sparse ? null : -1.75,
        leftCylinder: null, leftAxis: null, leftNearAdd: null,
        createdAt: when(k),
      })),
      clinicalNotes: recordRows('clinicalNotes', (k) => ({
        examinationId: sparse ? null : randomUUID(),
        authorId: staff,
        subjective: sparse ? null : 'Blurred near vision',
        objective: sparse ? null : 'VA 6/6',
        assessment: sparse ? null : 'Presbyopia',
        plan: sparse ? null : 'Review in two years',
        createdAt: when(k),
      })),
      consents: (() => {
        const channels = CHANNELS.filter((ch) => spec.consents.includes(ch));
        const ids = sortedIds(channels.length);
        return channels.map((channel, k): ModelRow => {
          const change = (at: Date, granted: boolean) => ({
            chainId, customerId: id, channel, granted, changedAt: at, actor: sparse ? 'CUSTOMER' : 'STAFF',
            recordedById: sparse ? null : staff, source: 'IN_STORE', wordingVersion: 'v1',
          });
          // Its history: n events, alternately granted and withdrawn, the last one the current state.
          const n = spec.history[CHANNELS.indexOf(channel)];
          const events = sortedIds(n).map((eventId, e) => ({
            at: home, customerId: id, values: { id: eventId, ...change(new Date(when(k).getTime() - (n - 1 - e) * DAY), (n - 1 - e) % 2 === 0 ? !sparse : sparse) },
          }));
          return {
            at: home, // a consent (and its history) is in its customer's home store's scope
            customerId: id,
            values: { id: ids[k], ...change(when(k), !sparse) },
            children: { history: events },
          };
        });
      })(),
    };
    return { spec, at: home, customerId: id, values, relations };
  });
}

// ---------------------------------------------------------------------------------------------
// Checking one answer against the oracle.

type QueryKind = 'customers' | 'customer(id)' | 'updateCustomer';
interface Tally {
  runs: number;
  users: number;
  pairs: number;
  rowChecks: number;
  /** (user's roles, query, field) checks, per query. */
  fieldChecks: Record<QueryKind, number>;
  /** Requests of each kind, and how many of them the oracle expected to be refused outright. */
  requests: Record<QueryKind, number>;
  refused: Record<QueryKind, number>;
  /** Customers and nested rows the oracle expected in an answer (so allowed, not only denied, paths are exercised). */
  returned: number;
  entries: Record<string, number>;
  emergenciesInForce: number;
  /** Fields checked on rows only an emergency access opened. */
  emergencyFieldChecks: number;
}

const rowRef = (m: ModelRow): RowRef => ({ at: m.at, customerId: m.customerId });

/** Each generated customer's home store (filled as the model is built). */
const HOME_OF = new Map<string, StoreRef>();
/** Values derived from another field (the domain's rule, written here): readable only where the source is, on the row's customer at their home store. */
const DERIVED: Record<string, [Subject, string]> = {
  'ContactLensSpecification.patientDateOfBirth': ['Customer', 'dateOfBirth'],
};

/** The index-th (modulo) of the customers that pass `among`, or of all of them when none does. */
function pick(customers: ModelCustomer[], index: number, among: (m: ModelCustomer) => boolean): ModelCustomer {
  const candidates = customers.filter(among);
  const from = candidates.length > 0 ? candidates : customers;
  return from[index % from.length];
}

class Checker {
  readonly mismatches: string[] = [];
  private readonly errors = new Map<string, GraphQLErrorShape>();

  constructor(
    private readonly who: string,
    private readonly oracle: Oracle,
    private readonly scalars: Record<TypeName, string[]>,
    private readonly tally: Tally,
    private readonly query: QueryKind,
    /** false for what a mutation returns: no emergency access applies. */
    private readonly emergency: boolean,
    result: GraphQLResult<unknown>,
    /** Whether the query asked for the rows inside rows (findings, consent history). */
    private readonly children = true,
  ) {
    for (const error of result.errors ?? []) {
      const where = (error.path ?? []).join('.');
      if (this.errors.has(where)) this.fail(where, `two errors at one path: ${error.message}`);
      this.errors.set(where, error);
    }
  }

  fail(where: string, what: string): void {
    this.mismatches.push(`${this.who} ${this.query} ${where}: ${what}`);
  }

  /** The error at this path, consumed (whatever is left at the end was not expected). */
  private take(where: string): GraphQLErrorShape | undefined {
    const error = this.errors.get(where);
    this.errors.delete(where);
    return error;
  }

  expectForbidden(where: string, value: unknown, field: string, stored?: unknown): void {
    this.expectCode(where, value, 'FORBIDDEN', field, stored);
  }

  expectCode(where: string, value: unknown, code: string, field: string, stored?: unknown): void {
    const error = this.take(where);
    if (!error) this.fail(where, `expected ${code}, but no error`);
    else {
      if (error.extensions?.code !== code) this.fail(where, `expected ${code}, got error code ${error.extensions?.code}: ${error.message}`);
      if (!error.message.includes(field)) this.fail(where, `error message does not name ${field}: ${error.message}`);
      if (typeof stored === 'string' && stored.length > 3 && error.message.includes(stored)) this.fail(where, 'error message discloses the value');
    }
    if (value !== null && value !== undefined) this.fail(where, `denied, but returned ${JSON.stringify(value)}`);
  }

  expectNoError(where: string): boolean {
    const error = this.take(where);
    if (error) this.fail(where, `allowed, but error ${error.extensions?.code}: ${error.message}`);
    return !error;
  }

  /** Every scalar field of one row: resolved (with the stored value) exactly when allowed, else FORBIDDEN. */
  row(typeName: TypeName, model: ModelRow, actual: Values, where: string): void {
    const governed = (GOVERNED_BY as Partial<Record<TypeName, { subject: Subject; field: string }>>)[typeName];
    for (const field of this.scalars[typeName]) {
      const fieldPath = `${where}.${field}`;
      const stored = model.values[field];
      const value = actual[field];
      this.tally.fieldChecks[this.query] += 1;
      const subject = governed ? governed.subject : (typeName as Subject);
      const catalogField = governed ? governed.field : field;
      const source = DERIVED[`${typeName}.${field}`];
      const home = HOME_OF.get(model.customerId);
      const sourceReadable = (emergency: boolean) => !source || (home !== undefined && this.oracle.mayRead(source[0], source[1], { at: home, customerId: model.customerId }, emergency));
      const allowed = this.oracle.mayRead(subject, catalogField, rowRef(model), this.emergency) && sourceReadable(this.emergency);
      if (allowed && !(this.oracle.mayRead(subject, catalogField, rowRef(model), false) && sourceReadable(false))) this.tally.emergencyFieldChecks += 1;
      if (!allowed) {
        this.expectForbidden(fieldPath, value, field, stored);
        continue;
      }
      if (!this.expectNoError(fieldPath)) continue;
      if (stored === undefined) continue; // a field the suite does not store (or a mutation changed): no error is all it can check
      const same = stored instanceof Date ? typeof value === 'string' && Date.parse(value) === stored.getTime() : value === stored;
      if (!same) this.fail(fieldPath, `expected ${JSON.stringify(stored)}, got ${JSON.stringify(value)}`);
    }
  }

  /** A row with the lists inside it (an examination's findings, a consent's history): all of them, when the parent's field is readable. */
  record(subject: Subject, model: ModelRow, actual: Values, where: string): void {
    this.row(subject, model, actual, where);
    if (!this.children) return;
    const lists = (CHILD_LISTS as Partial<Record<Subject, Record<string, ChildType>>>)[subject] ?? {};
    for (const [field, childType] of Object.entries(lists)) {
      const listPath = `${where}.${field}`;
      const list = actual[field];
      this.tally.rowChecks += 1;
      if (!this.oracle.mayRead(subject, field, rowRef(model), this.emergency)) {
        this.expectForbidden(listPath, list, field);
        continue;
      }
      if (!this.expectNoError(listPath)) continue;
      const rows = model.children?.[field] ?? [];
      if (!Array.isArray(list) || list.length !== rows.length) {
        this.fail(listPath, `expected ${rows.length} rows, got ${JSON.stringify(list)}`);
        continue;
      }
      this.tally.returned += rows.length;
      // Matched by id (readable: the parent's field admits every field of its rows).
      list.forEach((item: Values, k: number) => {
        const model = rows.find((r) => r.values.id === item.id);
        if (!model) this.fail(`${listPath}.${k}`, `a row that is not this record's: ${JSON.stringify(item.id)}`);
        else this.row(childType, model, item, `${listPath}.${k}`);
      });
    }
  }

  customer(model: ModelCustomer, actual: Values, where: string, customerFields = true, relations: readonly Relation[] = RELATION_NAMES): void {
    if (customerFields) this.row('Customer', model, actual, where);
    for (const relation of relations) {
      const subject = RELATIONS[relation];
      const relPath = `${where}.${relation}`;
      const list = actual[relation];
      this.tally.rowChecks += 1;
      // The relation is governed by the caller's rights at the customer's home store.
      if (!this.oracle.mayRead(subject, null, rowRef(model), this.emergency)) {
        this.expectForbidden(relPath, list, relation);
        continue;
      }
      if (!this.expectNoError(relPath)) continue;
      if (!Array.isArray(list)) {
        this.fail(relPath, `allowed, but got ${JSON.stringify(list)}`);
        continue;
      }
      // Its rows are those the caller may read at the row's own store.
      const rows = model.relations[relation];
      const expected = rows.filter((r) => this.oracle.mayRead(subject, null, rowRef(r), this.emergency));
      this.tally.rowChecks += rows.length;
      this.tally.returned += expected.length;
      if (list.length !== expected.length) {
        this.fail(relPath, `expected ${expected.length} rows (${expected.map((r) => `${String(r.values.id)}@${r.at.store}`).join(', ')}) of ${rows.length}, got ${list.length} (ids ${list.map((r: Values) => String(r.id)).join(', ')})`);
        continue;
      }
      expected.forEach((r, k) => this.record(subject, r, list[k] as Values, `${relPath}.${k}`));
    }
  }

  finish(): string[] {
    for (const [where, error] of this.errors) this.fail(where, `unexpected error ${error.extensions?.code}: ${error.message}`);
    this.errors.clear();
    return this.mismatches;
  }
}

// ---------------------------------------------------------------------------------------------

const ENV_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const ENV_PATH = process.env.FC_PATH || undefined;
const NUM_RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 150;
/** The least the default run must check, so a generator that drifts towards empty cases fails (about half of what runs check: the seed is random). */
const MIN = { pairs: 600, fieldChecks: 8000, emergencyFieldChecks: 1200, mutationFieldChecks: 400 };

/** The two documents the customers list is read with (see the query cost limit below). */
const LIST_PARTS: { customerFields: boolean; relations: readonly Relation[] }[] = [
  { customerFields: true, relations: ['appointments', 'consents', 'spectaclePrescriptions'] },
  { customerFields: false, relations: ['examinations', 'contactLensSpecifications', 'clinicalNotes'] },
];
type ListAnswer = { customers: { totalCount: number; edges: { node: Values }[] }; everyone: { totalCount: number } };

describe('authorization property: random role matrices x assignments x emergency accesses x records, through GraphQL', () => {
  let app: TestApp;
  let world: World;
  let scalars: Record<TypeName, string[]>;
  let readQueries: string[];
  let lookupQuery: string;
  let updateMutation: string;
  let executions = 0;
  const tally: Tally = {
    runs: 0, users: 0, pairs: 0, rowChecks: 0, returned: 0, emergenciesInForce: 0, emergencyFieldChecks: 0, entries: {},
    fieldChecks: { customers: 0, 'customer(id)': 0, updateCustomer: 0 },
    requests: { customers: 0, 'customer(id)': 0, updateCustomer: 0 },
    refused: { customers: 0, 'customer(id)': 0, updateCustomer: 0 },
  };

  beforeAll(async () => {
    app = await startTestApp();

    // Every scalar field of the types read, from the emitted schema.
    const schema = buildSchema(readFileSync(path.join(__dirname, '../../src/schema/schema.graphql'), 'utf8'));
    scalars = Object.fromEntries(
      TYPE_NAMES.map((name) => {
        const type = schema.getType(name) as GraphQLObjectType;
        return [name, Object.values(type.getFields()).filter((f) => isLeafType(getNamedType(f.type))).map((f) => f.name)];
      }),
    ) as Record<TypeName, string[]>;
    const selection = (name: TypeName, children: boolean): string => {
      const lists = children ? Object.entries((CHILD_LISTS as Partial<Record<TypeName, Record<string, ChildType>>>)[name] ?? {}) : [];
      return [scalars[name].join(' '), ...lists.map(([field, child]) => `${field} { ${selection(child, children)} }`)].join(' ');
    };
    const relationsSelection = (relations: readonly Relation[], children: boolean) =>
      relations.map((relation) => `${relation} { ${selection(RELATIONS[relation], children)} }`).join(' ');
    const customer = `${selection('Customer', true)} ${relationsSelection(RELATION_NAMES, true)}`;
    // The API's query cost limit (graphql-armor) refuses a list with every relation of every customer in one
    // document: the list is asked for in two (the customer's own fields and its non-clinical relations and
    // prescriptions; its other clinical relations), each down to the relations' rows; the lookup and the
    // mutation payload go all the way (findings, consent history).
    readQueries = LIST_PARTS.map((part, i) => `query AuthzProperty${i}($search: String, $storeId: ID) {
      customers(first: 100, search: $search, storeId: $storeId) { totalCount edges { node { ${part.customerFields ? selection('Customer', false) : ''} ${relationsSelection(part.relations, false)} } } }
      ${i === 0 ? 'everyone: customers(first: 1) { totalCount }' : ''}
    }`);
    lookupQuery = `query AuthzPropertyLookup($id: ID!) { lookup: customer(id: $id) { ${customer} } }`;
    updateMutation = `mutation AuthzPropertyUpdate($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { ${customer} } }`;

    // The demo topology, as the seed wrote it.
    const chainId = {} as Record<ChainKey, string>;
    const staffId = {} as Record<ChainKey, string>;
    const regionId = new Map<string, string>();
    const storeId = new Map<string, string>();
    for (const chain of CHAIN_KEYS) {
      const [row]: { id: string }[] = await app.core.query('SELECT id FROM chain WHERE name = $1', [TOPOLOGY[chain].name]);
      chainId[chain] = row.id;
      const stores: { store: string; region: string; store_id: string; region_id: string }[] = await app.core.query(
        `SELECT s.name AS store, r.name AS region, s.id AS store_id, r.id AS region_id
           FROM store s JOIN region r ON r.id = s.region_id WHERE s.chain_id = $1`,
        [row.id],
      );
      expect(stores.map((s) => `${s.region}/${s.store}`).sort()).toEqual(storesOf(chain).map((s) => `${regionOfStore(chain, s)}/${s}`).sort());
      for (const s of stores) {
        storeId.set(key(chain, s.store), s.store_id);
        regionId.set(key(chain, s.region), s.region_id);
      }
      const [staff]: { id: string }[] = await app.core.query('SELECT id FROM staff_user WHERE chain_id = $1 ORDER BY email LIMIT 1', [row.id]);
      staffId[chain] = staff.id;
    }
    const [demo]: { password_hash: string }[] = await app.core.query(`SELECT password_hash FROM staff_user WHERE email = '${EMAIL.leedsReception}'`);
    world = { chainId, regionId, storeId, staffId, passwordHash: demo.password_hash };
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Writes one case; returns its customers, the new users' emails and the customers each holds an emergency access in force for. */
  async function write(c: Case, exec: number, token: string): Promise<{ customers: ModelCustomer[]; emails: string[]; emergencyCustomers: Set<string>[] }> {
    const core: Values[][] = [[], [], [], [], []]; // role, role_permission, staff_user, role_assignment, emergency_access
    const roleIds = new Map<string, string>();
    const roleId = (chain: ChainKey, index: number): string => {
      const k = `${chain}/${index}`;
      let id = roleIds.get(k);
      if (!id) {
        id = randomUUID();
        roleIds.set(k, id);
        core[0].push({ id, chainId: world.chainId[chain], name: `prop ${exec} R${index}`, description: 'property suite' });
        for (const entry of c.roles[index]) core[1].push({ id: randomUUID(), roleId: id, action: entry.action, subject: entry.subject, fields: entry.fields });
      }
      return id;
    };
    const customers = materialise(world, c, token);
    const emergencyCustomers: Set<string>[] = [];
    const now = Date.now();
    const emails = c.users.map((user, u) => {
      const id = randomUUID();
      const email = `prop-${exec}-${u}@authz-property.test`;
      core[2].push({ id, chainId: world.chainId[user.chain], name: `Prop ${exec}/${u}`, email, profession: 'OPTICAL_ASSISTANT', passwordHash: world.passwordHash });
      for (const a of user.assignments) {
        core[3].push({
          id: randomUUID(),
          chainId: world.chainId[user.chain],
          userId: id,
          roleId: roleId(user.chain, a.role % c.roles.length),
          scopeType: a.scope.scope,
          regionId: a.scope.scope === 'REGION' ? world.regionId.get(key(user.chain, a.scope.region)) : null,
          storeId: a.scope.scope === 'STORE' ? world.storeId.get(key(user.chain, a.scope.store)) : null,
          ...windowColumns(a.window),
        });
      }
      // Break the glass: an emergency access of the user's chain (the customer may be of the other chain).
      const inForce = new Set<string>();
      for (const e of user.emergencies) {
        const customer = customers[e.customer % customers.length];
        if (e.inForce) inForce.add(customer.customerId);
        core[4].push({
          id: randomUUID(), chainId: world.chainId[user.chain], userId: id, customerId: customer.customerId, storeId: customer.values.homeStoreId,
          reason: 'property suite: emergency', grantedAt: new Date(now - (e.inForce ? 60_000 : 2 * DAY)), expiresAt: new Date(e.inForce ? now + DAY : now - DAY),
          sessionId: randomUUID(), requestId: `prop-${exec}-${u}`, clientAddress: null,
        });
      }
      emergencyCustomers.push(inForce);
      return email;
    });
    const rowsOf = (relation: Relation) => customers.flatMap((m) => m.relations[relation].map((r) => r.values));
    const childrenOf = (relation: Relation, field: string) =>
      customers.flatMap((m) => m.relations[relation].flatMap((r) => (r.children?.[field] ?? []).map((child) => child.values)));

    await insertRows(app.core, 'role', core[0]);
    await insertRows(app.core, 'role_permission', core[1]);
    await insertRows(app.core, 'staff_user', core[2]);
    await insertRows(app.core, 'role_assignment', core[3]);
    await insertRows(app.core, 'emergency_access', core[4]);
    await insertRows(app.core, 'customer', customers.map((m) => m.values));
    await Promise.all([
      (async () => {
        await insertRows(app.core, 'appointment', rowsOf('appointments'));
        await insertRows(app.core, 'consent_event', childrenOf('consents', 'history'));
        await insertRows(app.core, 'consent', rowsOf('consents'));
      })(),
      (async () => {
        // Clinical free text is stored encrypted (test/encryption): the inserted copies are sealed, the model keeps the text.
        await insertRows(app.clinical, 'examination', await sealRows(app.clinical, 'Examination', rowsOf('examinations')));
        await insertRows(app.clinical, 'refraction', childrenOf('examinations', 'refractions'));
        await insertRows(app.clinical, 'visual_acuity', childrenOf('examinations', 'visualAcuities'));
        await insertRows(app.clinical, 'intraocular_pressure', childrenOf('examinations', 'intraocularPressures'));
      })(),
      insertRows(app.clinical, 'spectacle_prescription', rowsOf('spectaclePrescriptions')),
      insertRows(app.clinical, 'contact_lens_specification', rowsOf('contactLensSpecifications')),
      (async () => insertRows(app.clinical, 'clinical_note', await sealRows(app.clinical, 'ClinicalNote', rowsOf('clinicalNotes'))))(),
    ]);
    // Abilities are cached per user and invalidated by the chain's authz version.
    await app.core.query('UPDATE chain SET authz_version = authz_version + 1');
    return { customers, emails, emergencyCustomers };
  }

  /** Customers of the user's chain at the stores where the oracle lets the user read Customer, or opened by an emergency access. */
  async function visibleCount(oracle: Oracle, chain: ChainKey, emergencyCustomers: Set<string>): Promise<number> {
    const stores = storesOf(chain).filter((store) => oracle.mayRead('Customer', null, { at: { chain, store }, customerId: '' }, false)).map((store) => world.storeId.get(key(chain, store)));
    const [row]: { n: number }[] = await app.core.query(
      'SELECT count(*)::int AS n FROM customer WHERE chain_id = $1 AND (home_store_id = ANY($2::uuid[]) OR id = ANY($3::uuid[]))',
      [world.chainId[chain], stores, [...emergencyCustomers]],
    );
    return row.n;
  }

  /** One user's read: the filtered list, the unfiltered count and one customer(id), in one request. */
  async function read(c: Case, u: number, oracle: Oracle, customers: ModelCustomer[], token: string, session: string, emergencyCustomers: Set<string>): Promise<string[]> {
    const user = c.users[u];
    const who = `users[${u}]`;
    const storeFilter = user.storeFilter ? world.storeId.get(key(user.chain, user.storeFilter)) : null;
    const lookup = pick(customers, user.lookup.index, user.lookup.among === 'visible' ? (m) => oracle.mayRead('Customer', null, rowRef(m)) : () => true);
    const [result, second, looked, everyone] = await Promise.all([
      app.request<ListAnswer>(readQueries[0], { search: token, storeId: storeFilter }, session),
      app.request<ListAnswer>(readQueries[1], { search: token, storeId: storeFilter }, session),
      app.request<{ lookup: Values | null }>(lookupQuery, { id: lookup.customerId }, session),
      visibleCount(oracle, user.chain, emergencyCustomers),
    ]);
    tally.requests.customers += 1;
    tally.requests['customer(id)'] += 1;
    const listChecker = new Checker(who, oracle, scalars, tally, 'customers', true, result, false);
    const secondChecker = new Checker(who, oracle, scalars, tally, 'customers', true, second, false);
    const lookupChecker = new Checker(who, oracle, scalars, tally, 'customer(id)', true, looked);

    if (!oracle.mayRead('Customer', null, null)) {
      // No Customer rule at all: the operation guard refuses all three. `customers` is non-null, so the first
      // refusal nulls `data` (graphql-js may stop before the siblings and report one error only).
      tally.refused.customers += 1;
      tally.refused['customer(id)'] += 1;
      tally.rowChecks += 1;
      if (result.data) listChecker.fail('data', `expected null, got ${JSON.stringify(result.data)}`);
      const refused = (result.errors ?? []).filter((e) => ['customers', 'everyone'].includes((e.path ?? []).join('.')));
      if (refused.length === 0) listChecker.fail('customers', 'denied, but no error');
      for (const e of refused) listChecker.expectForbidden((e.path ?? []).join('.'), null, 'Customer');
      if (second.data) secondChecker.fail('data', `expected null, got ${JSON.stringify(second.data)}`);
      secondChecker.expectForbidden('customers', null, 'Customer');
      lookupChecker.expectForbidden('lookup', looked.data?.lookup, 'Customer');
      return [...listChecker.finish(), ...secondChecker.finish(), ...lookupChecker.finish()];
    }
    if (!listChecker.expectNoError('customers') || !listChecker.expectNoError('everyone') || !result.data || !secondChecker.expectNoError('customers') || !second.data) {
      return [...listChecker.finish(), ...secondChecker.finish(), ...lookupChecker.finish()];
    }

    // Which of the case's customers this search returns: readable; the token in a searchable field the
    // user may read on that row; and, with a store filter, at that store with homeStoreId readable.
    const expected = customers.filter((m) => {
      tally.rowChecks += 1;
      if (!oracle.mayRead('Customer', null, rowRef(m))) return false;
      if (!m.spec.searchIn.some((f) => oracle.mayRead('Customer', f, rowRef(m)))) return false;
      if (user.storeFilter && (m.at.chain !== user.chain || m.at.store !== user.storeFilter || !oracle.mayRead('Customer', 'homeStoreId', rowRef(m)))) return false;
      return true;
    });
    tally.returned += expected.length;
    if (result.data.everyone.totalCount !== everyone) listChecker.fail('everyone.totalCount', `expected ${everyone}, got ${result.data.everyone.totalCount}`);
    const listOf = (l: ModelCustomer[]) => l.map((m) => `${String(m.values.id)}@${m.at.store}`).join(', ') || 'none';
    for (const [part, answer, checker] of [[LIST_PARTS[0], result.data, listChecker], [LIST_PARTS[1], second.data, secondChecker]] as const) {
      const { totalCount, edges } = answer.customers;
      tally.rowChecks += 1;
      if (totalCount !== expected.length) checker.fail('customers.totalCount', `expected ${expected.length} (${listOf(expected)}), got ${totalCount}`);
      if (edges.length !== expected.length) {
        checker.fail('customers.edges', `expected ${expected.length} (${listOf(expected)}), got ${edges.length} (ids ${edges.map((e) => String(e.node.id)).join(', ')})`);
      } else {
        // Listed by id, so the k-th edge is the k-th expected customer.
        expected.forEach((m, k) => checker.customer(m, edges[k].node, `customers.edges.${k}.node`, part.customerFields, part.relations));
      }
    }

    // customer(id): the same rules; outside the caller's scope NOT_FOUND (existence is not disclosed).
    tally.rowChecks += 1;
    if (!oracle.mayRead('Customer', null, rowRef(lookup))) {
      tally.refused['customer(id)'] += 1;
      lookupChecker.expectCode('lookup', looked.data?.lookup, 'NOT_FOUND', 'Customer');
    } else if (lookupChecker.expectNoError('lookup')) {
      if (!looked.data?.lookup) lookupChecker.fail('lookup', 'allowed, but null');
      else {
        tally.returned += 1;
        lookupChecker.customer(lookup, looked.data.lookup, 'lookup');
      }
    }
    return [...listChecker.finish(), ...secondChecker.finish(), ...lookupChecker.finish()];
  }

  /** One user's updateCustomer (a field set to the value it has): refused as the rules say, else its payload obeys the read rules. */
  async function update(c: Case, u: number, oracle: Oracle, customers: ModelCustomer[], session: string): Promise<string[]> {
    const spec = c.users[u].update;
    if (!spec) return [];
    const target = pick(customers, spec.customer, (m) => oracle.mayRead('Customer', null, rowRef(m), false));
    const result = await app.request<{ updateCustomer: Values | null }>(updateMutation, { id: target.customerId, input: { [spec.field]: target.values[spec.field] } }, session);
    tally.requests.updateCustomer += 1;
    // A mutation runs without emergency access: break the glass is read-only.
    const checker = new Checker(`users[${u}]`, oracle, scalars, tally, 'updateCustomer', false, result);
    const value = result.data?.updateCustomer ?? null;
    tally.rowChecks += 1;
    if (!oracle.mayUpdate('Customer', null, null)) {
      tally.refused.updateCustomer += 1;
      checker.expectForbidden('updateCustomer', value, 'Customer');
    } else if (!oracle.mayRead('Customer', null, rowRef(target), false)) {
      tally.refused.updateCustomer += 1;
      checker.expectCode('updateCustomer', value, 'NOT_FOUND', 'Customer');
    } else if (!oracle.mayUpdate('Customer', spec.field, target.at)) {
      tally.refused.updateCustomer += 1;
      checker.expectForbidden('updateCustomer', value, 'Customer');
    } else if (checker.expectNoError('updateCustomer')) {
      if (!value) checker.fail('updateCustomer', 'allowed, but null');
      else {
        tally.returned += 1;
        // The update stamps updatedAt: that field is checked for resolving or being denied, not for its value.
        checker.customer({ ...target, values: { ...target.values, updatedAt: undefined } }, value, 'updateCustomer');
      }
    }
    return checker.finish();
  }

  async function check(c: Case): Promise<void> {
    executions += 1;
    const exec = executions;
    const token = `pq${exec.toString(36)}x${randomBytes(4).toString('hex')}`; // no token contains another
    const { customers, emails, emergencyCustomers } = await write(c, exec, token);
    const sessions = await Promise.all(emails.map((email) => app.login(email)));
    const oracles = c.users.map((user, u) => new Oracle(user, c.roles, emergencyCustomers[u]));

    const mismatches: string[] = [];
    // Every user reads; then (so that no read races a write) the updates run.
    for (const found of await Promise.all(c.users.map((_user, u) => read(c, u, oracles[u], customers, token, sessions[u], emergencyCustomers[u])))) mismatches.push(...found);
    for (const found of await Promise.all(c.users.map((_user, u) => update(c, u, oracles[u], customers, sessions[u])))) mismatches.push(...found);

    tally.runs += 1;
    tally.users += c.users.length;
    tally.pairs += c.users.length * customers.length;
    tally.emergenciesInForce += emergencyCustomers.reduce((n, set) => n + set.size, 0);
    for (const entry of c.roles.flat()) tally.entries[entry.action] = (tally.entries[entry.action] ?? 0) + 1;
    if (mismatches.length > 0) {
      const shown = mismatches.slice(0, 20).join('\n  ');
      throw new Error(`${mismatches.length} disagreement(s) between the API and the oracle:\n  ${shown}${mismatches.length > 20 ? '\n  …' : ''}`);
    }
  }

  it(
    'every returned row and field is one the oracle allows, and nothing allowed is missing',
    async () => {
      const started = Date.now();
      await fc.assert(fc.asyncProperty(caseArb, check), { numRuns: NUM_RUNS, seed: ENV_SEED, path: ENV_PATH });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const fieldChecks = Object.values(tally.fieldChecks).reduce((a, b) => a + b, 0);
      const perQuery = (counts: Record<QueryKind, number>) => Object.entries(counts).map(([q, n]) => `${q} ${n}`).join(', ');
      console.log(
        `property suite: ${tally.runs} runs, ${tally.users} users, ${tally.pairs} (user, customer) cases; ` +
          `role entries by action: ${Object.entries(tally.entries).map(([a, n]) => `${a} ${n}`).join(', ')}; ${tally.emergenciesInForce} emergency accesses in force; ` +
          `requests: ${perQuery(tally.requests)} (refused outright: ${perQuery(tally.refused)}); ` +
          `${tally.rowChecks} row checks (${tally.returned} rows expected back); ` +
          `${fieldChecks} (user's roles, query, field) checks: ${perQuery(tally.fieldChecks)}, of which ${tally.emergencyFieldChecks} opened by an emergency access only; in ${seconds} s`,
      );
      if (!process.env.FC_RUNS && !ENV_PATH) {
        expect(tally.pairs).toBeGreaterThanOrEqual(MIN.pairs);
        expect(fieldChecks).toBeGreaterThanOrEqual(MIN.fieldChecks);
        expect(tally.emergencyFieldChecks).toBeGreaterThanOrEqual(MIN.emergencyFieldChecks);
        expect(tally.fieldChecks.updateCustomer).toBeGreaterThanOrEqual(MIN.mutationFieldChecks);
      }
    },
    15 * 60_000,
  );
});
