/**
 * Proof that what chain managers configure is exactly what the API enforces (issue 3, item 8): a
 * property-based suite (fast-check) over random role matrices, assignments and records.
 *
 * Each generated case is plain data (printed as is when it fails):
 * - `roles`: role templates, each a list of `read` entries on Customer, Appointment, Examination,
 *   SpectaclePrescription, ClinicalNote or Consent with a random subset of the subject's catalog fields
 *   (`fields: null` = every field; `[]` grants nothing). A template is created in every chain that uses it.
 * - `users`: new staff users of either demo chain, each holding some of those roles (`role` is an index,
 *   taken modulo the number of roles) at CHAIN, REGION or STORE scope, with a validity `window` (open,
 *   current, ended, future), and optionally listing with a `storeFilter` (the `storeId` argument).
 * - `customers`: customers of one chain at random home stores, with appointments, examinations,
 *   spectacle prescriptions and clinical notes at random stores of that chain (the names listed are the
 *   rows' stores) and consents; `searchIn` says which of lastName / firstName / email / phone carry the
 *   case's search token; `sparse` leaves nullable columns null.
 * The case is written with plain SQL into this suite's own databases (unique names and a unique search
 * token per execution, so executions never see each other's rows), the chains' authz version is bumped,
 * every user signs in and lists `customers(first: 100, search: <token>, storeId: <filter>)` with every
 * scalar field of the customer and of its nested rows, plus the unfiltered `totalCount`. An oracle written
 * here (no CASL and no src/policies code, only the catalog's field lists) decides which rows must be
 * returned and counted and which fields must resolve or be FORBIDDEN: (1) every returned row is allowed,
 * (2) nothing allowed is missing (row lists and totalCount), (3) every field resolves, with the stored
 * value, exactly when allowed, and is null with a FORBIDDEN error at its path (naming the field, not its
 * value) when denied; no other error is tolerated. A field stored as null is allowed when it has no error.
 *
 * Replay a failure: fast-check prints the shrunk case with its `seed` and `path`; run
 *   FC_SEED=<seed> FC_PATH=<path> npx jest test/authz-property.test.ts
 * to rerun exactly that case (FC_SEED alone replays the whole sequence; FC_RUNS=<n> sets the number of runs).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { buildSchema, getNamedType, GraphQLObjectType, isLeafType } from 'graphql';
import { DataSource } from 'typeorm';
import { CATALOG } from '../src/policies/catalog';
import { GraphQLErrorShape, GraphQLResult } from './support/graphql-client';
import { startTestApp, TestApp } from './support/test-app';

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

const SUBJECTS = ['Customer', 'Appointment', 'Examination', 'SpectaclePrescription', 'ClinicalNote', 'Consent'] as const;
type Subject = (typeof SUBJECTS)[number];

/** The catalog's field lists (the only thing taken from src/policies). */
const CATALOG_FIELDS = Object.fromEntries(
  SUBJECTS.map((name) => {
    const entry = CATALOG.find((s) => s.name === name);
    if (!entry) throw new Error(`catalog has no subject ${name}`);
    return [name, entry.fields.map((f) => f.name)];
  }),
) as Record<Subject, string[]>;

/** A customer's relations and the subject each leads to (DESIGN.md: governed at the customer's home store). */
const RELATIONS = {
  appointments: 'Appointment',
  examinations: 'Examination',
  spectaclePrescriptions: 'SpectaclePrescription',
  clinicalNotes: 'ClinicalNote',
  consents: 'Consent',
} as const satisfies Record<string, Subject>;
type Relation = keyof typeof RELATIONS;
const RELATION_NAMES = Object.keys(RELATIONS) as Relation[];
type RecordRelation = Exclude<Relation, 'consents'>;

const SEARCHABLE = ['lastName', 'firstName', 'email', 'phone'] as const;
type Searchable = (typeof SEARCHABLE)[number];
/** consent_channel enum order (consents are listed by channel, or by id: ids are made to agree). */
const CHANNELS = ['SMS', 'EMAIL', 'MAIL', 'SOCIAL_MEDIA'] as const;

// ---------------------------------------------------------------------------------------------
// Generated cases: plain data.

interface Entry {
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
}
interface CustomerSpec {
  homeStore: string;
  searchIn: Searchable[];
  sparse: boolean;
  appointments: string[];
  examinations: string[];
  spectaclePrescriptions: string[];
  clinicalNotes: string[];
  consents: (typeof CHANNELS)[number][];
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
      subject: fc.constant(subject),
      // null (every field) a third of the time, else a random subset (possibly empty: grants nothing).
      fields: fc.option(fc.subarray(CATALOG_FIELDS[subject]), { nil: null, freq: 3 }),
    }),
  })),
);

const MAX_ROLES = 3;

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
      { maxLength: 3 },
    ),
    storeFilter: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...storesOf(chain)) }),
  });
}

function customersArb(chain: ChainKey): fc.Arbitrary<Case['customers']> {
  const store = fc.constantFrom(...storesOf(chain));
  const records = fc.array(store, { maxLength: 3 });
  const customer: fc.Arbitrary<CustomerSpec> = fc.record({
    homeStore: store,
    searchIn: fc.subarray([...SEARCHABLE]),
    sparse: fc.boolean(),
    appointments: records,
    examinations: records,
    spectaclePrescriptions: records,
    clinicalNotes: records,
    consents: fc.subarray([...CHANNELS]),
  });
  return fc.record({ chain: fc.constant(chain), list: fc.array(customer, { minLength: 1, maxLength: 8 }) });
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  roles: fc.array(fc.array(entryArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: MAX_ROLES }),
  users: fc.array(fc.oneof({ weight: 4, arbitrary: userArb('Clearview') }, { weight: 1, arbitrary: userArb('Lakeside') }), { minLength: 1, maxLength: 4 }),
  customers: fc.oneof({ weight: 5, arbitrary: customersArb('Clearview') }, { weight: 1, arbitrary: customersArb('Lakeside') }),
});

// ---------------------------------------------------------------------------------------------
// The oracle: the rules of DESIGN.md and issue 3, written out without CASL.

interface StoreRef {
  chain: ChainKey;
  store: string;
}

class Oracle {
  constructor(private readonly user: UserSpec, private readonly roles: Entry[][]) {}

  private covers(scope: Scope, at: StoreRef): boolean {
    if (at.chain !== this.user.chain) return false; // no rule ever crosses chains
    if (scope.scope === 'CHAIN') return true;
    if (scope.scope === 'REGION') return regionOfStore(at.chain, at.store) === scope.region;
    return scope.store === at.store;
  }

  /**
   * May the user read `subject` (field `field`, or any field when null: the row itself) at store `at`
   * (anywhere in their chain when null)? An entry without a field list grants every catalog field; an
   * empty field list grants nothing; a field the catalog does not list is never readable; only assignments in
   * force now (validFrom <= now < validUntil) grant anything.
   */
  mayRead(subject: Subject, field: string | null, at: StoreRef | null): boolean {
    if (field !== null && !CATALOG_FIELDS[subject].includes(field)) return false;
    return this.user.assignments.some(
      (a) =>
        IN_FORCE[a.window] &&
        (at === null || this.covers(a.scope, at)) &&
        this.roles[a.role % this.roles.length].some(
          (e) => e.subject === subject && (e.fields === null || (field === null ? e.fields.length > 0 : e.fields.includes(field))),
        ),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Materialised cases: the rows written, and what each GraphQL field should return.

type Values = Record<string, unknown>;
interface ModelRow {
  at: StoreRef;
  /** camelCase columns as inserted; Date values are timestamps, compared as instants. */
  values: Values;
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

    const recordRows = (relation: RecordRelation, build: (at: StoreRef, rowId: string, k: number) => Values): ModelRow[] => {
      const stores = spec[relation];
      const ids = sortedIds(stores.length);
      return stores.map((store, k) => {
        const at: StoreRef = { chain, store };
        const rowValues = build(at, ids[k], k);
        return { at, values: { id: ids[k], chainId, storeId: world.storeId.get(key(chain, store)), customerId: id, ...rowValues } };
      });
    };
    // Every list is ordered newest first, then by id: the k-th id gets the k-th newest time.
    const when = (k: number) => new Date(base - (k + 1) * DAY);
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
      examinations: recordRows('examinations', (_at, _id, k) => ({
        practitionerId: staff,
        examinedAt: when(k),
        reasonForVisit: sparse ? null : 'Routine sight test',
        history: sparse ? null : 'No ocular history',
        status: sparse ? 'DRAFT' : 'SIGNED',
        signedAt: sparse ? null : new Date(when(k).getTime() + 3600_000),
        signedById: sparse ? null : staff,
        createdAt: when(k),
        updatedAt: when(k),
      })),
      spectaclePrescriptions: recordRows('spectaclePrescriptions', (_at, _id, k) => ({
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
      clinicalNotes: recordRows('clinicalNotes', (_at, _id, k) => ({
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
        return channels.map((channel, k) => ({
          at: home, // a consent is in its customer's home store's scope
          values: {
            id: ids[k],
            chainId,
            customerId: id,
            channel,
            granted: !sparse,
            changedAt: when(k),
            actor: sparse ? 'CUSTOMER' : 'STAFF',
            recordedById: sparse ? null : staff,
            source: 'IN_STORE',
            wordingVersion: 'v1',
          },
        }));
      })(),
    };
    return { spec, at: home, values, relations };
  });
}

// ---------------------------------------------------------------------------------------------
// Checking one answer against the oracle.

interface Tally {
  runs: number;
  users: number;
  pairs: number;
  rowChecks: number;
  fieldChecks: number;
  /** Customers and nested rows the oracle expected in an answer (so allowed, not only denied, paths are exercised). */
  returned: number;
}

class Checker {
  readonly mismatches: string[] = [];
  private readonly errors = new Map<string, GraphQLErrorShape>();

  constructor(
    private readonly who: string,
    private readonly oracle: Oracle,
    private readonly scalars: Record<string, string[]>,
    private readonly tally: Tally,
    result: GraphQLResult<unknown>,
  ) {
    for (const error of result.errors ?? []) {
      const where = (error.path ?? []).join('.');
      if (this.errors.has(where)) this.fail(where, `two errors at one path: ${error.message}`);
      this.errors.set(where, error);
    }
  }

  fail(where: string, what: string): void {
    this.mismatches.push(`${this.who} ${where}: ${what}`);
  }

  /** The error at this path, consumed (whatever is left at the end was not expected). */
  private take(where: string): GraphQLErrorShape | undefined {
    const error = this.errors.get(where);
    this.errors.delete(where);
    return error;
  }

  expectForbidden(where: string, value: unknown, field: string, stored?: unknown): void {
    const error = this.take(where);
    if (!error) this.fail(where, 'denied, but no error');
    else {
      if (error.extensions?.code !== 'FORBIDDEN') this.fail(where, `denied, but error code ${error.extensions?.code}`);
      if (!error.message.includes(field)) this.fail(where, `error message does not name the field: ${error.message}`);
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
  row(typeName: Subject, model: ModelRow, actual: Values, where: string): void {
    for (const field of this.scalars[typeName]) {
      const fieldPath = `${where}.${field}`;
      const stored = model.values[field];
      const value = actual[field];
      this.tally.fieldChecks += 1;
      if (!this.oracle.mayRead(typeName, field, model.at)) {
        this.expectForbidden(fieldPath, value, field, stored);
        continue;
      }
      if (!this.expectNoError(fieldPath)) continue;
      if (stored === undefined) continue; // a field the suite does not store: no error is all it can check
      const same = stored instanceof Date ? typeof value === 'string' && Date.parse(value) === stored.getTime() : value === stored;
      if (!same) this.fail(fieldPath, `expected ${JSON.stringify(stored)}, got ${JSON.stringify(value)}`);
    }
  }

  customer(model: ModelCustomer, actual: Values, where: string): void {
    this.row('Customer', model, actual, where);
    for (const relation of RELATION_NAMES) {
      const subject = RELATIONS[relation];
      const relPath = `${where}.${relation}`;
      const list = actual[relation];
      this.tally.rowChecks += 1;
      // The relation is governed by the caller's rights at the customer's home store.
      if (!this.oracle.mayRead(subject, null, model.at)) {
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
      const expected = rows.filter((r) => this.oracle.mayRead(subject, null, r.at));
      this.tally.rowChecks += rows.length;
      this.tally.returned += expected.length;
      if (list.length !== expected.length) {
        this.fail(relPath, `expected ${expected.length} rows (${expected.map((r) => `${String(r.values.id)}@${r.at.store}`).join(', ')}) of ${rows.length}, got ${list.length} (ids ${list.map((r: Values) => String(r.id)).join(', ')})`);
        continue;
      }
      expected.forEach((r, k) => this.row(subject, r, list[k] as Values, `${relPath}.${k}`));
    }
  }

  finish(): void {
    for (const [where, error] of this.errors) this.fail(where, `unexpected error ${error.extensions?.code}: ${error.message}`);
    this.errors.clear();
  }
}

// ---------------------------------------------------------------------------------------------

const ENV_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const ENV_PATH = process.env.FC_PATH || undefined;
const NUM_RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 380;
const MIN_PAIRS = 3000;

describe('authorization property: random role matrices x assignments x records, through GraphQL', () => {
  let app: TestApp;
  let world: World;
  let scalars: Record<string, string[]>;
  let query: string;
  let executions = 0;
  const tally: Tally = { runs: 0, users: 0, pairs: 0, rowChecks: 0, fieldChecks: 0, returned: 0 };

  beforeAll(async () => {
    app = await startTestApp();

    // Every scalar field of the types read, from the emitted schema.
    const schema = buildSchema(readFileSync(path.join(__dirname, '../src/schema/schema.graphql'), 'utf8'));
    scalars = Object.fromEntries(
      SUBJECTS.map((name) => {
        const type = schema.getType(name) as GraphQLObjectType;
        return [name, Object.values(type.getFields()).filter((f) => isLeafType(getNamedType(f.type))).map((f) => f.name)];
      }),
    );
    const selection = (name: Subject) => scalars[name].join(' ');
    const nested = RELATION_NAMES.map((relation) => `${relation} { ${selection(RELATIONS[relation])} }`).join(' ');
    query = `query AuthzProperty($search: String, $storeId: ID) {
      customers(first: 100, search: $search, storeId: $storeId) { totalCount edges { node { ${selection('Customer')} ${nested} } } }
      everyone: customers(first: 1) { totalCount }
    }`;

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
    const [demo]: { password_hash: string }[] = await app.core.query(`SELECT password_hash FROM staff_user WHERE email = 'leeds.reception@clearview.example'`);
    world = { chainId, regionId, storeId, staffId, passwordHash: demo.password_hash };
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Writes one case; returns its customers and the new users' emails. */
  async function write(c: Case, exec: number, token: string): Promise<{ customers: ModelCustomer[]; emails: string[] }> {
    const core: Values[][] = [[], [], [], []]; // role, role_permission, staff_user, role_assignment
    const roleIds = new Map<string, string>();
    const roleId = (chain: ChainKey, index: number): string => {
      const k = `${chain}/${index}`;
      let id = roleIds.get(k);
      if (!id) {
        id = randomUUID();
        roleIds.set(k, id);
        core[0].push({ id, chainId: world.chainId[chain], name: `prop ${exec} R${index}`, description: 'property suite' });
        for (const entry of c.roles[index]) core[1].push({ id: randomUUID(), roleId: id, action: 'read', subject: entry.subject, fields: entry.fields });
      }
      return id;
    };
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
      return email;
    });
    const customers = materialise(world, c, token);
    const rowsOf = (relation: Relation) => customers.flatMap((m) => m.relations[relation].map((r) => r.values));

    await insertRows(app.core, 'role', core[0]);
    await insertRows(app.core, 'role_permission', core[1]);
    await insertRows(app.core, 'staff_user', core[2]);
    await insertRows(app.core, 'role_assignment', core[3]);
    await insertRows(app.core, 'customer', customers.map((m) => m.values));
    await Promise.all([
      (async () => {
        await insertRows(app.core, 'appointment', rowsOf('appointments'));
        await insertRows(app.core, 'consent', rowsOf('consents'));
      })(),
      insertRows(app.clinical, 'examination', rowsOf('examinations')),
      insertRows(app.clinical, 'spectacle_prescription', rowsOf('spectaclePrescriptions')),
      insertRows(app.clinical, 'clinical_note', rowsOf('clinicalNotes')),
    ]);
    // Abilities are cached per user and invalidated by the chain's authz version.
    await app.core.query('UPDATE chain SET authz_version = authz_version + 1');
    return { customers, emails };
  }

  /** Customers of the chain at the stores where the oracle lets the user read Customer. */
  async function visibleCount(oracle: Oracle, chain: ChainKey): Promise<number> {
    const stores = storesOf(chain).filter((store) => oracle.mayRead('Customer', null, { chain, store })).map((store) => world.storeId.get(key(chain, store)));
    const [row]: { n: number }[] = await app.core.query('SELECT count(*)::int AS n FROM customer WHERE chain_id = $1 AND home_store_id = ANY($2::uuid[])', [world.chainId[chain], stores]);
    return row.n;
  }

  async function check(c: Case): Promise<void> {
    executions += 1;
    const exec = executions;
    const token = `pq${exec.toString(36)}x${randomBytes(4).toString('hex')}`; // no token contains another
    const { customers, emails } = await write(c, exec, token);
    const tokens = await Promise.all(emails.map((email) => app.login(email)));

    const mismatches: string[] = [];
    await Promise.all(
      c.users.map(async (user, u) => {
        const who = `users[${u}]`;
        const oracle = new Oracle(user, c.roles);
        const storeFilter = user.storeFilter ? world.storeId.get(key(user.chain, user.storeFilter)) : null;
        const [result, everyone] = await Promise.all([
          app.request<{ customers: { totalCount: number; edges: { node: Values }[] }; everyone: { totalCount: number } }>(query, { search: token, storeId: storeFilter }, tokens[u]),
          visibleCount(oracle, user.chain),
        ]);
        const checker = new Checker(who, oracle, scalars, tally, result);
        tally.users += 1;
        tally.pairs += customers.length;

        if (!oracle.mayRead('Customer', null, null)) {
          // No Customer rule at all: the operation guard refuses the lists. Both are non-null, so the first
          // refusal nulls `data` (graphql-js may stop before the sibling and report one error only).
          tally.rowChecks += 1;
          if (result.data) checker.fail('data', `expected null, got ${JSON.stringify(result.data)}`);
          const refused = (result.errors ?? []).filter((e) => ['customers', 'everyone'].includes((e.path ?? []).join('.')));
          if (refused.length === 0) checker.fail('customers', 'denied, but no error');
          for (const e of refused) checker.expectForbidden((e.path ?? []).join('.'), null, 'Customer');
          checker.finish();
          mismatches.push(...checker.mismatches);
          return;
        }
        if (!checker.expectNoError('customers') || !checker.expectNoError('everyone') || !result.data) {
          checker.finish();
          mismatches.push(...checker.mismatches);
          return;
        }

        // Which of the case's customers this search returns: readable at the home store; the token in a
        // searchable field the user may read there; and, with a store filter, at that store with homeStoreId readable.
        const expected = customers.filter((m) => {
          tally.rowChecks += 1;
          if (!oracle.mayRead('Customer', null, m.at)) return false;
          if (!m.spec.searchIn.some((f) => oracle.mayRead('Customer', f, m.at))) return false;
          if (user.storeFilter && (m.at.chain !== user.chain || m.at.store !== user.storeFilter || !oracle.mayRead('Customer', 'homeStoreId', m.at))) return false;
          return true;
        });
        tally.returned += expected.length;
        const { totalCount, edges } = result.data.customers;
        tally.rowChecks += 1;
        if (result.data.everyone.totalCount !== everyone) checker.fail('everyone.totalCount', `expected ${everyone}, got ${result.data.everyone.totalCount}`);
        const listOf = (list: ModelCustomer[]) => list.map((m) => `${String(m.values.id)}@${m.at.store}`).join(', ') || 'none';
        if (totalCount !== expected.length) checker.fail('customers.totalCount', `expected ${expected.length} (${listOf(expected)}), got ${totalCount}`);
        if (edges.length !== expected.length) {
          checker.fail('customers.edges', `expected ${expected.length} (${listOf(expected)}), got ${edges.length} (ids ${edges.map((e) => String(e.node.id)).join(', ')})`);
        } else {
          // Listed by id, so the k-th edge is the k-th expected customer.
          expected.forEach((m, k) => checker.customer(m, edges[k].node, `customers.edges.${k}.node`));
        }
        checker.finish();
        mismatches.push(...checker.mismatches);
      }),
    );
    tally.runs += 1;
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
      console.log(
        `property suite: ${tally.runs} runs, ${tally.users} users, ${tally.pairs} (user, customer) cases, ` +
          `${tally.rowChecks} row checks (${tally.returned} rows expected back), ${tally.fieldChecks} field checks in ${seconds} s`,
      );
      if (!process.env.FC_RUNS && !ENV_PATH) expect(tally.pairs).toBeGreaterThanOrEqual(MIN_PAIRS);
    },
    15 * 60_000,
  );
});
