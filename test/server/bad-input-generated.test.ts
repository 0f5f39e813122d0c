/**
 * Generated bad input, from the schema itself: for every Mutation field, fast-check takes a valid
 * request (BASELINES: a real request a demo user may make, checked at the end to succeed) and breaks
 * it in exactly one place, chosen among every argument and every field of its input objects, at any
 * depth, list items included: a value of the wrong type, null or nothing where one is required, an
 * empty or blank string, a string over every length limit (under the 1 MB body limit), control
 * characters, numbers at and past the 32-bit bounds, 1e308, NaN and Infinity as text, fractions where
 * whole numbers go, impossible dates, unknown enum values, unknown fields and arguments, malformed ids,
 * random UUIDs and ids of the other demo chain (Lakeside). Each input goes through the real HTTP
 * server, as variables or written into the document, signed in as the chain manager (or the Leeds
 * optometrist for clinical writes), and must be answered with an error of a known code (BAD_USER_INPUT
 * naming the argument it broke, NOT_FOUND, FORBIDDEN, UNAUTHENTICATED, or GraphQL's own parse and
 * validation codes), never INTERNAL_SERVER_ERROR or an HTTP 5xx, and must change nothing: every table
 * of both databases is checksummed (as the owner) before and after each batch of a mutation's inputs;
 * a batch that changed anything is replayed one input at a time to name the culprit.
 *
 *   npx jest test/server/bad-input-generated.test.ts                 # seed 20260808, 10,560 inputs
 *   BAD_INPUT_SEED=123 BAD_INPUT_RUNS=50000 npx jest test/server/bad-input-generated.test.ts
 *   BAD_INPUT_ONLY=createExamination,assignRole npx jest test/server/bad-input-generated.test.ts
 * The seed and the counts are printed; a failure prints the mutation, the input's index and the request.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildSchema, getNullableType, GraphQLArgument, GraphQLField, GraphQLInputType, isEnumType, isInputObjectType, isListType,
  isNonNullType, isScalarType,
} from 'graphql';
import { NUMBERED_IDS } from '../../src/server/argument-guard';
import { Checksums, DatabaseChecksums } from '../support/db-checksums';
import { startTestApp, TestApp } from '../support/test-app';
import { DEMO_PASSWORD, EMAIL, MFA_DEMO_USER } from '../support/actors';
import { totpNow } from '../mfa/mfa-helpers';
import { issueApiToken } from '../support/service-tokens';
import { SoftwareAuthenticator } from '../support/software-authenticator';

/** The committed schema (test/unit/schema/schema.test.ts keeps it identical to what the code declares). */
const SCHEMA = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'schema', 'schema.graphql'), 'utf8'));
const MUTATIONS = Object.values(SCHEMA.getMutationType()!.getFields());

const SEED = Number(process.env.BAD_INPUT_SEED ?? 20260808);
const ONLY = process.env.BAD_INPUT_ONLY ? new Set(process.env.BAD_INPUT_ONLY.split(',')) : null;
/** Inputs per run, spread evenly over the mutations. */
const TOTAL_RUNS = Number(process.env.BAD_INPUT_RUNS ?? 10_560);
const BATCH = 100;
const CONCURRENCY = 8;

const CHAIN_MANAGER = EMAIL.chainManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
/** A member of staff made for changePassword (its wrong `current` tries throttle this email, nobody else's), and its passwords. */
const PASSWORD_CHANGER = 'generated.password.changer@clearview.example';
const CHANGER_PASSWORD = 'Kestrel-over-the-moor-58';
const CHANGER_NEXT = 'Heron-by-the-canal-91';
/** A member of staff made for the passkey mutations (their own account): passkeys registered, re-authenticated with one. */
const PASSKEY_USER = 'generated.passkeys@clearview.example';
/** Another, whose passkey signs in (finishPasskeySignIn's baseline ends their other session: no suite token is theirs). */
const PASSKEY_SIGN_IN_USER = 'generated.passkey.sign-in@clearview.example';
/** Mutations whose refusal of a bad credential is UNAUTHENTICATED (the suite's own sessions stay valid). */
const SIGN_IN_FIELDS = new Set(['login', 'verifyMfa', 'acceptInvitation', 'changePassword', 'reauthenticate', 'finishPasskeySignIn', 'reauthenticateWithPasskey']);
/** Baselines checked before the run, as login is: their refused attempts count toward the login throttle of their user. */
const CHECKED_FIRST = ['finishPasskeySignIn', 'reauthenticateWithPasskey'];
/** Error codes a refused request may carry (UNAUTHENTICATED only from the SIGN_IN_FIELDS, once throttled or with a bad credential: the suite's own sessions stay valid). */
const KNOWN_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST',
]);
/** Lists with a length limit, and that limit (a list one longer is bad input). */
const LIST_LIMITS: Record<string, number> = {
  'CreateExaminationInput.refractions': 40, 'CreateExaminationInput.visualAcuities': 40, 'CreateExaminationInput.intraocularPressures': 40,
  'UpdateExaminationInput.refractions': 40, 'UpdateExaminationInput.visualAcuities': 40, 'UpdateExaminationInput.intraocularPressures': 40,
  'CreateRoleInput.permissions': 200, 'UpdateRoleInput.permissions': 200,
};
/** Every text limit of the API is at most this long: a longer string is bad input wherever it goes. */
const LONGEST_TEXT = 10_000;

type Path = (string | number)[];
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Args = Record<string, Json>;

interface Baseline {
  actor: string;
  args: Args;
}

interface Fixture {
  leeds: string; york: string; north: string; customer: string; otherCustomer: string; yorkCustomer: string; appointment: string;
  draftExam: string; signedExam: string; receptionRole: string; assistantRole: string; receptionUser: string; receptionAssignment: string;
  optometrist: string; emergencyAccess: string; securityEvent: string;
  /** The demo BI service account, and an API token of it (not revoked). */
  serviceUser: string; apiToken: string;
  /** A Leeds customer whose processing the demo seed restricted (liftRestriction's target). */
  restrictedCustomer: string;
  /** An active Leeds customer (confirmCustomerDetails' target), the seeded overdue breach, a seeded processing activity. */
  activeCustomer: string; breach: string; activity: string;
  /** The legal hold in force the demo seed placed (releaseLegalHold's target). */
  legalHold: string;
  /** Ids of the other chain (Lakeside), any kind. */
  lakeside: string[];
  /** Data-subject requests of `customer`, one per step that needs its own (OPEN unless said). */
  requests: { verify: string; assign: string; extend: string; pause: string; paused: string; verified: string; refuse: string; withdraw: string; rectification: string };
  /** A Leeds customer without clinical records and their open ERASURE request (eraseCustomer's target). */
  erasable: string; erasureRequest: string;
  /** Members of staff made for the staff mutations: one to update and deactivate, one deactivated (to reactivate), one whose password is reset, and an invitation token of a fourth. */
  staff: { active: string; disabled: string; reset: string; invitation: string };
  /**
   * Passkeys (issue 13): PASSKEY_USER's passkey to remove, a registration begun by their session and its answer
   * (a new authenticator's), and sign-in challenges answered: one by PASSKEY_USER (to re-authenticate), one by
   * PASSKEY_SIGN_IN_USER (to sign in).
   */
  passkeys: { removable: string; registration: { challenge: string; response: string }; reauthentication: { challenge: string; response: string }; signIn: { challenge: string; response: string } };
  /**
   * MFA: a sign-in challenge of the MFA demo user (verifyMfa's), and the base32 secret of an enrolment the Leeds
   * optometrist began (confirmTotpEnrollment's). Both are time-bound: the last test takes fresh ones (mfaFixture).
   */
  mfa: { challenge: string; pendingSecret: string };
}

/** A fresh verifyMfa challenge (the MFA demo user's) and a fresh pending TOTP enrolment of the Leeds optometrist. */
async function mfaFixture(app: TestApp, optometristToken: string): Promise<Fixture['mfa']> {
  const login = await app.request<{ login: { challenge: string } }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { challenge } }', { e: MFA_DEMO_USER.email, p: DEMO_PASSWORD });
  const begun = await app.request<{ beginTotpEnrollment: { secret: string } }>('mutation { beginTotpEnrollment { secret } }', {}, optometristToken);
  if (!login.data?.login.challenge || !begun.data) throw new Error(`fixture: MFA: ${JSON.stringify([login.errors, begun.errors])}`);
  return { challenge: login.data.login.challenge, pendingSecret: begun.data.beginTotpEnrollment.secret };
}

const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();
const today = (days = 0): string => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
const DAY = 86400_000;

/** A valid request of each mutation (checked to succeed after everything else ran). */
function baselines(f: Fixture): Record<string, Baseline> {
  const refraction = { eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 90, nearAdd: 1.5, prismHorizontal: 1, prismHorizontalBase: 'IN' };
  const acuity = { eye: 'LEFT', distance: 'DISTANCE', aid: 'GLASSES', unit: 'SNELLEN_METRE', value: '6/9' };
  const pressure = { eye: 'RIGHT', mmHg: 15, instrument: 'GOLDMANN', measuredAt: isoIn(-3600_000) };
  const findings = { refractions: [refraction, { ...refraction, eye: 'LEFT', sphere: -1 }], visualAcuities: [acuity], intraocularPressures: [pressure] };
  const slot = new Date(Date.now() + 9 * DAY);
  slot.setUTCHours(6, 30, 0, 0); // before the seeded appointments' hours (09:00-17:00 UTC): the practitioner is free
  return {
    // (Not the BI user: a service account cannot sign in with a password.)
    login: { actor: CHAIN_MANAGER, args: { email: EMAIL.dpo, password: DEMO_PASSWORD } },
    logout: { actor: CHAIN_MANAGER, args: {} },
    createCustomer: {
      actor: CHAIN_MANAGER,
      args: { input: { homeStoreId: f.leeds, firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1985-04-12', sex: 'FEMALE', addressLine1: '1 Park Row', city: 'Leeds', postcode: 'LS1 5AB', country: 'UK', phone: '+44 113 496 0000', email: 'ada@example.com' } },
    },
    updateCustomer: { actor: CHAIN_MANAGER, args: { id: f.customer, input: { city: 'Wakefield', phone: '+44 113 496 0001', dataVerifiedAt: isoIn(-60_000) }, dataRequestId: f.requests.rectification } },
    recordConsentChange: {
      actor: CHAIN_MANAGER,
      args: { input: { customerId: f.customer, channel: 'EMAIL', granted: true, source: 'IN_STORE', wordingVersion: '2024-01', actor: 'STAFF', basis: 'SOFT_OPT_IN', saleReference: 'INV-2026-0042', optOutOffered: true } },
    },
    recordTermsAcceptance: { actor: CHAIN_MANAGER, args: { customerId: f.customer, document: 'TERMS', version: '2026-01', source: 'PAPER_FORM' } },
    setConsentChannels: { actor: CHAIN_MANAGER, args: { enabled: ['SMS', 'EMAIL', 'MAIL', 'SOCIAL_MEDIA'] } },
    publishConsentWording: { actor: CHAIN_MANAGER, args: { input: { channel: 'EMAIL', version: '2027-01', text: 'Yes, email me offers and news. I can unsubscribe at any time.' } } },
    issueUnsubscribeLink: { actor: CHAIN_MANAGER, args: { customerId: f.customer, channel: 'EMAIL' } },
    restrictProcessing: { actor: CHAIN_MANAGER, args: { customerId: f.customer, reason: 'The customer contests the accuracy of their address.' } },
    liftRestriction: { actor: CHAIN_MANAGER, args: { customerId: f.restrictedCustomer, reason: 'Address checked with the customer.' } },
    recordMarketingObjection: { actor: CHAIN_MANAGER, args: { customerId: f.customer, source: 'IN_STORE' } },
    eraseCustomer: { actor: CHAIN_MANAGER, args: { customerId: f.erasable, dataRequestId: f.erasureRequest } },
    bookAppointment: {
      actor: CHAIN_MANAGER,
      args: { input: { customerId: f.customer, storeId: f.leeds, practitionerId: f.optometrist, type: 'SIGHT_TEST', startsAt: slot.toISOString(), endsAt: new Date(slot.getTime() + 1800_000).toISOString() } },
    },
    cancelAppointment: { actor: CHAIN_MANAGER, args: { id: f.appointment, reason: 'The customer called to cancel.' } },
    createExamination: {
      actor: OPTOMETRIST,
      args: { input: { customerId: f.customer, storeId: f.leeds, examinedAt: isoIn(-3600_000), reasonForVisit: 'Routine sight test', history: 'No symptoms.', ...findings } },
    },
    updateExamination: { actor: OPTOMETRIST, args: { id: f.draftExam, input: { examinedAt: isoIn(-7200_000), reasonForVisit: 'Headaches', history: 'Mild headaches.', ...findings } } },
    signExamination: { actor: OPTOMETRIST, args: { id: f.draftExam } },
    issueSpectaclePrescription: {
      actor: OPTOMETRIST,
      args: {
        input: {
          customerId: f.customer, storeId: f.leeds, examinationId: f.signedExam, issuedOn: today(), outcome: 'NEW_RX', notes: 'Varifocals advised.',
          rightSphere: -1.25, rightCylinder: -0.5, rightAxis: 90, rightNearAdd: 1.5, rightPrismHorizontal: 1, rightPrismHorizontalBase: 'IN',
          leftSphere: -1, leftCylinder: -0.25, leftAxis: 80, leftNearAdd: 1.5, leftPrismVertical: 0.5, leftPrismVerticalBase: 'UP',
        },
      },
    },
    issueContactLensSpecification: {
      actor: OPTOMETRIST,
      args: {
        input: {
          customerId: f.customer, storeId: f.leeds, examinationId: f.signedExam, issuedOn: today(), expiresOn: today(365), replacement: 'MONTHLY',
          rightBrand: 'Acme', rightDesign: 'Toric', rightMaterial: 'Silicone hydrogel', rightBaseCurve: 8.6, rightDiameter: 14.2, rightPower: -1.5, rightCylinder: -0.75, rightAxis: 180,
          leftBrand: 'Acme', leftBaseCurve: 8.6, leftDiameter: 14.2, leftPower: -1.75, leftNearAdd: 1,
        },
      },
    },
    addClinicalNote: { actor: OPTOMETRIST, args: { input: { customerId: f.customer, storeId: f.leeds, examinationId: f.signedExam, subjective: 'Blurred near vision.', objective: 'VA 6/9.', assessment: 'Presbyopia.', plan: 'Review in a year.' } } },
    createRole: {
      actor: CHAIN_MANAGER,
      args: { input: { name: 'Generated role', description: 'Made by the generated suite.', permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName'] }, { action: 'read', subject: 'Store' }] } },
    },
    updateRole: {
      actor: CHAIN_MANAGER,
      args: { id: f.receptionRole, input: { name: 'Front desk', description: 'Renamed.', permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'lastName'] }, { action: 'read', subject: 'Appointment' }] } },
    },
    deleteRole: { actor: CHAIN_MANAGER, args: { id: f.assistantRole, removeAssignments: true } },
    assignRole: {
      actor: CHAIN_MANAGER,
      args: { input: { userId: f.receptionUser, roleId: f.assistantRole, scopeType: 'STORE', storeId: f.york, validFrom: isoIn(DAY), validUntil: isoIn(30 * DAY) } },
    },
    revokeAssignment: { actor: CHAIN_MANAGER, args: { id: f.receptionAssignment } },
    requestEmergencyAccess: { actor: OPTOMETRIST, args: { input: { customerId: f.yorkCustomer, reason: 'Sudden vision loss; needs the previous refraction.' } } },
    acknowledgeEmergencyAccess: { actor: CHAIN_MANAGER, args: { id: f.emergencyAccess, note: 'Confirmed with the Leeds store.' } },
    updateAuditSettings: { actor: CHAIN_MANAGER, args: { input: { anomalyDistinctCustomers: 80, anomalyWindowMinutes: 120, anomalyExportCustomers: 150, emergencyAccessMinutes: 30, verificationPeriodMonths: 24 } } },
    confirmCustomerDetails: { actor: CHAIN_MANAGER, args: { customerId: f.activeCustomer } },
    recordBreach: {
      actor: CHAIN_MANAGER,
      args: {
        input: {
          discoveredAt: isoIn(-5 * 3600_000), occurredAt: isoIn(-6 * 3600_000), description: 'A box of paper records left on a train.', dataCategories: ['Identity', 'Contact details'],
          affectedFromAccessLog: { userId: f.optometrist, from: isoIn(-DAY), to: isoIn(-60_000) }, risk: 'RISK', riskAssessment: 'Names and addresses; recovered by the police.',
          measures: 'Paper records no longer leave the store.', notifiedAuthorityAt: isoIn(-3600_000), authorityReference: 'ICO-2026-000001',
        },
      },
    },
    updateBreach: { actor: CHAIN_MANAGER, args: { id: f.breach, input: { notifiedAuthorityAt: isoIn(-60_000), authorityReference: 'ICO-2026-000002', delayReason: 'The theft was only reported to the DPO on day 4.' } } },
    upsertProcessingActivity: {
      actor: CHAIN_MANAGER,
      args: {
        input: {
          id: f.activity, name: 'Customer records', purpose: 'Keeping customers’ identity and contact details to provide eye care.', lawfulBases: ['CONTRACT', 'LEGAL_OBLIGATION'],
          lawfulBasisNotes: 'Accounting records: legal obligation.', dataCategories: ['Identity', 'Contact details'], dataSubjects: ['Customers'], recipients: ['Hosting provider (processor)'],
          internationalTransfers: 'None outside the UK.', retention: 'With the clinical records.', securityMeasures: 'Role-based access, encryption in transit.',
          controllerContact: 'Clearview Opticians Ltd', dpoContact: 'dpo@clearview.example',
        },
      },
    },
    acknowledgeSecurityEvent: { actor: CHAIN_MANAGER, args: { id: f.securityEvent, note: 'Recall letters; confirmed with the store manager.' } },
    createUser: { actor: CHAIN_MANAGER, args: { input: { name: 'Generated staff', email: 'generated.staff@clearview.example', profession: 'OPTOMETRIST', registrationNumber: '01-99999', kind: 'STAFF' } } },
    updateUser: { actor: CHAIN_MANAGER, args: { id: f.staff.active, input: { name: 'Generated rename' } } },
    deactivateUser: { actor: CHAIN_MANAGER, args: { id: f.staff.active } },
    reactivateUser: { actor: CHAIN_MANAGER, args: { id: f.staff.disabled } },
    resetUserPassword: { actor: CHAIN_MANAGER, args: { userId: f.staff.reset } },
    acceptInvitation: { actor: CHAIN_MANAGER, args: { token: f.staff.invitation, password: 'Accepted-harbour-lamp-31' } }, // (no context word: not "generated" nor "staff", the user's name)
    changePassword: { actor: PASSWORD_CHANGER, args: { current: CHANGER_PASSWORD, new: CHANGER_NEXT } },
    createRegion: { actor: CHAIN_MANAGER, args: { input: { name: 'Generated region' } } },
    createStore: { actor: CHAIN_MANAGER, args: { input: { name: 'Generated store', address: '1 Generated Row\nLeeds LS1 1AA', regionId: f.north, city: 'Leeds', phone: '0113 496 0999' } } },
    updateStore: { actor: CHAIN_MANAGER, args: { id: f.york, input: { name: 'York Minster', address: '1 Minster Yard\nYork YO1 7HH', regionId: f.north, open: true, city: 'York', phone: '01904 496 999' } } },
    beginPasskeyRegistration: { actor: PASSKEY_USER, args: {} },
    finishPasskeyRegistration: { actor: PASSKEY_USER, args: { ...f.passkeys.registration, name: 'Generated key' } },
    reauthenticateWithPasskey: { actor: PASSKEY_USER, args: f.passkeys.reauthentication },
    removePasskey: { actor: PASSKEY_USER, args: { id: f.passkeys.removable } },
    beginPasskeySignIn: { actor: CHAIN_MANAGER, args: { email: PASSKEY_USER } },
    finishPasskeySignIn: { actor: CHAIN_MANAGER, args: f.passkeys.signIn },
    // The codes are the authenticators' codes now, when the table is built.
    verifyMfa: { actor: CHAIN_MANAGER, args: { challenge: f.mfa.challenge, code: totpNow(MFA_DEMO_USER.totpSecret) } },
    beginTotpEnrollment: { actor: CHAIN_MANAGER, args: {} },
    confirmTotpEnrollment: { actor: OPTOMETRIST, args: { code: totpNow(f.mfa.pendingSecret) } },
    createApiToken: { actor: CHAIN_MANAGER, args: { input: { userId: f.serviceUser, name: 'Generated BI token', expiresAt: isoIn(30 * DAY) } } },
    revokeApiToken: { actor: CHAIN_MANAGER, args: { id: f.apiToken } },
    createDataRequest: { actor: CHAIN_MANAGER, args: { input: { customerId: f.customer, type: 'ACCESS', receivedAt: isoIn(-3600_000), channel: 'EMAIL', notes: 'Wants a copy of their records.' } } },
    verifyDataRequestIdentity: { actor: CHAIN_MANAGER, args: { id: f.requests.verify, method: 'Passport seen in store' } },
    assignDataRequest: { actor: CHAIN_MANAGER, args: { id: f.requests.assign, handlerId: f.optometrist } },
    extendDataRequest: { actor: CHAIN_MANAGER, args: { id: f.requests.extend, months: 1, reason: 'Records held at several stores.' } },
    pauseDataRequest: { actor: CHAIN_MANAGER, args: { id: f.requests.pause, reason: 'CLARIFICATION', note: 'Which appointments they mean.' } },
    resumeDataRequest: { actor: CHAIN_MANAGER, args: { id: f.requests.paused } },
    completeDataRequest: { actor: CHAIN_MANAGER, args: { id: f.requests.verified, outcome: 'Copy sent by secure email.' } },
    refuseDataRequest: { actor: CHAIN_MANAGER, args: { id: f.requests.refuse, reason: 'Manifestly unfounded.' } },
    withdrawDataRequest: { actor: CHAIN_MANAGER, args: { id: f.requests.withdraw, reason: 'The customer withdrew it by phone.' } },
    updateRetentionPolicy: { actor: CHAIN_MANAGER, args: { input: { adultYears: 11, childUntilAge: 26, childUnderAge: 17 } } },
    placeLegalHold: { actor: CHAIN_MANAGER, args: { customerId: f.customer, reason: 'Insurance claim 4471: keep every record.' } },
    releaseLegalHold: { actor: CHAIN_MANAGER, args: { id: f.legalHold, reason: 'The claim was settled.' } },
    updateAuthPolicy: { actor: CHAIN_MANAGER, args: { input: { secondFactorRoleIds: [], passkeyRoleIds: [], idleTimeoutMinutes: 20, sessionMaxHours: 10 } } },
    updateClinicalEncryptionPolicy: { actor: CHAIN_MANAGER, args: { input: { clientSideSoapNotes: false, practiceKeyIds: ['clearview-2026'] } } },
    // (The optometrist, whose password no other baseline checks: wrong passwords throttle that email. Checked before the run.)
    reauthenticate: { actor: OPTOMETRIST, args: { password: DEMO_PASSWORD } },
  };
}

/** One place a generated input differs from its baseline. */
type Edit =
  | { op: 'set'; path: Path; value: Json; label: string }
  | { op: 'delete'; path: Path; label: string }
  | { op: 'unknownArgument'; name: string; value: Json; label: string };

interface GeneratedInput {
  edit: Edit;
  /** Values as JSON variables, or written into the document. */
  encoding: 'variables' | 'literal';
  /** A required root argument deleted: left out of the document (true) or declared and not sent (false). */
  dropFromDocument: boolean;
}

interface Position {
  path: Path;
  type: GraphQLInputType;
  /** Schema coordinate of the argument or input field (for ids and list limits). */
  coordinate: string;
  value: Json | undefined;
}

function positionsOf(type: GraphQLInputType, value: Json | undefined, path: Path, coordinate: string, out: Position[]): void {
  out.push({ path, type, coordinate, value });
  const nullable = getNullableType(type);
  if (isInputObjectType(nullable)) {
    const object = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    for (const field of Object.values(nullable.getFields())) {
      positionsOf(field.type, object[field.name], [...path, field.name], `${nullable.name}.${field.name}`, out);
    }
  } else if (isListType(nullable) && Array.isArray(value)) {
    value.forEach((item, i) => positionsOf(nullable.ofType, item, [...path, i], coordinate, out));
  }
}

const WRONG_TYPES: Record<string, Json[]> = {
  text: [5, -1.5, true, false, { a: 'b' }, [1], []],
  number: ['5', '1.5', 'NaN', 'Infinity', '-Infinity', '', true, { n: 1 }, [[1]]],
  object: ['x', 5, true, [5], [[]]],
};
const CONTROL = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u001b', '\u007f', '\u0085', '\u009f', '\ud800', '\udfff'];
/** More characters (code points, as the limits count them) than any limit; at most 1 MB as JSON. */
const HUGE = fc.tuple(fc.integer({ min: LONGEST_TEXT + 1, max: 200_000 }), fc.constantFrom('x', 'Lorem ipsum ', '6', 'é', '😀'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / [...unit].length)));
const withControl = (base: string): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...CONTROL), fc.nat({ max: base.length })).map(([ch, at]) => `${base.slice(0, at)}${ch}${base.slice(at)}`);

/** Values that are wrong for `position` whatever the other arguments say. */
function badValues(position: Position, fixture: Fixture): fc.Arbitrary<Edit> {
  const { path, type, coordinate, value } = position;
  const label = (what: string) => `${path.join('.')}: ${what}`;
  const set = (arb: fc.Arbitrary<Json>, what: string): fc.Arbitrary<Edit> => arb.map((v) => ({ op: 'set', path, value: v, label: label(what) }));
  const options: fc.Arbitrary<Edit>[] = [];
  if (isNonNullType(type)) {
    // (A list item left out leaves a shorter list, which may well be valid.)
    if (typeof path[path.length - 1] !== 'number') options.push(fc.constant({ op: 'delete', path, label: label('left out') }));
    options.push(set(fc.constant(null), 'null'));
  }
  const nullable = getNullableType(type);
  const text = typeof value === 'string' ? value : 'text';
  if (isListType(nullable)) {
    const item = getNullableType(nullable.ofType);
    // (A single value of the item type would be taken as a list of one.)
    options.push(set(fc.constantFrom<Json>(5, 1.5, true, {}), 'not a list'));
    const items = Array.isArray(value) ? value : [];
    options.push(set(fc.nat({ max: items.length }).map((at) => [...items.slice(0, at), null, ...items.slice(at)]), 'a null item'));
    const limit = LIST_LIMITS[coordinate];
    if (limit && items.length) options.push(set(fc.constant(Array.from({ length: limit + 1 }, (_v, i) => items[i % items.length])), `${limit + 1} items`));
    if (isInputObjectType(item)) options.push(set(fc.constantFrom<Json>(['x'], [5], [[]], [{}]), 'items of the wrong type'));
  } else if (isInputObjectType(nullable)) {
    const object = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    options.push(set(fc.constantFrom(...WRONG_TYPES.object), 'not an object'));
    options.push(set(fc.constantFrom('bogus', 'constructor', '__proto__', 'toString', 'id', 'chainId').map((key) => {
      const copy: { [key: string]: Json } = { ...object };
      Object.defineProperty(copy, key, { value: 1, enumerable: true, configurable: true, writable: true });
      return copy;
    }), 'an unknown field'));
  } else if (isEnumType(nullable)) {
    const names = nullable.getValues().map((v) => v.name);
    options.push(set(fc.constantFrom<Json>('NOT_A_VALUE', names[0].toLowerCase(), ` ${names[0]}`, '', 'constructor', '__proto__', 5, true, [names[0], names[0]]), 'not a value of the enum'));
  } else if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'ID': {
        const numbered = NUMBERED_IDS.has(coordinate);
        const malformed: Json[] = numbered
          ? ['', ' ', '0', '-1', '1.5', '1e3', '01', 'abc', '99999999999999999999', randomUUID(), -1, 1.5, true, {}]
          : ['', ' ', 'not-an-id', '12', 'null', randomUUID().replace(/-/g, ''), `${randomUUID()} `, `{${randomUUID()}}`, randomUUID().slice(0, 35), 12, -1, 1.5, true, {}, [randomUUID(), randomUUID()]];
        options.push(set(fc.constantFrom(...malformed), 'a malformed id'));
        options.push(set(fc.constantFrom(...fixture.lakeside), 'an id of the other chain'));
        options.push(set(numbered ? fc.constantFrom('999999999', '123456789012') : fc.uuid({ version: 4 }), 'an id that names nothing'));
        options.push(set(withControl(typeof value === 'string' ? value : randomUUID()), 'an id with a control character'));
        break;
      }
      case 'String':
        if (isNonNullType(type)) options.push(set(fc.constantFrom('', ' ', '   ', '\t', '\n'), 'empty'));
        options.push(set(HUGE, 'longer than any limit'));
        options.push(set(withControl(text), 'a control character'));
        options.push(set(fc.constantFrom(...WRONG_TYPES.text), 'not text'));
        break;
      case 'Int':
        options.push(set(fc.constantFrom<Json>(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, -1e308, 1.5, -0.5), 'not a 32-bit whole number'));
        options.push(set(fc.constantFrom<Json>(2 ** 31 - 1, -(2 ** 31), -1), 'out of every range'));
        options.push(set(fc.constantFrom(...WRONG_TYPES.number), 'not a number'));
        break;
      case 'Float':
        options.push(set(fc.constantFrom<Json>(1e308, -1e308, Number.MAX_VALUE, 2 ** 31, -(2 ** 31) - 0.5, 1e15 + 0.25, 123456.789), 'out of every range'));
        options.push(set(fc.constantFrom(...WRONG_TYPES.number), 'not a number'));
        break;
      case 'Boolean':
        options.push(set(fc.constantFrom<Json>('true', 'false', 1, 0, 'yes', [], {}, [true]), 'not a boolean'));
        break;
      case 'DateTimeISO':
        options.push(set(fc.constantFrom<Json>(
          '2021-02-30T10:00:00Z', '2021-02-29T10:00:00Z', '2021-13-01T00:00:00Z', '2021-00-10T00:00:00Z', '2021-04-31T08:00:00Z', '2021-01-01T25:00:00Z',
          '2021-01-01T10:61:00Z', '2021-01-01T10:00:61Z', '0000-00-00T00:00:00Z', '2021-01-01 10:00', 'yesterday', '', 'NaN', '1700000000000', 1700000000000, true, {},
        ), 'an impossible date and time'));
        break;
      case 'LocalDate':
        options.push(set(fc.constantFrom<Json>(
          '2021-02-29', '2023-02-30', '2021-04-31', '2021-13-01', '2021-00-01', '2021-01-00', '2021-1-1', '20210101', '', 'today', '0000-01-01', '2021-01-01T00:00:00Z', 20210101, true,
        ), 'an impossible date'));
        break;
      default:
        throw new Error(`no bad values for scalar ${nullable.name} at ${coordinate}: add them`);
    }
  }
  return fc.oneof(...options);
}

function inputsArbitrary(field: GraphQLField<unknown, unknown>, baseline: Baseline, fixture: Fixture): fc.Arbitrary<GeneratedInput> {
  const positions: Position[] = [];
  for (const arg of field.args) positionsOf(arg.type, baseline.args[arg.name], [arg.name], `Mutation.${field.name}(${arg.name}:)`, positions);
  const unknownArgument: fc.Arbitrary<Edit> = fc.tuple(fc.constantFrom('bogus', 'constructor', '__proto__', 'chainId', 'as'), fc.constantFrom<Json>(1, 'x', true, null))
    .map(([name, value]) => ({ op: 'unknownArgument', name, value, label: `unknown argument ${name}` }));
  const edits = positions.length
    ? fc.oneof({ arbitrary: fc.constantFrom(...positions).chain((p) => badValues(p, fixture)), weight: 19 }, { arbitrary: unknownArgument, weight: 1 })
    : unknownArgument; // no argument to break (logout): only an argument it does not have
  return fc.record({ edit: edits, encoding: fc.constantFrom<'variables' | 'literal'>('variables', 'literal'), dropFromDocument: fc.boolean() });
}

function clone<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function applyEdit(args: Args, edit: Edit): Args {
  if (edit.op === 'unknownArgument') return { ...clone(args) };
  const out = clone(args) as { [key: string]: Json };
  let target: Json = out;
  for (const key of edit.path.slice(0, -1)) {
    const container = target as { [key: string]: Json } & Json[];
    if (container[key as never] === undefined || container[key as never] === null) (container as { [key: string]: Json })[key] = typeof edit.path[edit.path.indexOf(key) + 1] === 'number' ? [] : {};
    target = container[key as never];
  }
  const last = edit.path[edit.path.length - 1];
  const container = target as { [key: string]: Json };
  if (edit.op === 'delete') {
    if (Array.isArray(container)) container.splice(last as number, 1);
    else delete container[last];
  } else if (typeof last === 'string' && (last === '__proto__' || last === 'constructor')) {
    Object.defineProperty(container, last, { value: edit.value, enumerable: true, configurable: true, writable: true });
  } else {
    container[last] = edit.value;
  }
  return out;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A JSON value written as a GraphQL literal of `type` (enum values bare when they can be). */
function literal(value: Json, type: GraphQLInputType | undefined): string {
  if (value === null) return 'null';
  const nullable = type ? getNullableType(type) : undefined;
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, nullable && isListType(nullable) ? nullable.ofType : undefined)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : {};
    return `{ ${Object.keys(value).map((k) => `${k}: ${literal(value[k], fields[k]?.type)}`).join(', ')} }`;
  }
  if (typeof value === 'string') {
    return nullable && isEnumType(nullable) && NAME.test(value) && !['true', 'false', 'null'].includes(value) ? value : JSON.stringify(value);
  }
  return String(value);
}

/** The request for `input`: a document and its variables. */
function requestOf(field: GraphQLField<unknown, unknown>, args: Args, input: GeneratedInput, withEdit = true): { query: string; variables: Record<string, Json> } {
  const root = input.edit.op === 'delete' && input.edit.path.length === 1 ? input.edit.path[0] : null;
  const present = field.args.filter((a: GraphQLArgument) => a.name in args || (a.name === root && !input.dropFromDocument && input.encoding === 'variables'));
  const selection = isScalarType(getNullableType(field.type)) ? '' : ' { __typename }';
  const extra = withEdit && input.edit.op === 'unknownArgument' ? [`${input.edit.name}: ${literal(input.edit.value, undefined)}`] : [];
  if (input.encoding === 'literal') {
    const written = present.filter((a) => a.name in args).map((a) => `${a.name}: ${literal(args[a.name], a.type)}`);
    const all = [...written, ...extra];
    return { query: `mutation Generated { ${field.name}${all.length ? `(${all.join(', ')})` : ''}${selection} }`, variables: {} };
  }
  const declared = present.map((a) => `$${a.name}: ${a.type.toString()}`);
  const passed = [...present.map((a) => `${a.name}: $${a.name}`), ...extra];
  const variables: Record<string, Json> = {};
  for (const a of present) if (a.name in args) variables[a.name] = args[a.name];
  return {
    query: `mutation Generated${declared.length ? `(${declared.join(', ')})` : ''} { ${field.name}${passed.length ? `(${passed.join(', ')})` : ''}${selection} }`,
    variables,
  };
}

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };
}

/** Why an answer breaks the rule (null when it keeps it). */
function problemOf(answer: Answer, field: string, input: GeneratedInput): string | null {
  const allowed = (code: string) => KNOWN_CODES.has(code) && (code !== 'UNAUTHENTICATED' || SIGN_IN_FIELDS.has(field));
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  const errors = answer.body.errors ?? [];
  if (errors.length === 0) return 'accepted: no error';
  if ((answer.body.data?.[field] ?? null) !== null) return 'returned data';
  for (const error of errors) {
    const code = error.extensions?.code ?? 'NONE';
    if (!allowed(code)) return `error code ${code}: ${error.message}`;
    if (code === 'BAD_USER_INPUT') {
      const named = error.extensions?.field;
      if (!named) return `BAD_USER_INPUT without extensions.field: ${error.message}`;
      const broken = input.edit.op === 'unknownArgument' ? input.edit.name : String(input.edit.path[0]);
      if (named !== broken && !named.startsWith(`${broken}.`) && !named.startsWith(`${broken}[`)) {
        return `BAD_USER_INPUT names ${named}, but ${broken} was broken: ${error.message}`;
      }
    }
  }
  return null;
}

interface Failure {
  mutation: string;
  index: number;
  label: string;
  problem: string;
  request: string;
}

const truncate = (text: string, max = 600): string => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

describe(`generated bad input (seed ${SEED})`, () => {
  let app: TestApp;
  let tokens: Record<string, string>;
  let fixture: Fixture;
  let checksums: DatabaseChecksums;
  let start: Checksums;
  const counts: Record<string, number> = {};

  beforeAll(async () => {
    // The run keeps one session per actor for far longer than the re-authentication window (5 minutes), and the
    // sensitive mutations' baselines must stay valid to the end: a window as long as the run (test/auth-policy/ checks the real one).
    app = await startTestApp({ reauthWindowMinutes: 240 });
    tokens = { [CHAIN_MANAGER]: await app.login(CHAIN_MANAGER), [OPTOMETRIST]: await app.login(OPTOMETRIST) };
    const core = app.ownerCore;
    const id = async (sql: string, params: unknown[] = []): Promise<string> => {
      const rows = (await core.query(sql, params)) as { id: string }[];
      if (!rows[0]) throw new Error(`fixture: nothing for ${sql}`);
      return rows[0].id;
    };
    const store = (name: string) => id('SELECT id FROM store WHERE name = $1', [name]);
    const leeds = await store('Leeds');
    const chainId = await id('SELECT chain_id AS id FROM store WHERE id = $1', [leeds]);
    const customer = await id(`SELECT c.id FROM customer c WHERE c.home_store_id = $1 ORDER BY c.id LIMIT 1`, [leeds]);
    const optometrist = await id(`SELECT id FROM staff_user WHERE email = $1`, [OPTOMETRIST]);
    const receptionUser = await id(`SELECT id FROM staff_user WHERE email = '${EMAIL.leedsReception}'`);
    // A draft examination of the optometrist's (the seed's are all signed), through the API.
    const draft = await app.request<{ createExamination: { id: string } }>('mutation($input: CreateExaminationInput!) { createExamination(input: $input) { id } }',
      { input: { customerId: customer, storeId: leeds, history: 'Draft for the generated suite.' } }, tokens[OPTOMETRIST]);
    if (!draft.data?.createExamination) throw new Error(`fixture: draft examination: ${JSON.stringify(draft.errors)}`);
    const [{ id: signedExam }] = await app.ownerClinical.query(`SELECT id FROM examination WHERE customer_id = $1 AND status = 'SIGNED' AND store_id = $2 LIMIT 1`, [customer, leeds]);
    const yorkCustomer = await id(`SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'York' ORDER BY c.id LIMIT 1`);
    const [{ id: sessionId }] = await core.query('SELECT id FROM session WHERE user_id = $1 AND ended_at IS NULL', [optometrist]);
    const emergencyAccess = await id(
      `INSERT INTO emergency_access (chain_id, user_id, customer_id, store_id, reason, granted_at, expires_at, session_id, request_id)
       SELECT $1, $2, c.id, c.home_store_id, 'Generated suite: an ended grant to acknowledge.', now() - interval '3 hours', now() - interval '2 hours', $4, 'generated'
         FROM customer c WHERE c.id = $3 RETURNING id`, [chainId, optometrist, yorkCustomer, sessionId]);
    const securityEvent = await id(
      `INSERT INTO security_event (chain_id, user_id, kind, window_start, window_end, observed_count, threshold)
       VALUES ($1, $2, 'BULK_CLINICAL_READS', now() - interval '1 hour', now(), 60, 50) RETURNING id::text AS id`, [chainId, receptionUser]);
    let appointment = (await core.query(`SELECT id FROM appointment WHERE store_id = $1 AND status = 'BOOKED' ORDER BY id LIMIT 1`, [leeds]))[0]?.id as string | undefined;
    if (!appointment) {
      const start = new Date(Date.now() + 3 * DAY);
      const booked = await app.request<{ bookAppointment: { id: string } }>('mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
        { input: { customerId: customer, storeId: leeds, type: 'SIGHT_TEST', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 1800_000).toISOString() } }, tokens[CHAIN_MANAGER]);
      appointment = booked.data!.bookAppointment.id;
    }
    const serviceUser = await id(`SELECT id FROM staff_user WHERE email = $1 AND kind = 'SERVICE'`, [EMAIL.bi]);
    const apiToken = (await issueApiToken(core, serviceUser, { name: 'Generated suite: a token to revoke' })).id;
    const newStaff = async (n: number): Promise<{ id: string; token: string }> => {
      const made = await app.request<{ createUser: { user: { id: string }; invitation: { token: string } } }>(
        'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } invitation { token } } }',
        { input: { name: `Generated staff ${n}`, email: `generated.staff.${n}@clearview.example`, profession: 'RECEPTIONIST', kind: 'STAFF' } }, tokens[CHAIN_MANAGER]);
      if (!made.data?.createUser) throw new Error(`fixture: createUser: ${JSON.stringify(made.errors)}`);
      return { id: made.data.createUser.user.id, token: made.data.createUser.invitation.token };
    };
    const passkeyFixture = async (): Promise<Fixture['passkeys']> => {
      const ask = async <T>(query: string, variables: Record<string, unknown>, token: string | null): Promise<T> => {
        const result = await app.request<T>(query, variables, token);
        if (result.errors || !result.data) throw new Error(`fixture: passkeys: ${JSON.stringify(result.errors)}`);
        return result.data;
      };
      type Options = { challenge: string; optionsJSON: string };
      const accepted = async (email: string): Promise<string> => {
        const made = await ask<{ createUser: { invitation: { token: string } } }>(
          'mutation($input: CreateUserInput!) { createUser(input: $input) { invitation { token } } }',
          { input: { name: 'Generated passkey staff', email, profession: 'RECEPTIONIST', kind: 'STAFF' } }, tokens[CHAIN_MANAGER]);
        return (await ask<{ acceptInvitation: { token: string } }>('mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token } }',
          { t: made.createUser.invitation.token, p: 'Lantern-above-the-weir-58' }, null)).acceptInvitation.token;
      };
      const begin = async (token: string) => (await ask<{ beginPasskeyRegistration: Options }>('mutation { beginPasskeyRegistration { challenge optionsJSON } }', {}, token)).beginPasskeyRegistration;
      const register = async (token: string, authenticator: SoftwareAuthenticator): Promise<string> => {
        const begun = await begin(token);
        return (await ask<{ finishPasskeyRegistration: { id: string } }>(
          'mutation($c: String!, $r: String!, $n: String!) { finishPasskeyRegistration(challenge: $c, response: $r, name: $n) { id } }',
          { c: begun.challenge, r: JSON.stringify(authenticator.register(begun.optionsJSON)), n: 'Generated fixture key' }, token)).finishPasskeyRegistration.id;
      };
      const answered = async (email: string, authenticator: SoftwareAuthenticator) => {
        const begun = (await ask<{ beginPasskeySignIn: Options }>('mutation($e: String) { beginPasskeySignIn(email: $e) { challenge optionsJSON } }', { e: email }, null)).beginPasskeySignIn;
        return { challenge: begun.challenge, response: JSON.stringify(authenticator.authenticate(begun.optionsJSON)) };
      };
      const origin = app.config.webauthn.origin;
      const token = await accepted(PASSKEY_USER);
      tokens[PASSKEY_USER] = token;
      const first = new SoftwareAuthenticator(origin);
      await register(token, first);
      // With a passkey, adding or removing one needs a fresh proof with it (the suite's window: REAUTH_WINDOW_MINUTES above).
      const proof = await answered(PASSKEY_USER, first);
      await ask('mutation($c: String!, $r: String!) { reauthenticateWithPasskey(challenge: $c, response: $r) { validUntil } }', { c: proof.challenge, r: proof.response }, token);
      const removable = await register(token, new SoftwareAuthenticator(origin));
      const pending = await begin(token);
      const registration = { challenge: pending.challenge, response: JSON.stringify(new SoftwareAuthenticator(origin).register(pending.optionsJSON)) };
      const signInKey = new SoftwareAuthenticator(origin);
      await register(await accepted(PASSKEY_SIGN_IN_USER), signInKey);
      return { removable, registration, reauthentication: await answered(PASSKEY_USER, first), signIn: await answered(PASSKEY_SIGN_IN_USER, signInKey) };
    };
    const disabled = (await newStaff(2)).id;
    const deactivated = await app.request('mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: disabled }, tokens[CHAIN_MANAGER]);
    if (deactivated.errors) throw new Error(`fixture: deactivateUser: ${JSON.stringify(deactivated.errors)}`);
    const staff = { active: (await newStaff(1)).id, disabled, reset: (await newStaff(3)).id, invitation: (await newStaff(4)).token };
    // changePassword's actor: a member of staff of its own, signed in by accepting an invitation.
    const changer = await app.request<{ createUser: { invitation: { token: string } } }>(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { invitation { token } } }',
      { input: { name: 'Pat Quinlan', email: PASSWORD_CHANGER, profession: 'RECEPTIONIST', kind: 'STAFF' } }, tokens[CHAIN_MANAGER]);
    const accepted = await app.request<{ acceptInvitation: { token: string } }>('mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token } }',
      { t: changer.data!.createUser.invitation.token, p: CHANGER_PASSWORD });
    if (!accepted.data?.acceptInvitation) throw new Error(`fixture: changePassword's actor: ${JSON.stringify(accepted.errors)}`);
    tokens[PASSWORD_CHANGER] = accepted.data.acceptInvitation.token;
    const passkeys = await passkeyFixture();
    const erasable = await id(`INSERT INTO customer (chain_id, home_store_id, first_name, last_name, date_of_birth, email)
       VALUES ($1, $2, 'Erin', 'Erasable', '1981-02-03', 'erin.erasable@example.com') RETURNING id`, [chainId, leeds]);
    const erasureRequest = await id(
      `INSERT INTO data_request (chain_id, customer_id, store_id, type, channel, received_at, due_at, created_by_id)
       SELECT $1, $2, $3, 'ERASURE', 'EMAIL', now(), now() + interval '1 month', u.id FROM staff_user u WHERE u.email = $4 RETURNING id`,
      [chainId, erasable, leeds, EMAIL.dpo]);
    const lakesideChain = await id(`SELECT chain_id AS id FROM store WHERE name = 'Keswick'`);
    const lakeside: string[] = [];
    for (const table of ['store', 'region', 'customer', 'staff_user', 'role', 'role_assignment', 'appointment']) {
      lakeside.push(...((await core.query(`SELECT id FROM ${table} WHERE chain_id = $1 ORDER BY id LIMIT 2`, [lakesideChain])) as { id: string }[]).map((r) => r.id));
    }
    lakeside.push(...((await app.ownerClinical.query('SELECT id FROM examination WHERE chain_id = $1 LIMIT 2', [lakesideChain])) as { id: string }[]).map((r) => r.id));
    // Data-subject requests of the customer, through the API (as the chain manager): one per step that needs its own.
    const dataRequest = async (type = 'ACCESS', then?: string): Promise<string> => {
      const made = await app.request<{ createDataRequest: { id: string } }>('mutation($input: CreateDataRequestInput!) { createDataRequest(input: $input) { id } }',
        { input: { customerId: customer, type, receivedAt: isoIn(-DAY), channel: 'EMAIL' } }, tokens[CHAIN_MANAGER]);
      if (!made.data?.createDataRequest) throw new Error(`fixture: data request: ${JSON.stringify(made.errors)}`);
      const requestId = made.data.createDataRequest.id;
      if (then) {
        const step = await app.request(then, { id: requestId }, tokens[CHAIN_MANAGER]);
        if (step.errors) throw new Error(`fixture: data request step: ${JSON.stringify(step.errors)}`);
      }
      return requestId;
    };
    const requests = {
      verify: await dataRequest(), assign: await dataRequest(), extend: await dataRequest(), pause: await dataRequest(),
      paused: await dataRequest('ACCESS', 'mutation($id: ID!) { pauseDataRequest(id: $id, reason: IDENTITY) { id } }'),
      verified: await dataRequest('ACCESS', 'mutation($id: ID!) { verifyDataRequestIdentity(id: $id, method: "Photo ID") { id } }'),
      refuse: await dataRequest(), withdraw: await dataRequest(), rectification: await dataRequest('RECTIFICATION'),
    };
    fixture = {
      requests,
      leeds, york: await store('York'), north: await id(`SELECT id FROM region WHERE chain_id = $1 AND name = 'North'`, [chainId]), customer,
      otherCustomer: await id(`SELECT c.id FROM customer c WHERE c.home_store_id = $1 ORDER BY c.id DESC LIMIT 1`, [leeds]), yorkCustomer, appointment,
      // (not the erasable customer: its random id may sort here, and eraseCustomer's baseline runs before confirmCustomerDetails')
      activeCustomer: await id(`SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' AND id <> $2 ORDER BY id LIMIT 1 OFFSET 3`, [leeds, erasable]),
      breach: await id(`SELECT id FROM breach WHERE chain_id = $1 AND description LIKE '%laptop%'`, [chainId]),
      activity: await id(`SELECT id FROM processing_activity WHERE chain_id = $1 AND name = 'Customer records'`, [chainId]),
      restrictedCustomer: await id(`SELECT r.customer_id AS id FROM processing_restriction r JOIN customer c ON c.id = r.customer_id WHERE c.home_store_id = $1 AND r.restricted LIMIT 1`, [leeds]),
      draftExam: draft.data.createExamination.id, signedExam, optometrist, receptionUser,
      receptionRole: await id(`SELECT id FROM role WHERE chain_id = $1 AND name = 'Receptionist'`, [chainId]),
      assistantRole: await id(`SELECT id FROM role WHERE chain_id = $1 AND name = 'Optical assistant'`, [chainId]),
      receptionAssignment: await id(`SELECT id FROM role_assignment WHERE user_id = $1 LIMIT 1`, [receptionUser]),
      emergencyAccess, securityEvent, serviceUser, apiToken, lakeside, erasable, erasureRequest, staff, passkeys,
      mfa: await mfaFixture(app, tokens[OPTOMETRIST]),
      legalHold: await id('SELECT id FROM legal_hold WHERE chain_id = $1 AND released_at IS NULL ORDER BY placed_at LIMIT 1', [chainId]),
    };
    // The login baseline is checked now: after the run, failed sign-ins throttle that email.
    const login = baselines(fixture).login;
    const signedIn = await app.request('mutation($email: String!, $password: String!) { login(email: $email, password: $password) { __typename } }', login.args);
    if (signedIn.errors) throw new Error(`fixture: the login baseline is refused: ${JSON.stringify(signedIn.errors)}`);
    // So is changePassword's (wrong `current` tries throttle its email too): changed, then changed back.
    const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }';
    for (const [c, n] of [[CHANGER_PASSWORD, CHANGER_NEXT], [CHANGER_NEXT, CHANGER_PASSWORD]]) {
      const changed = await app.request<{ changePassword: boolean }>(CHANGE, { c, n }, tokens[PASSWORD_CHANGER]);
      if (!changed.data?.changePassword) throw new Error(`fixture: the changePassword baseline is refused: ${JSON.stringify(changed.errors)}`);
    }
    for (const name of CHECKED_FIRST) {
      const field = SCHEMA.getMutationType()!.getFields()[name];
      const baseline = baselines(fixture)[name];
      const request = requestOf(field, baseline.args, { edit: { op: 'unknownArgument', name: '', value: null, label: 'baseline' }, encoding: 'variables', dropFromDocument: false }, false);
      const result = await app.request<Record<string, unknown>>(request.query, request.variables, tokens[baseline.actor]);
      if (result.errors || !result.data?.[name]) throw new Error(`fixture: the ${name} baseline is refused: ${JSON.stringify(result.errors)}`);
    }
    // So is reauthenticate's, for the same reason.
    const reauthenticated = await app.request('mutation($password: String!) { reauthenticate(password: $password) { __typename } }', baselines(fixture).reauthenticate.args, tokens[OPTOMETRIST]);
    if (reauthenticated.errors) throw new Error(`fixture: the reauthenticate baseline is refused: ${JSON.stringify(reauthenticated.errors)}`);
    checksums = await new DatabaseChecksums(app).prepare();
    start = await checksums.take();
    console.log(`generated bad input: seed ${SEED} (BAD_INPUT_SEED to change), ${TOTAL_RUNS} inputs over the mutations (BAD_INPUT_RUNS)`);
  }, 120_000);

  afterAll(async () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`generated bad input: seed ${SEED}, ${total} inputs in all\n${Object.entries(counts).map(([m, n]) => `  ${m}: ${n}`).join('\n')}`);
    await app?.stop();
  });

  async function send(field: GraphQLField<unknown, unknown>, baseline: Baseline, input: GeneratedInput): Promise<{ answer: Answer; request: string }> {
    const request = requestOf(field, applyEdit(baseline.args, input.edit), input);
    const body = JSON.stringify(request);
    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[baseline.actor]}` }, body });
    const text = await response.text();
    let parsed: Answer['body'];
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      parsed = { errors: [{ message: `not JSON: ${truncate(text, 200)}`, extensions: { code: 'NOT_JSON' } }] };
    }
    return { answer: { status: response.status, body: parsed }, request: body };
  }

  it('covers every mutation of the schema with a valid baseline', () => {
    expect(Object.keys(baselines(fixture)).sort()).toEqual(MUTATIONS.map((m) => m.name).sort());
  });

  it.each(MUTATIONS.filter((m) => !ONLY || ONLY.has(m.name)).map((m) => [m.name, m] as const))('%s: every generated input is refused with a known code and changes nothing', async (_name, field) => {
    const baseline = baselines(fixture)[field.name];
    const perMutation = Math.ceil(TOTAL_RUNS / MUTATIONS.length);
    const seed = (SEED + [...field.name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 0)) | 0;
    const inputs = fc.sample(inputsArbitrary(field, baseline, fixture), { seed, numRuns: perMutation });
    const failures: Failure[] = [];
    let before = await checksums.take();
    for (let from = 0; from < inputs.length; from += BATCH) {
      const batch = inputs.slice(from, from + BATCH);
      let next = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < batch.length) {
          const index = next++;
          const input = batch[index];
          const { answer, request } = await send(field, baseline, input);
          const problem = problemOf(answer, field.name, input);
          if (problem) failures.push({ mutation: field.name, index: from + index, label: input.edit.label, problem, request: truncate(request) });
        }
      }));
      counts[field.name] = (counts[field.name] ?? 0) + batch.length;
      const after = await checksums.take();
      const changed = DatabaseChecksums.changed(before, after);
      if (changed.length) {
        // Name the culprit: replay the batch one input at a time.
        let current = after;
        for (let j = 0; j < batch.length; j++) {
          const { request } = await send(field, baseline, batch[j]);
          const now = await checksums.take();
          const again = DatabaseChecksums.changed(current, now);
          if (again.length) failures.push({ mutation: field.name, index: from + j, label: batch[j].edit.label, problem: `changed ${again.join(', ')}`, request: truncate(request) });
          current = now;
        }
        failures.push({ mutation: field.name, index: from, label: `batch of ${batch.length}`, problem: `changed ${changed.join(', ')}`, request: '(the inputs above changed it again when replayed)' });
        before = current;
      } else {
        before = after;
      }
    }
    // The suite's own sessions still work (an UNAUTHENTICATED answer would otherwise hide everything).
    for (const token of Object.values(tokens)) expect((await app.request('{ me { id } }', {}, token)).errors).toBeUndefined();
    expect(failures.slice(0, 15).map((f) => `${f.mutation} #${f.index} (${f.label}): ${f.problem}\n    ${f.request}`)).toEqual([]);
  }, 600_000);

  it('changed nothing in either database over the whole run', async () => {
    expect(DatabaseChecksums.changed(start, await checksums.take())).toEqual([]);
  });

  // Last: every baseline is a request that succeeds, so each generated input was refused for the one
  // thing it broke. (This changes the databases; nothing runs after it. login, changePassword and reauthenticate were checked before the run.)
  it('every baseline is valid', async () => {
    fixture.mfa = await mfaFixture(app, tokens[OPTOMETRIST]); // a challenge lives 5 minutes
    const all = baselines(fixture);
    const first = ['updateExamination', 'signExamination'];
    const last = ['deleteRole'];
    const order = [...first, ...Object.keys(all).filter((m) => ![...first, ...last, 'logout', 'login', 'changePassword', 'reauthenticate', ...CHECKED_FIRST].includes(m)), ...last];
    const refused: string[] = [];
    for (const name of order.filter((m) => !ONLY || ONLY.has(m))) {
      const field = SCHEMA.getMutationType()!.getFields()[name];
      const request = requestOf(field, all[name].args, { edit: { op: 'unknownArgument', name: '', value: null, label: 'baseline' }, encoding: 'variables', dropFromDocument: false }, false);
      const result = await app.request<Record<string, unknown>>(request.query, request.variables, tokens[all[name].actor]);
      if (result.errors || !result.data?.[name]) refused.push(`${name}: ${JSON.stringify(result.errors)}`);
    }
    expect(refused).toEqual([]);
  });
});
