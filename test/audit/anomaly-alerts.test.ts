/**
 * Anomaly alerts: the chain's audit settings (read, validated changes), the two rules (distinct
 * customers' clinical records read, distinct customers exported, each within the window) raising one
 * security event per user and kind per window, safe under concurrency and never counting denied reads;
 * the review (list, filter, page, acknowledge once with a note, not one's own event), the permissions
 * of every new root field, and append-only storage. Checks run in the background: the suite sets
 * ANOMALY_CHECK_INTERVAL_SECONDS to 0 (`anomalyCheckIntervalSeconds`) and drains them before asserting.
 */
import { DataSource } from 'typeorm';
import { checkUserForAnomalies } from '../../src/audit/anomaly-check';
import { AnomalyDetector } from '../../src/audit/anomaly-detector';
import { raiseSecurityEvent } from '../../src/audit/security-event-log';
import { statementCount } from '../../src/db/data-sources';
import { SecurityEventKind } from '../../src/schema/enums';
import { logger } from '../../src/logging/logger';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const CHAIN_MANAGER = EMAIL.chainManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const ASSISTANT = EMAIL.leedsAssistant;
const RECEPTION = EMAIL.leedsReception;
const DPO = EMAIL.dpo;
const LOCUM = EMAIL.locum;
const LAKESIDE = EMAIL.lakesideManager;

const SETTINGS = `{ auditSettings { anomalyDistinctCustomers anomalyWindowMinutes anomalyExportCustomers emergencyAccessMinutes updatedAt updatedBy { name } } }`;
const UPDATE_SETTINGS = `mutation($input: UpdateAuditSettingsInput!) {
  updateAuditSettings(input: $input) { anomalyDistinctCustomers anomalyWindowMinutes anomalyExportCustomers emergencyAccessMinutes updatedAt updatedBy { name } }
}`;
const EVENTS = `query($acknowledged: Boolean, $userId: ID, $first: Int, $after: String) {
  securityEvents(acknowledged: $acknowledged, userId: $userId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id kind userId user { name } raisedAt windowStart windowEnd observedCount threshold acknowledged acknowledgement { byId by { name } at note } } }
  }
}`;
const ACKNOWLEDGE = `mutation($id: ID!, $note: String!) {
  acknowledgeSecurityEvent(id: $id, note: $note) { id kind acknowledged acknowledgement { byId by { name } at note } }
}`;

interface Settings {
  anomalyDistinctCustomers: number;
  anomalyWindowMinutes: number;
  anomalyExportCustomers: number;
  emergencyAccessMinutes: number;
  updatedAt: string | null;
  updatedBy: { name: string } | null;
}

interface EventNode {
  id: string;
  kind: string;
  userId: string;
  user: { name: string } | null;
  raisedAt: string;
  windowStart: string;
  windowEnd: string;
  observedCount: number;
  threshold: number;
  acknowledged: boolean;
  acknowledgement: { byId: string; by: { name: string } | null; at: string; note: string } | null;
}

interface EventPage {
  securityEvents: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: EventNode }[] };
}

/** One request reading `selection` of each customer (aliases c0, c1, ...). */
function customersQuery(ids: string[], selection: string): { query: string; variables: Record<string, string> } {
  const variables = Object.fromEntries(ids.map((id, i) => [`c${i}`, id]));
  const query = `query(${ids.map((_, i) => `$c${i}: ID!`).join(', ')}) {
    ${ids.map((_, i) => `c${i}: customer(id: $c${i}) { id ${selection} }`).join('\n    ')}
  }`;
  return { query, variables };
}

describe('anomaly alerts', () => {
  let app: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let chainId: string;
  /** The chain's events before the suite (the demo seed's open one), all unacknowledged. */
  let seededEvents: number;
  /** Leeds customers (home store Leeds) with spectacle prescriptions made at Leeds. */
  let patients: string[];

  async function events(userId: string): Promise<{ id: string; kind: string; observed_count: number; threshold: number }[]> {
    return app.core.query('SELECT id::text AS id, kind, observed_count, threshold FROM security_event WHERE user_id = $1 ORDER BY security_event.id', [userId]);
  }

  async function readPrescriptions(email: string, customerIds: string[]): Promise<void> {
    const { query, variables } = customersQuery(customerIds, 'spectaclePrescriptions { id }');
    const result = await app.request<Record<string, { spectaclePrescriptions: unknown[] | null }>>(query, variables, tokens[email]);
    expect(result.errors).toBeUndefined();
    for (const key of Object.keys(variables)) expect(result.data![key].spectaclePrescriptions!.length).toBeGreaterThan(0);
  }

  async function accessReports(customerIds: string[]): Promise<void> {
    for (const id of customerIds) {
      const result = await app.request<{ customerAccessReport: unknown[] }>('query($id: ID!) { customerAccessReport(customerId: $id) { id } }', { id }, tokens[DPO]);
      expect(result.errors).toBeUndefined();
      expect(result.data!.customerAccessReport.length).toBeGreaterThan(0);
    }
  }

  const drain = () => app.app.anomalies.drain();

  beforeAll(async () => {
    app = await startTestApp({ anomalyCheckIntervalSeconds: 0 });
    const users: { id: string; email: string; chain_id: string }[] = await app.core.query('SELECT id, email, chain_id FROM staff_user');
    for (const user of users) ids[user.email] = user.id;
    chainId = users.find((u) => u.email === OPTOMETRIST)!.chain_id;
    [{ n: seededEvents }] = await app.core.query('SELECT count(*)::int AS n FROM security_event WHERE chain_id = $1', [chainId]);
    const [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    const withRx: { customer_id: string }[] = await app.clinical.query('SELECT DISTINCT customer_id FROM spectacle_prescription WHERE store_id = $1', [leedsId]);
    const homeLeeds: { id: string }[] = await app.core.query('SELECT id FROM customer WHERE home_store_id = $1 AND id = ANY($2) ORDER BY id', [leedsId, withRx.map((r) => r.customer_id)]);
    patients = homeLeeds.map((c) => c.id);
    expect(patients.length).toBeGreaterThanOrEqual(14);
    for (const email of [CHAIN_MANAGER, OPTOMETRIST, ASSISTANT, RECEPTION, DPO, LAKESIDE]) tokens[email] = await app.login(email);
  });
  afterAll(() => app.stop());

  describe('audit settings', () => {
    it('has the defaults until a chain manager changes them, validated, for their chain only', async () => {
      const defaults = await app.request<{ auditSettings: Settings }>(SETTINGS, {}, tokens[CHAIN_MANAGER]);
      expect(defaults.errors).toBeUndefined();
      expect(defaults.data!.auditSettings).toEqual({
        anomalyDistinctCustomers: 50, anomalyWindowMinutes: 60, anomalyExportCustomers: 100, emergencyAccessMinutes: 60, updatedAt: null, updatedBy: null,
      });

      const updated = await app.request<{ updateAuditSettings: Settings }>(UPDATE_SETTINGS, { input: { anomalyDistinctCustomers: 3, anomalyExportCustomers: 2 } }, tokens[CHAIN_MANAGER]);
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateAuditSettings).toMatchObject({ anomalyDistinctCustomers: 3, anomalyWindowMinutes: 60, anomalyExportCustomers: 2, emergencyAccessMinutes: 60, updatedBy: { name: 'Catherine Hale' } });
      expect(Date.parse(updated.data!.updateAuditSettings.updatedAt!)).toBeGreaterThan(Date.now() - 60_000);

      // The DPO reads them; another chain keeps its own (the defaults).
      const asDpo = await app.request<{ auditSettings: Settings }>(SETTINGS, {}, tokens[DPO]);
      expect(asDpo.data!.auditSettings).toMatchObject({ anomalyDistinctCustomers: 3, anomalyExportCustomers: 2 });
      const lakeside = await app.request<{ auditSettings: Settings }>(SETTINGS, {}, tokens[LAKESIDE]);
      expect(lakeside.data!.auditSettings).toMatchObject({ anomalyDistinctCustomers: 50, anomalyExportCustomers: 100, updatedAt: null });
    });

    it.each([
      ['anomalyDistinctCustomers', 0],
      ['anomalyDistinctCustomers', 100_001],
      ['anomalyWindowMinutes', 0],
      ['anomalyWindowMinutes', 1441],
      ['anomalyExportCustomers', 0],
      ['emergencyAccessMinutes', 4],
      ['emergencyAccessMinutes', 721],
      ['anomalyWindowMinutes', null],
    ])('refuses %s = %p as BAD_USER_INPUT naming the field, changing nothing', async (field, value) => {
      const before = await app.core.query('SELECT * FROM audit_settings');
      // A valid change alongside the bad one must not be saved either.
      const result = await app.request(UPDATE_SETTINGS, { input: { anomalyExportCustomers: 7, [field]: value } }, tokens[CHAIN_MANAGER]);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions?.field).toBe(`input.${field}`);
      expect(await app.core.query('SELECT * FROM audit_settings')).toEqual(before);
    });

    it('refuses an input that sets nothing', async () => {
      for (const input of [{}, null]) {
        const result = await app.request(UPDATE_SETTINGS, { input }, tokens[CHAIN_MANAGER]);
        expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
        expect(result.errors![0].extensions?.field).toBe('input');
      }
    });
  });

  describe('detection', () => {
    it('raises exactly one BULK_CLINICAL_READS event once a user reads more distinct customers than the threshold, not again within the window', async () => {
      const userId = ids[OPTOMETRIST];
      await readPrescriptions(OPTOMETRIST, patients.slice(0, 3));
      await readPrescriptions(OPTOMETRIST, patients.slice(0, 3)); // the same customers again: still 3
      await drain();
      expect(await events(userId)).toEqual([]);

      await readPrescriptions(OPTOMETRIST, patients.slice(3, 4));
      await drain();
      const raised = await events(userId);
      expect(raised).toEqual([{ id: expect.any(String), kind: 'BULK_CLINICAL_READS', observed_count: 4, threshold: 3 }]);

      await readPrescriptions(OPTOMETRIST, patients.slice(4, 6));
      await drain();
      expect(await events(userId)).toEqual(raised);

      const [window] = await app.core.query('SELECT window_start, window_end, raised_at FROM security_event WHERE id = $1', [raised[0].id]);
      expect(window.window_end.getTime() - window.window_start.getTime()).toBe(60 * 60_000);
    });

    it('does not count denied reads', async () => {
      const userId = ids[RECEPTION];
      const { query, variables } = customersQuery(patients.slice(0, 8), 'examinations { id }');
      const result = await app.request(query, variables, tokens[RECEPTION]);
      expect(errorCodes(result).every((code) => code === 'FORBIDDEN')).toBe(true);
      await drain();
      const [{ denied, granted }] = await app.clinical.query(
        `SELECT count(DISTINCT customer_id) FILTER (WHERE outcome = 'DENIED')::int AS denied, count(*) FILTER (WHERE outcome = 'GRANTED')::int AS granted
           FROM clinical_access_log_entry WHERE user_id = $1`, [userId]);
      expect(denied).toBe(8);
      expect(granted).toBe(0);
      expect(await events(userId)).toEqual([]);
    });

    it('raises one event however many checks run at once', async () => {
      const userId = ids[ASSISTANT];
      // Concurrent requests, each checked after its response...
      await Promise.all([0, 2, 4, 6].map((i) => readPrescriptions(ASSISTANT, patients.slice(i, i + 2))));
      // ...and more checks of the same user side by side.
      const direct = await Promise.all(Array.from({ length: 6 }, () => checkUserForAnomalies(app.core, app.clinical, chainId, userId)));
      await drain();
      const raised = await events(userId);
      // One event per level, however many raced: the first above 3, at most one more above 6 (8 customers read).
      expect(raised.length).toBeGreaterThanOrEqual(1);
      expect(raised.map((e) => e.threshold)).toEqual([3, 6].slice(0, raised.length));
      expect(raised[0]).toMatchObject({ kind: 'BULK_CLINICAL_READS', threshold: 3 });
      expect(raised[0].observed_count).toBeGreaterThan(3);
      for (const event of raised) expect(direct.flat().filter((id) => id === event.id).length).toBeLessThanOrEqual(1);
    });

    it('raises a BULK_EXPORTS event when the DPO reports on more distinct customers than the export threshold', async () => {
      const userId = ids[DPO];
      await accessReports(patients.slice(0, 2));
      await drain();
      expect(await events(userId)).toEqual([]);
      await accessReports(patients.slice(2, 3));
      await drain();
      expect(await events(userId)).toEqual([{ id: expect.any(String), kind: 'BULK_EXPORTS', observed_count: 3, threshold: 2 }]);
      // reading on after the alert: the count goes on since the episode began, and raises again past twice the threshold
      await accessReports(patients.slice(3, 5));
      await drain();
      expect(await events(userId)).toEqual([
        { id: expect.any(String), kind: 'BULK_EXPORTS', observed_count: 3, threshold: 2 },
        { id: expect.any(String), kind: 'BULK_EXPORTS', observed_count: 5, threshold: 4 },
      ]);
    });

    it('counts only the chain’s window', async () => {
      const userId = ids[LOCUM];
      // Five customers' examinations read two hours ago (backdated by the owner: the application role cannot).
      await app.ownerClinical.query(
        `INSERT INTO clinical_access_log_entry (chain_id, occurred_at, user_id, session_id, request_id, customer_id, store_id, subject, record_ids, fields, outcome)
         SELECT $1, now() - interval '2 hours', $2, gen_random_uuid(), 'backdated', c, NULL, 'Examination', '{}', '{id}', 'GRANTED' FROM unnest($3::uuid[]) AS c`,
        [chainId, userId, patients.slice(0, 5)]);
      expect(await checkUserForAnomalies(app.core, app.clinical, chainId, userId)).toEqual([]);

      const wider = await app.request(UPDATE_SETTINGS, { input: { anomalyWindowMinutes: 180 } }, tokens[CHAIN_MANAGER]);
      expect(wider.errors).toBeUndefined();
      const raised = await checkUserForAnomalies(app.core, app.clinical, chainId, userId);
      expect(raised).toHaveLength(1);
      expect(await events(userId)).toEqual([{ id: raised[0], kind: 'BULK_CLINICAL_READS', observed_count: 5, threshold: 3 }]);
      const restored = await app.request(UPDATE_SETTINGS, { input: { anomalyWindowMinutes: 60 } }, tokens[CHAIN_MANAGER]);
      expect(restored.errors).toBeUndefined();
    });
  });

  describe('the detector', () => {
    it('checks a user at most once per interval, covering every call in between, only when due or drained', async () => {
      const statements = () => statementCount(app.core) + statementCount(app.clinical);
      const userId = ids[OPTOMETRIST];
      let before = statements();
      await checkUserForAnomalies(app.core, app.clinical, chainId, userId);
      const oneCheck = statements() - before;
      expect(oneCheck).toBeGreaterThan(0);

      const detector = new AnomalyDetector(app.core, app.clinical, 10 * 60_000);
      const principal = { chainId, userId, sessionId: '00000000-0000-4000-8000-000000000000' };
      before = statements();
      for (let i = 0; i < 5; i++) detector.afterAccessLogWritten(principal);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(statements()).toBe(before); // not due yet
      await detector.drain();
      expect(statements() - before).toBe(oneCheck); // one check for the five calls
      expect(await events(userId)).toHaveLength(1);

      await detector.stop();
      before = statements();
      detector.afterAccessLogWritten(principal);
      await detector.drain();
      expect(statements()).toBe(before); // stopped: takes no more checks
    });

    it('logs a failed check with ids only and never throws', async () => {
      const failing = {
        manager: { getRepository: () => ({ findOneBy: () => Promise.reject(new Error('relation "Jane Example" does not exist')) }) },
      } as unknown as DataSource;
      const detector = new AnomalyDetector(failing, failing, 0);
      const spy = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
      try {
        detector.afterAccessLogWritten({ chainId, userId: ids[OPTOMETRIST], sessionId: '00000000-0000-4000-8000-000000000000' });
        await detector.drain();
        expect(spy).toHaveBeenCalledTimes(1);
        const [fields, message] = spy.mock.calls[0] as unknown as [Record<string, unknown>, string];
        expect(message).toBe('anomaly check failed');
        expect(fields).toEqual({ chainId, userId: ids[OPTOMETRIST], err: expect.any(String) });
        expect(fields.err).not.toContain('Jane');
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('review', () => {
    let optometristEvent: string;
    let dpoEvent: string;

    beforeAll(async () => {
      [{ id: optometristEvent }] = await events(ids[OPTOMETRIST]);
      [{ id: dpoEvent }] = await events(ids[DPO]);
    });

    it('lists the chain’s events newest first, with user and counts, filtered and paged', async () => {
      const all = await app.request<EventPage>(EVENTS, {}, tokens[DPO]);
      expect(all.errors).toBeUndefined();
      const page = all.data!.securityEvents;
      // 6 anomaly events, and the SETTING_WEAKENED one of narrowing the window back to 60 minutes (and the seeded ones)
      expect(page.totalCount).toBe(7 + seededEvents);
      const eventIds = page.edges.map((e) => Number(e.node.id));
      expect(eventIds).toEqual([...eventIds].sort((a, b) => b - a));
      const optometrist = page.edges.find((e) => e.node.id === optometristEvent)!.node;
      expect(optometrist).toMatchObject({
        kind: 'BULK_CLINICAL_READS', userId: ids[OPTOMETRIST], user: { name: 'Dr Omar Rahman' }, observedCount: 4, threshold: 3,
        acknowledged: false, acknowledgement: null,
      });
      expect(Date.parse(optometrist.windowEnd) - Date.parse(optometrist.windowStart)).toBe(3600_000);

      const mine = await app.request<EventPage>(EVENTS, { userId: ids[DPO] }, tokens[DPO]);
      expect(mine.data!.securityEvents.edges.map((e) => e.node)).toEqual([
        expect.objectContaining({ kind: 'BULK_EXPORTS', observedCount: 5, threshold: 4 }),
        expect.objectContaining({ id: dpoEvent, kind: 'BULK_EXPORTS', observedCount: 3, threshold: 2 }),
      ]);

      const first = await app.request<EventPage>(EVENTS, { first: 4 }, tokens[DPO]);
      expect(first.data!.securityEvents.pageInfo.hasNextPage).toBe(true);
      const second = await app.request<EventPage>(EVENTS, { first: 4, after: first.data!.securityEvents.pageInfo.endCursor }, tokens[DPO]);
      expect(second.data!.securityEvents.pageInfo.hasNextPage).toBe(false);
      expect([...first.data!.securityEvents.edges, ...second.data!.securityEvents.edges].map((e) => e.node.id)).toEqual(page.edges.map((e) => e.node.id));

      const bad = await app.request(EVENTS, { after: 'not-a-cursor' }, tokens[DPO]);
      expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
      expect(bad.errors![0].extensions?.field).toBe('after');
      expect(errorCodes(await app.request(EVENTS, { first: 0 }, tokens[DPO]))).toEqual(['BAD_USER_INPUT']);
    });

    it('acknowledges an event once, with a note, and lists by acknowledgement', async () => {
      const countAcks = async () => Number((await app.core.query('SELECT count(*) AS n FROM review_acknowledgement'))[0].n);
      for (const note of [null, '', '   ', 'x'.repeat(1001)]) {
        const refused = await app.request(ACKNOWLEDGE, { id: optometristEvent, note }, tokens[DPO]);
        expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
        expect(refused.errors![0].extensions?.field).toBe('note');
      }
      expect(await countAcks()).toBe(0);

      const note = 'Checked with the store: recall letters for the week.';
      const done = await app.request<{ acknowledgeSecurityEvent: EventNode }>(ACKNOWLEDGE, { id: optometristEvent, note: `  ${note} ` }, tokens[DPO]);
      expect(done.errors).toBeUndefined();
      expect(done.data!.acknowledgeSecurityEvent).toMatchObject({
        id: optometristEvent, acknowledged: true, acknowledgement: { byId: ids[DPO], by: { name: 'Diana Pearce' }, note },
      });
      expect(Date.parse(done.data!.acknowledgeSecurityEvent.acknowledgement!.at)).toBeGreaterThan(Date.now() - 60_000);

      const again = await app.request(ACKNOWLEDGE, { id: optometristEvent, note: 'Again' }, tokens[DPO]);
      expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
      expect(again.errors![0].extensions?.field).toBe('id');
      expect(await countAcks()).toBe(1);

      const acknowledged = await app.request<EventPage>(EVENTS, { acknowledged: true }, tokens[DPO]);
      expect(acknowledged.data!.securityEvents.edges.map((e) => e.node)).toEqual([
        expect.objectContaining({ id: optometristEvent, acknowledged: true, acknowledgement: expect.objectContaining({ note, by: { name: 'Diana Pearce' } }) }),
      ]);
      const open = await app.request<EventPage>(EVENTS, { acknowledged: false }, tokens[DPO]);
      expect(open.data!.securityEvents.totalCount).toBe(6 + seededEvents);
      expect(open.data!.securityEvents.edges.every((e) => !e.node.acknowledged)).toBe(true);
    });

    it('takes a note of up to 1000 characters, and refuses acknowledging an event about oneself', async () => {
      const own = await app.request(ACKNOWLEDGE, { id: dpoEvent, note: 'My own review' }, tokens[DPO]);
      expect(errorCodes(own)).toEqual(['FORBIDDEN']);
      const byManager = await app.request<{ acknowledgeSecurityEvent: EventNode }>(ACKNOWLEDGE, { id: dpoEvent, note: 'x'.repeat(1000) }, tokens[CHAIN_MANAGER]);
      expect(byManager.errors).toBeUndefined();
      expect(byManager.data!.acknowledgeSecurityEvent.acknowledgement).toMatchObject({ byId: ids[CHAIN_MANAGER], by: { name: 'Catherine Hale' } });
      expect(byManager.data!.acknowledgeSecurityEvent.acknowledgement!.note).toHaveLength(1000);
    });

    it('does not disclose events of another chain, or ids that do not exist', async () => {
      const lakesideList = await app.request<EventPage>(EVENTS, {}, tokens[LAKESIDE]);
      expect(lakesideList.errors).toBeUndefined();
      expect(lakesideList.data!.securityEvents.totalCount).toBe(0);
      const [{ id: assistantEvent }] = await events(ids[ASSISTANT]);
      for (const id of [assistantEvent, '999999']) {
        expect(errorCodes(await app.request(ACKNOWLEDGE, { id, note: 'Seen' }, tokens[id === assistantEvent ? LAKESIDE : DPO]))).toEqual(['NOT_FOUND']);
      }
      const malformed = await app.request(ACKNOWLEDGE, { id: 'not-an-id', note: 'Seen' }, tokens[DPO]);
      expect([errorCodes(malformed), malformed.errors?.[0].extensions?.field]).toEqual([['BAD_USER_INPUT'], 'id']);
      const missing = await app.request(ACKNOWLEDGE, { note: 'Seen' }, tokens[DPO]);
      expect(errorCodes(missing)).toEqual(['BAD_USER_INPUT']);
      expect(missing.errors![0].extensions?.field).toBe('id');
      const [{ n }] = await app.core.query(`SELECT count(*)::int AS n FROM review_acknowledgement WHERE item_id = $1`, [assistantEvent]);
      expect(n).toBe(0);
    });
  });

  describe('permissions', () => {
    const cases: [string, string, string, Record<string, unknown>][] = [
      [OPTOMETRIST, 'auditSettings', SETTINGS, {}],
      [OPTOMETRIST, 'updateAuditSettings', UPDATE_SETTINGS, { input: { anomalyDistinctCustomers: 1000 } }],
      [DPO, 'updateAuditSettings', UPDATE_SETTINGS, { input: { anomalyDistinctCustomers: 1000 } }],
      [OPTOMETRIST, 'securityEvents', EVENTS, {}],
      [RECEPTION, 'securityEvents', EVENTS, {}],
      [OPTOMETRIST, 'acknowledgeSecurityEvent', ACKNOWLEDGE, { id: '1', note: 'Seen' }],
      [RECEPTION, 'acknowledgeSecurityEvent', ACKNOWLEDGE, { id: '1', note: 'Seen' }],
    ];
    it.each(cases)('%s gets FORBIDDEN for %s', async (email, _field, query, variables) => {
      const before = await app.core.query('SELECT (SELECT count(*) FROM review_acknowledgement) AS acks, (SELECT row_to_json(s) FROM audit_settings s) AS settings');
      const result: GraphQLResult<unknown> = await app.request(query, variables, tokens[email]);
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(await app.core.query('SELECT (SELECT count(*) FROM review_acknowledgement) AS acks, (SELECT row_to_json(s) FROM audit_settings s) AS settings')).toEqual(before);
    });

    it('needs a session', async () => {
      expect(errorCodes(await app.request(SETTINGS, {}, null))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await app.request(EVENTS, {}, null))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('raising', () => {
    it('inserts one event when many raisers race for the same user, kind and window', async () => {
      const [{ chain_id: lakesideChain }] = await app.core.query('SELECT chain_id FROM staff_user WHERE email = $1', [LAKESIDE]);
      const windowEnd = new Date();
      const draft = {
        chainId: lakesideChain, userId: ids[LAKESIDE], kind: SecurityEventKind.BULK_EXPORTS,
        windowStart: new Date(windowEnd.getTime() - 3600_000), windowEnd, observedCount: 101, threshold: 100,
      };
      const raised = await Promise.all(Array.from({ length: 12 }, () => raiseSecurityEvent(app.core, draft)));
      expect(raised.filter((id) => id !== null)).toHaveLength(1);
      expect(await events(ids[LAKESIDE])).toHaveLength(1);
    });
  });

  describe('storage', () => {
    const changes = (table: string): string[] => [
      `UPDATE ${table} SET chain_id = chain_id`,
      `DELETE FROM ${table}`,
      `TRUNCATE ${table}`,
    ];
    it.each(['security_event', 'review_acknowledgement'])('%s is append-only: the API’s role may not change it, and the triggers stop the owner', async (table) => {
      const [{ n: before }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(before).toBeGreaterThan(0);
      for (const sql of changes(table)) {
        await expect(app.core.query(sql)).rejects.toThrow(/permission denied/);
        await expect(app.ownerCore.query(sql)).rejects.toThrow(/append-only/);
      }
      const [{ n: after }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(after).toBe(before);
    });
  });

  describe('clinical values read through the change log', () => {
    it('count as clinical reads (DataChangeEntry entries; last: it adds an event the listings above would count)', async () => {
      const userId = ids[EMAIL.northManager];
      const before = await events(userId); // (the demo seed's event about this user, more than a day old)
      await app.ownerClinical.query(
        `INSERT INTO clinical_access_log_entry (chain_id, user_id, session_id, request_id, customer_id, store_id, subject, record_ids, fields, outcome)
         SELECT $1, $2, gen_random_uuid(), 'change-log-review', c, NULL, 'DataChangeEntry', '{}', '{Examination.history}', 'GRANTED' FROM unnest($3::uuid[]) AS c`,
        [chainId, userId, patients.slice(0, 4)]);
      const raised = await checkUserForAnomalies(app.core, app.clinical, chainId, userId);
      expect(raised).toHaveLength(1);
      expect(await events(userId)).toEqual([...before, { id: raised[0], kind: 'BULK_CLINICAL_READS', observed_count: 4, threshold: 3 }]);
    });
  });


  describe('a sustained bulk read', () => {
    it('keeps counting after an alert: a new event each time the episode passes twice the last threshold', async () => {
      const userId = ids[CHAIN_MANAGER];
      const events = async (user: string) => (await app.core.query(
        `SELECT id::text AS id, kind, observed_count, threshold FROM security_event WHERE user_id = $1 AND kind = 'BULK_CLINICAL_READS' ORDER BY security_event.id`, [user],
      )) as { id: string; kind: string; observed_count: number; threshold: number }[];
      await readPrescriptions(CHAIN_MANAGER, patients.slice(0, 4));
      await drain();
      await readPrescriptions(CHAIN_MANAGER, patients.slice(4, 6)); // 6: not above 6
      await drain();
      expect((await events(userId)).map((e) => [e.observed_count, e.threshold])).toEqual([[4, 3]]);
      await readPrescriptions(CHAIN_MANAGER, patients.slice(6, 7)); // 7 > 6
      await drain();
      await readPrescriptions(CHAIN_MANAGER, patients.slice(7, 13)); // 13 > 12
      await drain();
      expect((await events(userId)).map((e) => [e.observed_count, e.threshold])).toEqual([[4, 3], [7, 6], [13, 12]]);
      // every escalation covers the whole episode, from the first event's start
      const windows = (await app.core.query(
        "SELECT window_start FROM security_event WHERE user_id = $1 AND kind = 'BULK_CLINICAL_READS' ORDER BY id", [userId],
      )) as { window_start: Date }[];
      expect(new Set(windows.map((w) => w.window_start.getTime())).size).toBe(1);
    });

    it('is judged by the background sweep even when no request of this process announces it', async () => {
      const userId = ids[EMAIL.leedsManager];
      const detector = new AnomalyDetector(app.core, app.clinical, 100);
      try {
        await detector.sweep(); // the first sweep marks where the log ends
        await app.clinical.query(
          `SELECT clinical_access_log_append($1, $2, gen_random_uuid(), 'other-process', NULL, NULL, NULL, NULL, $3::uuid[],
             array_fill(NULL::uuid, ARRAY[5]), array_fill('Examination'::text, ARRAY[5]), array_fill('{}'::text, ARRAY[5]),
             array_fill('{history}'::text, ARRAY[5]), array_fill('GRANTED'::text, ARRAY[5]), array_fill('{}'::text, ARRAY[5]), array_fill(NULL::uuid, ARRAY[5]))`,
          [chainId, userId, patients.slice(0, 5)],
        );
        for (let i = 0; i < 50 && (await events(userId)).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
        expect(await events(userId)).toEqual([{ id: expect.any(String), kind: 'BULK_CLINICAL_READS', observed_count: 5, threshold: 3 }]);
      } finally {
        await detector.stop();
      }
    });
  });

});
