/**
 * Who may use the DPO's registers (issue 12, item 9): the demo data protection officer holds every operation on the
 * breach register and the records of processing; every other demo role is refused with FORBIDDEN (and the export
 * route with 403), changing nothing — but the chain manager, whose role is `manage` on every subject of the catalog
 * (src/seed/demo-roles.ts), so it holds these too. A store- or region-scoped grant never reaches these chain-wide rows.
 */
import { ACTORS, Actor, signIn, SignedInClient } from '../support/actors';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';

const BREACH_INPUT = { discoveredAt: new Date(Date.now() - 3600_000).toISOString(), description: 'Permission probe.', dataCategories: ['Contact details'], risk: 'RISK', riskAssessment: 'Probe.' };
const ACTIVITY_INPUT = {
  name: 'Permission probe', purpose: 'Probe.', lawfulBases: ['CONTRACT'], dataCategories: ['Identity'], dataSubjects: ['Customers'], recipients: [],
  retention: '1 year.', securityMeasures: 'Probe.', controllerContact: 'Probe.', dpoContact: 'Probe.',
};

interface Operation { name: string; query: string; variables: (ids: { breach: string; user: string }) => Record<string, unknown> }

const OPERATIONS: Operation[] = [
  { name: 'breaches', query: '{ breaches { id } }', variables: () => ({}) },
  { name: 'breachAffectedCustomers', query: 'query($u: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { breachAffectedCustomers(userId: $u, from: $f, to: $t) }', variables: ({ user }) => ({ u: user, f: new Date(Date.now() - 86400_000).toISOString(), t: new Date().toISOString() }) },
  { name: 'recordBreach', query: 'mutation($input: RecordBreachInput!) { recordBreach(input: $input) { id } }', variables: () => ({ input: BREACH_INPUT }) },
  { name: 'updateBreach', query: 'mutation($id: ID!, $input: UpdateBreachInput!) { updateBreach(id: $id, input: $input) { id } }', variables: ({ breach }) => ({ id: breach, input: { measures: 'Probe measures.' } }) },
  { name: 'processingActivities', query: '{ processingActivities { id } }', variables: () => ({}) },
  { name: 'upsertProcessingActivity', query: 'mutation($input: UpsertProcessingActivityInput!) { upsertProcessingActivity(input: $input) { id } }', variables: () => ({ input: ACTIVITY_INPUT }) },
];

/** Hold the registers: the DPO (its role), and the chain managers (`manage` on every subject, by construction). */
const HOLDERS: Actor[] = ['dpo', 'chainManager'];
const REFUSED = ACTORS.filter((a) => !HOLDERS.includes(a) && a !== 'lakesideManager');

describe('the registers’ permissions', () => {
  let t: TestApp;
  const clients = new Map<Actor, SignedInClient>();
  let ids: { breach: string; user: string };

  beforeAll(async () => {
    t = await startTestApp();
    for (const actor of ACTORS) clients.set(actor, await signIn(t, actor));
    const [breach] = (await t.core.query(`SELECT b.id FROM breach b JOIN chain c ON c.id = b.chain_id WHERE c.name = 'Clearview Opticians' ORDER BY b.discovered_at LIMIT 1`)) as { id: string }[];
    const [user] = (await t.core.query(`SELECT id FROM staff_user WHERE email = 'leeds.optometrist@clearview.example'`)) as { id: string }[];
    ids = { breach: breach.id, user: user.id };
  });
  afterAll(() => t.stop());

  const fingerprint = async () => (await t.ownerCore.query(
    `SELECT (SELECT count(*) FROM breach) AS b, (SELECT count(*) FROM breach_event) AS e, (SELECT md5(coalesce(string_agg(measures, ','), '')) FROM breach) AS m,
            (SELECT count(*) FROM processing_activity) AS p, (SELECT count(*) FROM processing_activity_change) AS c, (SELECT count(*) FROM register_export) AS x`,
  )) as unknown[];

  it('refuses every other demo role (FORBIDDEN), changing nothing', async () => {
    expect(REFUSED.sort()).toEqual(['bi', 'leedsAssistant', 'leedsManager', 'leedsOptometrist', 'leedsReception', 'locum', 'northManager']);
    const before = await fingerprint();
    const answers: string[] = [];
    for (const actor of REFUSED) {
      for (const op of OPERATIONS) answers.push(`${actor} ${op.name}: ${errorCodes(await clients.get(actor)!.request(op.query, op.variables(ids))).join(',')}`);
    }
    expect(answers).toEqual(REFUSED.flatMap((actor) => OPERATIONS.map((op) => `${actor} ${op.name}: FORBIDDEN`)));
    expect(await fingerprint()).toEqual(before);
  });

  it('refuses the export route to every other demo role (403)', async () => {
    const url = t.url.replace(/\/graphql$/, '/exports/processing-activities?format=csv');
    for (const actor of REFUSED) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${clients.get(actor)!.token}` } });
      expect([actor, res.status]).toEqual([actor, 403]);
    }
  });

  it('lets the DPO and the chain manager do each of them', async () => {
    for (const actor of HOLDERS) {
      for (const op of OPERATIONS) {
        const variables = op.name === 'upsertProcessingActivity' ? { input: { ...ACTIVITY_INPUT, name: `Probe of ${actor}` } } : op.variables(ids);
        const res = await clients.get(actor)!.request(op.query, variables);
        expect([actor, op.name, res.errors]).toEqual([actor, op.name, undefined]);
      }
      const res = await fetch(t.url.replace(/\/graphql$/, '/exports/processing-activities?format=json'), { headers: { authorization: `Bearer ${clients.get(actor)!.token}` } });
      expect(res.status).toBe(200);
    }
  });

  it('a chain manager of the other chain sees only its own chain’s registers', async () => {
    const lakeside = clients.get('lakesideManager')!;
    const breaches = await lakeside.request<{ breaches: { id: string }[] }>('{ breaches { id } }');
    expect(breaches.data!.breaches.map((b) => b.id)).not.toContain(ids.breach);
    expect(errorCodes(await lakeside.request(OPERATIONS[3].query, OPERATIONS[3].variables(ids)))).toEqual(['NOT_FOUND']);
  });
});
