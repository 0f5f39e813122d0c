/**
 * The demo seed: chain "Clearview Opticians" (regions North: Leeds, York, Harrogate; South:
 * Bristol, Bath) and "Lakeside Eyecare" (one store), the demo users and roles listed in the README
 * (password `Visus-demo-2026!`), and a few hundred customers with consents, appointments and
 * clinical records, and for Clearview the audit scenario a DPO reviews (src/seed/audit-scenario.ts) and one
 * restricted and one objected Leeds customer (src/seed/restriction-scenario.ts), and five data-subject requests in the
 * request register (src/seed/data-request-scenario.ts), and one user with TOTP on (src/seed/mfa-demo-user.ts). The BI user is a
 * restricted and one objected Leeds customer (src/seed/restriction-scenario.ts), and three Bath customers whose
 * retention has ended, one of them under a legal hold (src/seed/retention-scenario.ts). The BI user is a
 * service account (kind SERVICE: no password sign-in) with one API token, "Demo BI export", valid 365 days: its text is
 * returned in the report once (the caller prints it) and only its hash is stored. Lakeside's SOAP notes are client-side
 * encrypted under the demo practice key (src/seed/demo-practice-key.ts, published in the README). Idempotent: a chain that already
 * exists is left as it is.
 */
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ENCRYPTED_FIELDS, sealFields } from '../crypto/clinical-text';
import { DataKey, keyRingFor } from '../crypto/key-ring';
import { hashApiToken, newApiToken } from '../auth/api-token';
import { hashPassword } from '../auth/password';
import { CATALOG } from '../policies/catalog';
import { ClinicalNote } from '../schema/clinical/clinical-note.entity';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { Examination } from '../schema/clinical/examination.entity';
import { IntraocularPressure } from '../schema/clinical/intraocular-pressure.entity';
import { Refraction } from '../schema/clinical/refraction.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { VisualAcuity } from '../schema/clinical/visual-acuity.entity';
import { ApiToken } from '../schema/core/api-token.entity';
import { Appointment } from '../schema/core/appointment.entity';
import { Chain } from '../schema/core/chain.entity';
import { seedOpenAuthPolicy } from './auth-policy-seed';
import { DEMO_PRACTICE_KEY, encryptSeededNotes, seedClientSideSoapNotes } from './demo-practice-key';
import { ConsentEvent } from '../schema/core/consent-event.entity';
import { Consent } from '../schema/core/consent.entity';
import { Customer } from '../schema/core/customer.entity';
import { Region } from '../schema/core/region.entity';
import { RoleAssignment } from '../schema/core/role-assignment.entity';
import { RolePermission } from '../schema/core/role-permission.entity';
import { Role } from '../schema/core/role.entity';
import { Store } from '../schema/core/store.entity';
import { User } from '../schema/core/user.entity';
import {
  AcuityAid, AcuityDistance, AcuityUnit, AppointmentStatus, AppointmentType, ConsentActor, ConsentChannel, ConsentSource,
  CustomerStatus, Eye, ExaminationStatus, LawfulBasis, LensReplacement, PrescriptionOutcome, Profession, RefractionType, ScopeType, Sex,
  TonometryInstrument, UserKind,
} from '../schema/enums';
import { seedAuditScenario } from './audit-scenario';
import { seedMfaDemoUser } from './mfa-demo-user';
import { FIRST_NAMES, isoDate, LAST_NAMES, pick, prng, quarterSteps, STREETS } from './demo-data';
import { CHAIN_MANAGER, DEMO_ROLES, RoleDefinition } from './demo-roles';
import { seedRestrictionScenario } from './restriction-scenario';
import { seedDataRequestScenario } from './data-request-scenario';
import { seedBreachScenario } from './breach-scenario';
import { seedProcessingActivities } from './processing-activities';
import { seedRetentionScenario } from './retention-scenario';
import { loadConfig } from '../config/config';
import { DEMO_WORDING_VERSION, seedWordings } from './demo-wordings';

export const DEMO_PASSWORD = 'Visus-demo-2026!';

export interface SeedOptions {
  /** Customers per store (default 60: 300 for Clearview, 60 for Lakeside). */
  customersPerStore?: number;
  /** Fixed clock for reproducible dates (default: now). */
  now?: Date;
  /** The server's suppression key, for the demo objection's suppression (default: the configured one, loadConfig()). */
  suppressionKey?: Buffer;
  /** The master key file the clinical free text's data keys are wrapped under (default: the configured one, loadConfig()). */
  masterKeyFile?: string;
}

export interface DemoUser {
  email: string;
  name: string;
  profession: Profession;
  registrationNumber?: string;
  /** SERVICE for a service account (default STAFF). */
  kind?: UserKind;
  /** API tokens the seed makes for it (a service account), by name, valid for `days`. */
  apiTokens?: { name: string; days: number }[];
  assignments: { role: string; scope: ScopeType; target?: string }[];
}

const CLEARVIEW_USERS: DemoUser[] = [
  { email: 'chain.manager@clearview.example', name: 'Catherine Hale', profession: Profession.MANAGER, assignments: [{ role: 'Chain manager', scope: ScopeType.CHAIN }] },
  { email: 'north.manager@clearview.example', name: 'Nathan Price', profession: Profession.MANAGER, assignments: [{ role: 'Regional manager', scope: ScopeType.REGION, target: 'North' }] },
  { email: 'leeds.manager@clearview.example', name: 'Laura Fenwick', profession: Profession.MANAGER, assignments: [{ role: 'Store manager', scope: ScopeType.STORE, target: 'Leeds' }] },
  { email: 'leeds.optometrist@clearview.example', name: 'Dr Omar Rahman', profession: Profession.OPTOMETRIST, registrationNumber: '01-34567', assignments: [{ role: 'Optometrist', scope: ScopeType.STORE, target: 'Leeds' }] },
  {
    email: 'locum@clearview.example', name: 'Lucy Marsh', profession: Profession.OPTOMETRIST, registrationNumber: '01-45678',
    assignments: [{ role: 'Optometrist', scope: ScopeType.STORE, target: 'York' }, { role: 'Receptionist', scope: ScopeType.STORE, target: 'Bath' }],
  },
  { email: 'leeds.assistant@clearview.example', name: 'Aaron Blake', profession: Profession.OPTICAL_ASSISTANT, assignments: [{ role: 'Optical assistant', scope: ScopeType.STORE, target: 'Leeds' }] },
  { email: 'leeds.reception@clearview.example', name: 'Rita Okafor', profession: Profession.RECEPTIONIST, assignments: [{ role: 'Receptionist', scope: ScopeType.STORE, target: 'Leeds' }] },
  { email: 'dpo@clearview.example', name: 'Diana Pearce', profession: Profession.DATA_PROTECTION_OFFICER, assignments: [{ role: 'Data protection officer', scope: ScopeType.CHAIN }] },
  {
    email: 'bi@clearview.example', name: 'BI service account', profession: Profession.SERVICE_ACCOUNT, kind: UserKind.SERVICE,
    apiTokens: [{ name: 'Demo BI export', days: 365 }], assignments: [{ role: 'BI service account', scope: ScopeType.CHAIN }],
  },
];

const LAKESIDE_USERS: DemoUser[] = [
  { email: 'manager@lakeside.example', name: 'Morgan Lake', profession: Profession.MANAGER, assignments: [{ role: 'Chain manager', scope: ScopeType.CHAIN }] },
];

export interface ChainPlan {
  name: string;
  regions: { name: string; stores: { name: string; city: string; phone: string }[] }[];
  roles: RoleDefinition[];
  users: DemoUser[];
  seed: number;
  /** Whether the chain gets the audit scenario a DPO reviews (src/seed/audit-scenario.ts). */
  auditScenario?: boolean;
  /** Whether the chain gets the demo user with TOTP on (src/seed/mfa-demo-user.ts). */
  mfaDemoUser?: boolean;
  /** The chain's SOAP notes are client-side encrypted under this practice key (src/seed/demo-practice-key.ts). */
  practiceKey?: { keyId: string; key: string };
}

export const DEMO_CHAINS: ChainPlan[] = [
  {
    name: 'Clearview Opticians',
    seed: 2026,
    regions: [
      { name: 'North', stores: [
        { name: 'Leeds', city: 'Leeds', phone: '0113 496 0000' },
        { name: 'York', city: 'York', phone: '01904 496 000' },
        { name: 'Harrogate', city: 'Harrogate', phone: '01423 496 000' },
      ] },
      { name: 'South', stores: [
        { name: 'Bristol', city: 'Bristol', phone: '0117 496 0000' },
        { name: 'Bath', city: 'Bath', phone: '01225 496 000' },
      ] },
    ],
    roles: DEMO_ROLES,
    users: CLEARVIEW_USERS,
    auditScenario: true,
    mfaDemoUser: true,
  },
  {
    name: 'Lakeside Eyecare',
    seed: 7,
    regions: [{ name: 'Lakes', stores: [{ name: 'Keswick', city: 'Keswick', phone: '017687 496 00' }] }],
    roles: [CHAIN_MANAGER],
    users: LAKESIDE_USERS,
    practiceKey: DEMO_PRACTICE_KEY,
  },
];

export interface SeedReport {
  chainsCreated: string[];
  customers: number;
  /** The API tokens made for service accounts, with their text: shown once (the caller prints them), never stored. */
  apiTokens: SeededApiToken[];
}

export interface SeededApiToken {
  chain: string;
  email: string;
  name: string;
  token: string;
  expiresAt: Date;
}

/** The line the seed's callers print for each token it made (once: only its hash is kept). */
export function seededTokenLine(t: SeededApiToken): string {
  return `Demo BI API token (shown once): ${t.token}  (${t.email}, "${t.name}", ${t.chain}, expires ${t.expiresAt.toISOString()})`;
}

export async function seedDemo(core: DataSource, clinical: DataSource, options: SeedOptions = {}): Promise<SeedReport> {
  const report: SeedReport = { chainsCreated: [], customers: 0, apiTokens: [] };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const plan of DEMO_CHAINS) {
    const exists = await core.getRepository(Chain).findOneBy({ name: plan.name });
    if (exists) continue;
    const clinicalRows: ClinicalRows = emptyClinicalRows();
    await core.transaction(async (tx) => {
      const created = await seedChain(tx, plan, passwordHash, options, clinicalRows, report.apiTokens);
      report.customers += created;
    });
    if (plan.practiceKey) {
      const practiceKey = plan.practiceKey;
      const [{ id }] = await core.query('SELECT id FROM chain WHERE name = $1', [plan.name]) as { id: string }[];
      await core.transaction((tx) => seedClientSideSoapNotes(tx, id, practiceKey.keyId));
      await encryptSeededNotes(clinicalRows.notes, practiceKey);
    }
    await clinical.transaction(async (tx) => {
      const chainId = clinicalRows.examinations[0]?.chainId ?? clinicalRows.notes[0]?.chainId;
      if (chainId) {
        const key = await keyRingFor(options.masterKeyFile ?? loadConfig().masterKeyFile).activeKey(tx, chainId);
        sealSeeded(key, clinicalRows);
      }
      await insertChunks(tx, Examination, clinicalRows.examinations);
      await insertChunks(tx, Refraction, clinicalRows.refractions);
      await insertChunks(tx, VisualAcuity, clinicalRows.visualAcuities);
      await insertChunks(tx, IntraocularPressure, clinicalRows.pressures);
      await insertChunks(tx, SpectaclePrescription, clinicalRows.spectacles);
      await insertChunks(tx, ContactLensSpecification, clinicalRows.contactLenses);
      await insertChunks(tx, ClinicalNote, clinicalRows.notes);
    });
    const chain = await core.getRepository(Chain).findOneByOrFail({ name: plan.name });
    if (plan.auditScenario) {
      await seedAuditScenario(core, clinical, chain.id, options.now ?? new Date());
      const key = options.suppressionKey ?? loadConfig().suppressionKey;
      await core.transaction((tx) => seedRestrictionScenario(tx, chain.id, options.now ?? new Date(), key));
      await core.transaction((tx) => seedDataRequestScenario(tx, chain.id, options.now ?? new Date()));
      await seedBreachScenario(core, clinical, chain.id, options.now ?? new Date());
      await seedRetentionScenario(core, clinical, chain.id, options.now ?? new Date());
    }
    // Every chain's records of processing start with the platform's own activities.
    const domain = plan.users[0]?.email.split('@')[1] ?? 'example.com';
    await core.transaction((tx) => seedProcessingActivities(tx, chain.id, plan.name, domain));
    if (plan.mfaDemoUser) await core.transaction((tx) => seedMfaDemoUser(tx, chain.id, passwordHash, options.now ?? new Date()));
    report.chainsCreated.push(plan.name);
  }
  return report;
}

interface ClinicalRows {
  examinations: Partial<Examination>[];
  refractions: Partial<Refraction>[];
  visualAcuities: Partial<VisualAcuity>[];
  pressures: Partial<IntraocularPressure>[];
  spectacles: Partial<SpectaclePrescription>[];
  contactLenses: Partial<ContactLensSpecification>[];
  notes: Partial<ClinicalNote>[];
}

/** Encrypts the seeded free text (src/crypto/clinical-text.ts), as the services do for what is written through the API. */
function sealSeeded(key: DataKey, rows: ClinicalRows): void {
  for (const exam of rows.examinations) {
    Object.assign(exam, sealFields(key, 'Examination', exam.id as string, { reasonForVisit: exam.reasonForVisit ?? null, history: exam.history ?? null }), { dataKeyId: key.id });
  }
  for (const note of rows.notes) {
    note.id ??= randomUUID();
    if (note.soapCiphertext) { // encrypted by the practice (src/seed/demo-practice-key.ts): nothing to seal, the chain's key id as on every note
      note.dataKeyId = key.id;
      continue;
    }
    const parts = Object.fromEntries(ENCRYPTED_FIELDS.ClinicalNote.map((field) => [field, note[field] ?? null]));
    Object.assign(note, sealFields(key, 'ClinicalNote', note.id, parts), { dataKeyId: key.id });
  }
}

function emptyClinicalRows(): ClinicalRows {
  return { examinations: [], refractions: [], visualAcuities: [], pressures: [], spectacles: [], contactLenses: [], notes: [] };
}

async function insertChunks<E extends object>(tx: EntityManager, entity: new () => E, rows: Partial<E>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    // TypeORM's insert wants its own deep-partial type; the rows are built from the entity's fields.
    await tx.getRepository(entity).insert(rows.slice(i, i + 500) as never);
  }
}

async function seedChain(
  tx: EntityManager, plan: ChainPlan, passwordHash: string, options: SeedOptions, clinicalRows: ClinicalRows, tokens: SeededApiToken[],
): Promise<number> {
  const now = options.now ?? new Date();
  const random = prng(plan.seed);
  const chain = await tx.getRepository(Chain).save({ name: plan.name, enabledConsentChannels: Object.values(ConsentChannel) });
  // The demo signs in with a password alone: an explicit policy that requires no second factor.
  await seedOpenAuthPolicy(tx, chain.id);

  const regionIds = new Map<string, string>();
  const stores: Store[] = [];
  for (const regionPlan of plan.regions) {
    const region = await tx.getRepository(Region).save({ chainId: chain.id, name: regionPlan.name });
    regionIds.set(region.name, region.id);
    for (const storePlan of regionPlan.stores) {
      stores.push(await tx.getRepository(Store).save({ chainId: chain.id, regionId: region.id, ...storePlan }));
    }
  }
  const storeIds = new Map(stores.map((s) => [s.name, s.id]));

  const roleIds = new Map<string, string>();
  for (const definition of plan.roles) {
    const role = await tx.getRepository(Role).save({ chainId: chain.id, name: definition.name, description: definition.description });
    roleIds.set(role.name, role.id);
    await tx.getRepository(RolePermission).insert(
      definition.entries.map((entry) => ({ roleId: role.id, action: entry.action, subject: entry.subject, fields: entry.fields ?? null })),
    );
  }

  const optometrists: User[] = [];
  let chainManagerId: string | null = null;
  const createdUsers: User[] = [];
  for (const demoUser of plan.users) {
    const user = await tx.getRepository(User).save({
      chainId: chain.id, email: demoUser.email, name: demoUser.name, profession: demoUser.profession,
      registrationNumber: demoUser.registrationNumber ?? null, passwordHash, kind: demoUser.kind ?? UserKind.STAFF,
    });
    if (user.registrationNumber) optometrists.push(user);
    if (!chainManagerId && demoUser.assignments.some((a) => a.role === CHAIN_MANAGER.name)) chainManagerId = user.id;
    createdUsers.push(user);
    for (const planned of demoUser.apiTokens ?? []) {
      const token = newApiToken();
      const expiresAt = new Date(now.getTime() + planned.days * 86400_000);
      // Created by the chain's first demo user (its chain manager), as if through createApiToken.
      const creator = createdUsers[0] ?? user;
      await tx.getRepository(ApiToken).insert({ chainId: chain.id, userId: user.id, name: planned.name, tokenHash: hashApiToken(token), createdById: creator.id, expiresAt });
      tokens.push({ chain: plan.name, email: user.email, name: planned.name, token, expiresAt });
    }
    for (const assignment of demoUser.assignments) {
      await tx.getRepository(RoleAssignment).insert({
        chainId: chain.id,
        userId: user.id,
        roleId: roleIds.get(assignment.role) as string,
        scopeType: assignment.scope,
        regionId: assignment.scope === ScopeType.REGION ? (regionIds.get(assignment.target as string) as string) : null,
        storeId: assignment.scope === ScopeType.STORE ? (storeIds.get(assignment.target as string) as string) : null,
      });
    }
  }
  // The wordings every seeded consent event names, published (by the chain manager) before the first of them.
  await seedWordings(tx, chain.id, plan.name, chainManagerId, now);
  const prescriber = optometrists[0] ?? { id: '00000000-0000-4000-8000-000000000000', name: 'Dr Visiting Optometrist', registrationNumber: '01-99999' };
  const practitionerAt = storePractitioners(plan, optometrists, stores, regionIds);
  // Booked slots per practitioner: their appointments never overlap (a database constraint).
  const taken = new Set<string>();

  const perStore = options.customersPerStore ?? 60;
  const customers: Partial<Customer>[] = [];
  const consents: Partial<Consent>[] = [];
  const events: Partial<ConsentEvent>[] = [];
  const appointments: Partial<Appointment>[] = [];
  let serial = 0;
  for (const store of stores) {
    for (let i = 0; i < perStore; i++) {
      serial += 1;
      const id = uuidFrom(random);
      const firstName = pick(random, FIRST_NAMES);
      const lastName = pick(random, LAST_NAMES);
      const age = 4 + Math.floor(random() * 85);
      const dob = new Date(Date.UTC(now.getUTCFullYear() - age, Math.floor(random() * 12), 1 + Math.floor(random() * 28)));
      customers.push({
        id, chainId: chain.id, homeStoreId: store.id, firstName, lastName, dateOfBirth: isoDate(dob),
        sex: random() < 0.5 ? Sex.FEMALE : Sex.MALE,
        addressLine1: `${1 + Math.floor(random() * 200)} ${pick(random, STREETS)}`, addressLine2: null, city: store.city,
        postcode: `${(store.city ?? store.name).slice(0, 2).toUpperCase()}${1 + Math.floor(random() * 20)} ${Math.floor(random() * 9)}AB`,
        country: 'GB', phone: `07700 900${String(serial % 1000).padStart(3, '0')}`,
        email: `${firstName}.${lastName}.${serial}@example.com`.toLowerCase(),
        status: random() < 0.95 ? CustomerStatus.ACTIVE : CustomerStatus.INACTIVE,
        dataVerifiedAt: new Date(now.getTime() - Math.floor(random() * 700) * 86400_000),
      });

      for (const channel of Object.values(ConsentChannel)) {
        if (random() < 0.35) continue;
        const grantedAt = new Date(now.getTime() - Math.floor(200 + random() * 600) * 86400_000);
        // Every grant is an explicit event naming a published wording; one email grant in ten is a soft opt-in at a
        // sale (chosen by serial: the random sequence stays as it was).
        const basis = channel === ConsentChannel.EMAIL && serial % 10 === 3 ? LawfulBasis.SOFT_OPT_IN : LawfulBasis.CONSENT;
        const softOptIn = basis === LawfulBasis.SOFT_OPT_IN;
        const grant = {
          chainId: chain.id, customerId: id, channel, granted: true, changedAt: grantedAt, actor: ConsentActor.CUSTOMER, recordedById: null,
          source: ConsentSource.IN_STORE, wordingVersion: DEMO_WORDING_VERSION, basis,
          saleReference: softOptIn ? `SALE-${store.name.slice(0, 3).toUpperCase()}-${String(serial).padStart(5, '0')}` : null, optOutOffered: softOptIn ? true : null,
        };
        events.push(grant);
        let current: Partial<Consent> = grant;
        if (random() < 0.2) {
          const withdrawal = { ...grant, granted: false, changedAt: new Date(grantedAt.getTime() + 90 * 86400_000), source: ConsentSource.EMAIL_LINK, saleReference: null, optOutOffered: null };
          events.push(withdrawal);
          current = withdrawal;
        }
        consents.push({ ...current });
      }

      const visits = 1 + Math.floor(random() * 3);
      for (let v = 0; v < visits; v++) {
        const startsAt = new Date(now.getTime() + Math.floor((random() - 0.6) * 200) * 86400_000);
        startsAt.setUTCHours(9 + Math.floor(random() * 8), random() < 0.5 ? 0 : 30, 0, 0);
        const practitionerId = practitionerAt.get(store.id) ?? null;
        // Half-hour appointments on a half-hour grid, 09:00-17:00 UTC: the next free slot of the practitioner.
        while (practitionerId && taken.has(`${practitionerId}|${startsAt.getTime()}`)) {
          startsAt.setTime(startsAt.getTime() + 30 * 60_000);
          if (startsAt.getUTCHours() >= 17) startsAt.setUTCHours(24 + 9, 0, 0, 0);
        }
        if (practitionerId) taken.add(`${practitionerId}|${startsAt.getTime()}`);
        appointments.push({
          chainId: chain.id, storeId: store.id, customerId: id, practitionerId,
          type: pick(random, [AppointmentType.SIGHT_TEST, AppointmentType.SIGHT_TEST, AppointmentType.CONTACT_LENS_AFTERCARE, AppointmentType.COLLECTION]),
          startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000),
          status: startsAt < now ? AppointmentStatus.COMPLETED : AppointmentStatus.BOOKED,
        });
      }

      if (random() < 0.7) addClinicalHistory(random, now, chain.id, store.id, id, isoDate(dob), age, prescriber, clinicalRows);
    }
  }
  await insertChunks(tx, Customer, customers);
  await insertChunks(tx, ConsentEvent, events);
  await insertChunks(tx, Consent, consents);
  await insertChunks(tx, Appointment, appointments);
  return customers.length;
}

/**
 * Each store's practitioner for its seeded appointments: the first registered practitioner assigned there
 * in a role with clinical entries (as src/policies/practitioners.ts requires of a booking). Leeds gets
 * Dr Omar Rahman, York the locum; stores without one get appointments without a practitioner.
 */
function storePractitioners(plan: ChainPlan, practitioners: User[], stores: Store[], regionIds: Map<string, string>): Map<string, string> {
  const clinicalRoles = new Set(plan.roles
    .filter((role) => role.entries.some((entry) => CATALOG.some((subject) => subject.clinical && subject.name === entry.subject)))
    .map((role) => role.name));
  const byStore = new Map<string, string>();
  for (const user of practitioners) {
    const demoUser = plan.users.find((candidate) => candidate.email === user.email);
    for (const assignment of demoUser?.assignments ?? []) {
      if (!clinicalRoles.has(assignment.role)) continue;
      const covered = stores.filter((store) => assignment.scope === ScopeType.CHAIN
        || (assignment.scope === ScopeType.REGION && store.regionId === regionIds.get(assignment.target as string))
        || (assignment.scope === ScopeType.STORE && store.name === assignment.target));
      for (const store of covered) if (!byStore.has(store.id)) byStore.set(store.id, user.id);
    }
  }
  return byStore;
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ['8', '9', 'a', 'b'][Math.floor(random() * 4)];
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function addClinicalHistory(
  random: () => number, now: Date, chainId: string, storeId: string, customerId: string, dob: string, age: number,
  prescriber: { id: string; name: string; registrationNumber: string | null }, rows: ClinicalRows,
): void {
  const examId = uuidFrom(random);
  const examinedAt = new Date(now.getTime() - Math.floor(30 + random() * 600) * 86400_000);
  const keys = { chainId, storeId, customerId };
  rows.examinations.push({
    id: examId, ...keys, practitionerId: prescriber.id, examinedAt, reasonForVisit: pick(random, ['Routine sight test', 'Blurred distance vision', 'Headaches when reading', 'Contact lens check']),
    history: 'No relevant ocular history. General health good. No medication. No family history of glaucoma.',
    status: ExaminationStatus.SIGNED, signedAt: examinedAt, signedById: prescriber.id,
  });
  const near = age >= 45 ? quarterSteps(random, 1, 2.5) : null;
  const eyes: Record<'right' | 'left', { sphere: number; cylinder: number; axis: number | null }> = { right: { sphere: 0, cylinder: 0, axis: null }, left: { sphere: 0, cylinder: 0, axis: null } };
  for (const [side, eye] of [['right', Eye.RIGHT], ['left', Eye.LEFT]] as const) {
    const sphere = quarterSteps(random, -6, 4);
    const cylinder = random() < 0.5 ? -quarterSteps(random, 0.25, 2) : 0;
    const axis = cylinder !== 0 ? 1 + Math.floor(random() * 180) : null;
    eyes[side] = { sphere, cylinder, axis };
    rows.refractions.push({ examinationId: examId, ...keys, eye, type: RefractionType.SUBJECTIVE, sphere, cylinder, axis, nearAdd: near });
    rows.visualAcuities.push({ examinationId: examId, ...keys, eye, distance: AcuityDistance.DISTANCE, aid: AcuityAid.GLASSES, unit: AcuityUnit.SNELLEN_METRE, value: '6/6', logMar: 0 });
    rows.pressures.push({ examinationId: examId, ...keys, eye, mmHg: 10 + Math.floor(random() * 12), instrument: TonometryInstrument.NON_CONTACT, measuredAt: examinedAt });
  }
  const issuedOn = isoDate(examinedAt);
  const prescriberFields = { prescriberId: prescriber.id, prescriberName: prescriber.name, prescriberRegistrationNumber: prescriber.registrationNumber ?? '01-99999' };
  rows.spectacles.push({
    ...keys, examinationId: examId, issuedOn, ...prescriberFields, outcome: PrescriptionOutcome.NEW_RX,
    rightSphere: eyes.right.sphere, rightCylinder: eyes.right.cylinder, rightAxis: eyes.right.axis, rightNearAdd: near,
    leftSphere: eyes.left.sphere, leftCylinder: eyes.left.cylinder, leftAxis: eyes.left.axis, leftNearAdd: near,
  });
  if (random() < 0.25) {
    const expires = new Date(examinedAt.getTime() + 365 * 86400_000);
    rows.contactLenses.push({
      ...keys, examinationId: examId, issuedOn, ...prescriberFields, expiresOn: isoDate(expires),
      patientDateOfBirth: age < 16 ? dob : null, replacement: LensReplacement.DAILY,
      rightBrand: 'Acuvue Oasys 1-Day', rightBaseCurve: 8.5, rightDiameter: 14.3, rightPower: eyes.right.sphere,
      leftBrand: 'Acuvue Oasys 1-Day', leftBaseCurve: 8.5, leftDiameter: 14.3, leftPower: eyes.left.sphere,
    });
  }
  if (random() < 0.3) {
    rows.notes.push({
      ...keys, examinationId: examId, authorId: prescriber.id,
      subjective: 'Reports occasional eye strain with screen use.', objective: 'Anterior eyes healthy. Fundi unremarkable.',
      assessment: 'Stable refraction.', plan: 'Recall in two years.',
    });
  }
}
