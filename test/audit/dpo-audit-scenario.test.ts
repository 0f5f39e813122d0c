/**
 * The demo seed's audit scenario, as the demo data protection officer meets it through the real API (docs/dpo.md):
 * an ended, unacknowledged break-the-glass access with the reads made through it, an open bulk-read security event
 * that the access log bears out, and data change entries by demo staff; roles without the review permissions get
 * FORBIDDEN; the DPO can acknowledge both items; the seeded trail verifies, and seeding again adds nothing.
 */
import { runAuditVerify } from '../../src/hash-chain/verify-report';
import { seedDemo } from '../../src/seed/demo-seed';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';

const DPO = 'dpo@clearview.example';

const PENDING_ACCESSES = `{ emergencyAccesses(pending: true, first: 20) { totalCount edges { node {
  id customerId reason grantedAt expiresAt inForce uses acknowledged user { name } } } } }`;
const OPEN_EVENTS = `{ securityEvents(acknowledged: false, first: 20) { totalCount edges { node {
  id kind user { name } raisedAt windowStart windowEnd observedCount threshold acknowledged } } } }`;
const CHANGES = `{ dataChangeLog(first: 50) { totalCount edges { node {
  log action subject recordType customerId user { name } store { name } changes { field before after } } } } }`;
const ACCESS_LOG = `query($userId: ID, $emergencyAccessId: ID, $from: DateTimeISO, $to: DateTimeISO) {
  clinicalAccessLog(userId: $userId, emergencyAccessId: $emergencyAccessId, from: $from, to: $to, first: 200) {
    totalCount edges { node { customerId subject outcome assignmentIds emergencyAccessId occurredAt } } } }`;

interface Access { id: string; customerId: string; reason: string; grantedAt: string; expiresAt: string; inForce: boolean; uses: number; acknowledged: boolean; user: { name: string } }
interface Event { id: string; kind: string; user: { name: string }; raisedAt: string; windowStart: string; windowEnd: string; observedCount: number; threshold: number; acknowledged: boolean }
interface Change { log: string; action: string; subject: string; recordType: string; customerId: string; user: { name: string } | null; store: { name: string } | null; changes: { field: string; before: unknown; after: unknown }[] }
interface LogEntry { customerId: string; subject: string; outcome: string; assignmentIds: string[]; emergencyAccessId: string | null; occurredAt: string }

describe('the DPO’s first hour: the seeded audit scenario', () => {
  let app: TestApp;
  let dpo: string;

  async function asDpo<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await app.request<T>(query, variables, dpo);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  beforeAll(async () => {
    app = await startTestApp();
    dpo = await app.login(DPO);
  });
  afterAll(() => app.stop());

  it('lists an ended break-the-glass access awaiting review, with the reads made through it', async () => {
    const { emergencyAccesses } = await asDpo<{ emergencyAccesses: { totalCount: number; edges: { node: Access }[] } }>(PENDING_ACCESSES);
    const grants = emergencyAccesses.edges.map((e) => e.node).filter((a) => a.user.name === 'Lucy Marsh');
    expect(grants).toHaveLength(1);
    const [grant] = grants;
    expect(grant).toMatchObject({ inForce: false, acknowledged: false });
    expect(grant.reason.length).toBeGreaterThanOrEqual(10);
    // ended: the chain's default emergency access time is 60 minutes, and it is over
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)).toBe(60 * 60_000);
    expect(Date.parse(grant.expiresAt)).toBeLessThan(Date.now());
    // the grant's customer is a Bath patient (the locum is only a receptionist there: no clinical rights of her own)
    const [{ store }] = (await app.core.query('SELECT s.name AS store FROM customer c JOIN store s ON s.id = c.home_store_id WHERE c.id = $1', [grant.customerId])) as { store: string }[];
    expect(store).toBe('Bath');

    const { clinicalAccessLog } = await asDpo<{ clinicalAccessLog: { totalCount: number; edges: { node: LogEntry }[] } }>(ACCESS_LOG, { emergencyAccessId: grant.id });
    expect(clinicalAccessLog.totalCount).toBeGreaterThan(0);
    expect(grant.uses).toBe(clinicalAccessLog.totalCount);
    for (const { node } of clinicalAccessLog.edges) {
      expect(node).toMatchObject({ customerId: grant.customerId, outcome: 'GRANTED', assignmentIds: [], emergencyAccessId: grant.id });
      expect(['Examination', 'SpectaclePrescription']).toContain(node.subject);
      // read while the grant was in force
      expect(Date.parse(node.occurredAt)).toBeGreaterThanOrEqual(Date.parse(grant.grantedAt));
      expect(Date.parse(node.occurredAt)).toBeLessThanOrEqual(Date.parse(grant.expiresAt));
    }
  });

  it('lists an open bulk-read security event that the access log bears out', async () => {
    const { securityEvents } = await asDpo<{ securityEvents: { totalCount: number; edges: { node: Event }[] } }>(OPEN_EVENTS);
    const events = securityEvents.edges.map((e) => e.node).filter((e) => e.user.name === 'Nathan Price');
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ kind: 'BULK_CLINICAL_READS', acknowledged: false, threshold: 50 });
    expect(event.observedCount).toBeGreaterThan(event.threshold);
    expect(Date.parse(event.windowEnd) - Date.parse(event.windowStart)).toBe(60 * 60_000);

    // the reads it counted: the regional manager's granted clinical reads in the window, one customer each
    const [{ id: userId }] = (await app.core.query("SELECT id FROM staff_user WHERE email = 'north.manager@clearview.example'")) as { id: string }[];
    const { clinicalAccessLog } = await asDpo<{ clinicalAccessLog: { totalCount: number; edges: { node: LogEntry }[] } }>(
      ACCESS_LOG, { userId, from: event.windowStart, to: event.windowEnd },
    );
    const granted = clinicalAccessLog.edges.map((e) => e.node).filter((n) => n.outcome === 'GRANTED' && n.subject === 'SpectaclePrescription');
    expect(new Set(granted.map((n) => n.customerId)).size).toBe(event.observedCount);
    for (const entry of granted) expect(entry.assignmentIds).toHaveLength(1);
    // none of those customers is registered at Leeds, Bristol or Bath: the North manager swept Harrogate and York
    const stores = (await app.core.query(
      'SELECT DISTINCT s.name FROM customer c JOIN store s ON s.id = c.home_store_id WHERE c.id = ANY($1::uuid[]) ORDER BY s.name', [granted.map((n) => n.customerId)],
    )) as { name: string }[];
    expect(stores.map((s) => s.name)).toEqual(['Harrogate', 'York']);
  });

  it('has data change entries by demo staff: customer updates and a consent withdrawal', async () => {
    const { dataChangeLog } = await asDpo<{ dataChangeLog: { totalCount: number; edges: { node: Change }[] } }>(CHANGES);
    expect(dataChangeLog.totalCount).toBeGreaterThanOrEqual(3);
    const nodes = dataChangeLog.edges.map((e) => e.node);
    const field = (node: Change | undefined, name: string) => node?.changes.find((c) => c.field === name);

    const phone = nodes.find((n) => n.user?.name === 'Lucy Marsh' && n.subject === 'Customer');
    expect(phone).toMatchObject({ log: 'PERSONAL', action: 'UPDATE', recordType: 'Customer', store: { name: 'Bath' } });
    expect(field(phone, 'phone')).toMatchObject({ after: '07700 900999' });
    expect(field(phone, 'phone')!.before).not.toBe('07700 900999');

    const address = nodes.find((n) => n.user?.name === 'Nathan Price' && n.subject === 'Customer');
    expect(address).toMatchObject({ action: 'UPDATE', store: { name: 'Harrogate' } });
    expect(field(address, 'addressLine1')).toMatchObject({ after: '14 Station Road' });

    const consent = nodes.find((n) => n.user?.name === 'Catherine Hale' && n.subject === 'Consent');
    expect(consent).toMatchObject({ action: 'UPDATE', store: { name: 'Bristol' } });
    expect(field(consent, 'granted')).toEqual({ field: 'granted', before: true, after: false });
    expect(field(consent, 'source')).toMatchObject({ after: 'PHONE' });
    // the change is real: the customer's current email consent is withdrawn
    const [current] = (await app.core.query("SELECT granted FROM consent WHERE customer_id = $1 AND channel = 'EMAIL'", [consent!.customerId])) as { granted: boolean }[];
    expect(current.granted).toBe(false);
  });

  it('refuses the review queries to roles without the review permissions', async () => {
    for (const email of ['leeds.reception@clearview.example', 'leeds.manager@clearview.example']) {
      const token = await app.login(email);
      for (const [query, field] of [[PENDING_ACCESSES, 'emergencyAccesses'], [OPEN_EVENTS, 'securityEvents'], [CHANGES, 'dataChangeLog']] as const) {
        const result = await app.request<Record<string, unknown>>(query, {}, token);
        expect([email, field, errorCodes(result)]).toEqual([email, field, ['FORBIDDEN']]);
        expect(result.data?.[field] ?? null).toBeNull();
      }
    }
  });

  it('verifies: every log and chain of the seeded trail is intact', async () => {
    const report = await runAuditVerify({ core: app.ownerCore, clinical: app.ownerClinical });
    expect(report.lines.filter((line) => line.includes('FAIL'))).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('lets the DPO acknowledge both (the access has ended; neither is about the DPO)', async () => {
    const { emergencyAccesses } = await asDpo<{ emergencyAccesses: { edges: { node: Access }[] } }>(PENDING_ACCESSES);
    const grant = emergencyAccesses.edges.map((e) => e.node).find((a) => a.user.name === 'Lucy Marsh')!;
    const ackAccess = await app.request<{ acknowledgeEmergencyAccess: { acknowledged: boolean } }>(
      'mutation($id: ID!, $note: String!) { acknowledgeEmergencyAccess(id: $id, note: $note) { acknowledged } }',
      { id: grant.id, note: 'Confirmed with the Bath store: walk-in emergency, referred the same day.' }, dpo,
    );
    expect(ackAccess.errors).toBeUndefined();
    expect(ackAccess.data!.acknowledgeEmergencyAccess.acknowledged).toBe(true);

    const { securityEvents } = await asDpo<{ securityEvents: { edges: { node: Event }[] } }>(OPEN_EVENTS);
    const event = securityEvents.edges.map((e) => e.node).find((e) => e.user.name === 'Nathan Price')!;
    const ackEvent = await app.request<{ acknowledgeSecurityEvent: { acknowledged: boolean } }>(
      'mutation($id: ID!, $note: String!) { acknowledgeSecurityEvent(id: $id, note: $note) { acknowledged } }',
      { id: event.id, note: 'Asked Nathan Price: prescription audit for the regional review; confirmed by the chain manager.' }, dpo,
    );
    expect(ackEvent.errors).toBeUndefined();
    expect(ackEvent.data!.acknowledgeSecurityEvent.acknowledged).toBe(true);

    const after = await asDpo<{ emergencyAccesses: { edges: { node: Access }[] } }>(PENDING_ACCESSES);
    expect(after.emergencyAccesses.edges.some((e) => e.node.id === grant.id)).toBe(false);
  });

  it('is seeded once: seeding again adds no grant, event, session or log entry', async () => {
    const counts = async () => [
      ...(await app.ownerCore.query(`SELECT (SELECT count(*) FROM emergency_access)::int AS grants, (SELECT count(*) FROM security_event)::int AS events,
         (SELECT count(*) FROM session)::int AS sessions, (SELECT count(*) FROM personal_change_log_entry)::int AS changes`)),
      ...(await app.ownerClinical.query('SELECT (SELECT count(*) FROM clinical_access_log_entry)::int AS reads')),
    ];
    const before = await counts();
    const report = await seedDemo(app.ownerCore, app.ownerClinical);
    expect(report.chainsCreated).toEqual([]);
    expect(await counts()).toEqual(before);
  });
});
