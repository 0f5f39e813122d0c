/**
 * The demo seed's audit scenario: what the demo data protection officer finds to review on a fresh demo
 * chain (docs/dpo.md walks through it).
 *
 * - **An ended, unacknowledged emergency access**: the locum (Lucy Marsh, receptionist at Bath, optometrist
 *   at York) broke the glass for a Bath patient about 30 hours before the seed ran, for the chain's emergency
 *   access time, and read the patient's examinations and spectacle prescriptions through it (two requests).
 * - **An open security event**: about 26 hours before the seed, the North regional manager (Nathan Price) read
 *   the spectacle prescriptions of more distinct customers (Harrogate and York) than the chain's anomaly
 *   threshold within minutes, in three requests; the BULK_CLINICAL_READS event the anomaly rule raises for that,
 *   unacknowledged.
 * - **Data change entries**: the locum updated a Bath customer's phone and email, the regional manager a
 *   Harrogate customer's address, the chain manager recorded a Bristol customer's withdrawal of email marketing
 *   (by phone), all as the seed runs.
 *
 * Everything goes through the paths the application writes through, so every hash chain verifies: the access
 * log entries through the log's own chain trigger (the owner may date entries in the past, never in the future,
 * and they are inserted in time order on the chain's fresh chain), the changes through `recordChanges` and
 * `appendConsentChange`. Every entry names a real (ended) session of its user, as `audit:verify` checks. The
 * activity is more than a day old, so no sliding anomaly window (at most 24 hours) counts it. Run it once, for a
 * chain just created (seedDemo does), and as the databases' owner.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ChangeAuthor, recordChanges } from '../hash-chain/change-log';
import { auditSettingsFor } from '../audit/chain-audit-settings';
import { Customer } from '../schema/core/customer.entity';
import { EmergencyAccess } from '../schema/core/emergency-access.entity';
import { Session } from '../schema/core/session.entity';
import { ChangeAction, ChangeLogKind, ConsentActor, ConsentChannel, ConsentSource, SecurityEventKind } from '../schema/enums';
import { RequestInfo } from '../context/request-info';
import { appendConsentChange } from '../services/consent-service';

export const LOCUM_EMAIL = 'locum@clearview.example';
export const REGIONAL_MANAGER_EMAIL = 'north.manager@clearview.example';
export const CHAIN_MANAGER_EMAIL = 'chain.manager@clearview.example';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

export interface AuditScenarioReport {
  emergencyAccessId: string;
  securityEventId: string;
  accessLogEntries: number;
  changeLogEntries: number;
}

/** One clinical access log entry as the access log buffer would have written it. */
interface AccessEntry {
  at: Date;
  userId: string;
  sessionId: string;
  requestId: string;
  clientAddress: string;
  operationName: string;
  customerId: string;
  storeId: string;
  subject: string;
  recordIds: string[];
  fields: string[];
  assignmentIds: string[];
  emergencyAccessId: string | null;
}

interface Actor {
  id: string;
  chainId: string;
}

async function userByEmail(tx: EntityManager, chainId: string, email: string): Promise<Actor> {
  const [user] = (await tx.query('SELECT id FROM staff_user WHERE chain_id = $1 AND email = $2', [chainId, email])) as { id: string }[];
  if (!user) throw new Error(`audit scenario: no demo user ${email}`);
  return { id: user.id, chainId };
}

async function storeId(tx: EntityManager, chainId: string, name: string): Promise<string> {
  const [store] = (await tx.query('SELECT id FROM store WHERE chain_id = $1 AND name = $2', [chainId, name])) as { id: string }[];
  if (!store) throw new Error(`audit scenario: no store ${name}`);
  return store.id;
}

/** A session that was opened, used and signed out of (sessions are kept for the trail). */
async function endedSession(tx: EntityManager, user: Actor, from: Date, until: Date, clientAddress: string): Promise<string> {
  const session = tx.getRepository(Session).create({
    userId: user.id, chainId: user.chainId, tokenHash: createHash('sha256').update(randomBytes(32)).digest(),
    createdAt: from, lastSeenAt: until, maxExpiresAt: new Date(from.getTime() + 12 * HOUR),
    endedAt: until, endedReason: 'LOGOUT', clientAddress, userAgent: BROWSER,
  });
  await tx.getRepository(Session).insert(session);
  return session.id;
}

function requestInfo(clientAddress: string, operationName: string): RequestInfo {
  return { requestId: randomUUID(), clientAddress, userAgent: BROWSER, operationName, purpose: null, purposeProblem: null, token: null };
}

/** Inserts entries in time order through the access log's chain trigger (dated as given: the owner's import path). */
async function insertAccessEntries(clinical: EntityManager, chainId: string, entries: AccessEntry[]): Promise<void> {
  const ordered = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const e of ordered) {
    await clinical.query(
      `INSERT INTO clinical_access_log_entry (chain_id, occurred_at, user_id, session_id, request_id, client_address, user_agent, operation_name,
         purpose, customer_id, store_id, subject, record_ids, fields, outcome, assignment_ids, emergency_access_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $11, $12::uuid[], $13::text[], 'GRANTED', $14::uuid[], $15)`,
      [chainId, e.at, e.userId, e.sessionId, e.requestId, e.clientAddress, BROWSER, e.operationName, e.customerId, e.storeId, e.subject,
        e.recordIds, e.fields, e.assignmentIds, e.emergencyAccessId],
    );
  }
}

interface PatientRecords {
  customerId: string;
  storeId: string;
  examinationIds: string[];
  prescriptionIds: string[];
}

/** Customers with spectacle prescriptions at the given stores (by store order, then id), with their records. */
async function patientsAt(clinical: EntityManager, storeIds: string[], limit: number): Promise<PatientRecords[]> {
  const rows = (await clinical.query(
    `SELECT p.customer_id AS "customerId", p.store_id AS "storeId", array_agg(DISTINCT p.id::text) AS "prescriptionIds",
            coalesce((SELECT array_agg(e.id::text ORDER BY e.id) FROM examination e WHERE e.customer_id = p.customer_id), '{}') AS "examinationIds"
       FROM spectacle_prescription p WHERE p.store_id = ANY($1::uuid[])
      GROUP BY p.customer_id, p.store_id
      ORDER BY array_position($1::uuid[], p.store_id), p.customer_id LIMIT $2`,
    [storeIds, limit],
  )) as PatientRecords[];
  return rows;
}

export async function seedAuditScenario(core: DataSource, clinical: DataSource, chainId: string, now: Date = new Date()): Promise<AuditScenarioReport> {
  return core.transaction((tx) => clinical.transaction((clinicalTx) => writeScenario(tx, clinicalTx, chainId, now)));
}

async function writeScenario(tx: EntityManager, clinicalTx: EntityManager, chainId: string, now: Date): Promise<AuditScenarioReport> {
  const settings = await auditSettingsFor(tx, chainId);
  const locum = await userByEmail(tx, chainId, LOCUM_EMAIL);
  const regional = await userByEmail(tx, chainId, REGIONAL_MANAGER_EMAIL);
  const chainManager = await userByEmail(tx, chainId, CHAIN_MANAGER_EMAIL);
  // (one after the other: a transaction is one connection)
  const bath = await storeId(tx, chainId, 'Bath');
  const bristol = await storeId(tx, chainId, 'Bristol');
  const harrogate = await storeId(tx, chainId, 'Harrogate');
  const york = await storeId(tx, chainId, 'York');
  const entries: AccessEntry[] = [];

  // 1. Break the glass at Bath, about 30 hours ago, for the chain's emergency access time; two reads through it.
  const [patient] = await patientsAt(clinicalTx, [bath], 1);
  if (!patient || patient.examinationIds.length === 0) throw new Error('audit scenario: no Bath patient with records');
  const grantedAt = new Date(now.getTime() - 30 * HOUR);
  const bathDesk = '192.0.2.41';
  const locumSession = await endedSession(tx, locum, new Date(grantedAt.getTime() - 12 * MINUTE), new Date(grantedAt.getTime() + 25 * MINUTE), bathDesk);
  const access = tx.getRepository(EmergencyAccess).create({
    chainId, userId: locum.id, customerId: patient.customerId, storeId: patient.storeId,
    reason: 'Walk-in at Bath with sudden blurred vision in the right eye; I am the only optometrist on site today and need the previous refraction.',
    grantedAt, expiresAt: new Date(grantedAt.getTime() + settings.emergencyAccessMinutes * MINUTE),
    sessionId: locumSession, requestId: randomUUID(), clientAddress: bathDesk,
  });
  await tx.getRepository(EmergencyAccess).insert(access);
  for (const [offset, operationName] of [[3, 'PatientChart'], [9, 'PatientChart']] as const) {
    const read = { at: new Date(grantedAt.getTime() + offset * MINUTE), userId: locum.id, sessionId: locumSession, requestId: randomUUID(), clientAddress: bathDesk, operationName };
    const common = { ...read, customerId: patient.customerId, storeId: patient.storeId, assignmentIds: [], emergencyAccessId: access.id };
    entries.push(
      { ...common, subject: 'Examination', recordIds: patient.examinationIds, fields: ['examinations', 'examinedAt', 'refractions', 'refractions.axis', 'refractions.cylinder', 'refractions.eye', 'refractions.sphere'] },
      { ...common, subject: 'SpectaclePrescription', recordIds: patient.prescriptionIds, fields: ['issuedOn', 'leftSphere', 'rightSphere', 'spectaclePrescriptions'] },
    );
  }

  // 2. A sweep through prescriptions at Harrogate and York, about 26 hours ago: more distinct customers than the threshold.
  const wanted = settings.anomalyDistinctCustomers + 10;
  const swept = await patientsAt(clinicalTx, [harrogate, york], wanted);
  if (swept.length <= settings.anomalyDistinctCustomers) throw new Error('audit scenario: too few North patients for the bulk-read example');
  const [{ id: regionalAssignment }] = (await tx.query('SELECT id FROM role_assignment WHERE user_id = $1 ORDER BY id LIMIT 1', [regional.id])) as { id: string }[];
  const sweepStart = new Date(now.getTime() - 26 * HOUR);
  const office = '198.51.100.23';
  const regionalSession = await endedSession(tx, regional, new Date(sweepStart.getTime() - 5 * MINUTE), new Date(sweepStart.getTime() + 40 * MINUTE), office);
  const pageSize = Math.ceil(swept.length / 3);
  let lastRead = sweepStart;
  for (let page = 0; page * pageSize < swept.length; page += 1) {
    lastRead = new Date(sweepStart.getTime() + page * 4 * MINUTE);
    const request = { at: lastRead, userId: regional.id, sessionId: regionalSession, requestId: randomUUID(), clientAddress: office, operationName: 'RegionPrescriptions' };
    for (const p of swept.slice(page * pageSize, (page + 1) * pageSize)) {
      entries.push({
        ...request, customerId: p.customerId, storeId: p.storeId, subject: 'SpectaclePrescription', recordIds: p.prescriptionIds,
        fields: ['issuedOn', 'outcome', 'prescriberName', 'spectaclePrescriptions'], assignmentIds: [regionalAssignment], emergencyAccessId: null,
      });
    }
  }
  await insertAccessEntries(clinicalTx, chainId, entries);
  // The event the rule raises when it checks after the last of those requests (window: the chain's window up to then).
  const windowEnd = new Date(lastRead.getTime() + 30_000);
  const [{ id: securityEventId }] = (await tx.query(
    `INSERT INTO security_event (chain_id, kind, user_id, raised_at, window_start, window_end, observed_count, threshold)
     VALUES ($1, $2, $3, $4, $5, $4, $6, $7) RETURNING id::text AS id`,
    [chainId, SecurityEventKind.BULK_CLINICAL_READS, regional.id, windowEnd, new Date(windowEnd.getTime() - settings.anomalyWindowMinutes * MINUTE),
      swept.length, settings.anomalyDistinctCustomers],
  )) as { id: string }[];

  // 3. Changes to personal data as the seed runs, by three members of staff, each in a session of their own.
  let changeLogEntries = 0;
  const customers = tx.getRepository(Customer);
  const pickCustomer = async (store: string, skip: string[]): Promise<Customer> => (await customers.createQueryBuilder('c')
    .where('c.home_store_id = :store AND c.status = :status', { store, status: 'ACTIVE' })
    .andWhere(skip.length ? 'c.id NOT IN (:...skip)' : 'TRUE', { skip })
    .orderBy('c.id').getOneOrFail());
  const change = async (actor: Actor, clientAddress: string, work: (author: ChangeAuthor) => Promise<number>): Promise<void> => {
    // (the entries are dated by the database as they are written: the session is the one they were made in)
    const signedOut = new Date();
    const sessionId = await endedSession(tx, actor, new Date(signedOut.getTime() - 20 * MINUTE), signedOut, clientAddress);
    changeLogEntries += await work({ chainId, userId: actor.id, sessionId });
  };
  const updateCustomer = async (actor: Actor, clientAddress: string, customer: Customer, values: Partial<Customer>): Promise<void> =>
    change(actor, clientAddress, async (author) => {
      await customers.update({ id: customer.id, chainId }, values);
      const updated = await customers.findOneByOrFail({ id: customer.id });
      return recordChanges(tx, ChangeLogKind.PERSONAL, author, requestInfo(clientAddress, 'UpdateCustomer'), [{
        action: ChangeAction.UPDATE, subject: 'Customer', entity: Customer, recordId: customer.id, customerId: customer.id,
        storeId: updated.homeStoreId, before: customer, after: updated,
      }]);
    });

  const bathCustomer = await pickCustomer(bath, [patient.customerId]);
  await updateCustomer(locum, bathDesk, bathCustomer, { phone: '07700 900999', email: `${bathCustomer.firstName}.${bathCustomer.lastName}.new@example.com`.toLowerCase() });
  const harrogateCustomer = await pickCustomer(harrogate, []);
  await updateCustomer(regional, office, harrogateCustomer, { addressLine1: '14 Station Road', postcode: 'HG1 5AB' });
  const bristolCustomer = (await customers.createQueryBuilder('c')
    .innerJoin('consent', 'k', "k.customer_id = c.id AND k.channel = 'EMAIL' AND k.granted")
    .where('c.home_store_id = :store AND c.status = :status', { store: bristol, status: 'ACTIVE' })
    .orderBy('c.id').getOneOrFail());
  await change(chainManager, '198.51.100.10', async (author) => {
    await appendConsentChange(tx, author, requestInfo('198.51.100.10', 'RecordConsentChange'), bristolCustomer, {
      channel: ConsentChannel.EMAIL, granted: false, actor: ConsentActor.STAFF, recordedById: chainManager.id, source: ConsentSource.PHONE, wordingVersion: '2024-01',
    });
    return 1;
  });

  return { emergencyAccessId: access.id, securityEventId, accessLogEntries: entries.length, changeLogEntries };
}
