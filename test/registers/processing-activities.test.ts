/**
 * The records of processing (Art. 30(1) GDPR, issue 12 item 8), through GraphQL and the export route with real
 * sessions: every chain is seeded with the platform's own activities (clinical records and the audit trail under
 * Art. 9(2)(h)); upsertProcessingActivity adds an entry or replaces one's content, names stay unique in the chain,
 * every change is an append-only history entry with before and after; GET /exports/processing-activities gives the
 * register as JSON and CSV (session bearer token, `export ProcessingActivity`), each export logged; 401, 403, 400.
 */
import { errorCodes } from '../support/graphql-client';
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const LIST = '{ processingActivities { id name purpose lawfulBases lawfulBasisNotes specialCategoryCondition dataCategories dataSubjects recipients internationalTransfers retention securityMeasures controllerContact dpoContact history { action userId before after } } }';
const UPSERT = 'mutation($input: UpsertProcessingActivityInput!) { upsertProcessingActivity(input: $input) { id name lawfulBases specialCategoryCondition recipients internationalTransfers history { action userId before after } } }';

interface Activity {
  id: string; name: string; lawfulBases: string[]; specialCategoryCondition: string | null; recipients: string[]; internationalTransfers: string | null;
  history: { action: string; userId: string | null; before: Record<string, unknown> | null; after: Record<string, unknown> }[];
}

const entry = (over: Record<string, unknown> = {}) => ({
  name: 'Test: loyalty card', purpose: 'Points for purchases.', lawfulBases: ['CONTRACT'], dataCategories: ['Identity', 'Purchases'],
  dataSubjects: ['Customers'], recipients: [], retention: '2 years after the last purchase.', securityMeasures: 'As the platform.',
  controllerContact: 'Clearview Opticians Ltd', dpoContact: 'dpo@clearview.example', ...over,
});

/** RFC 4180 rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  return rows;
}

describe('the records of processing', () => {
  let t: TestApp;
  let dpo: SignedInClient;
  let exportUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    dpo = await signIn(t, 'dpo');
    exportUrl = t.url.replace(/\/graphql$/, '/exports/processing-activities');
  });
  afterAll(() => t.stop());

  const get = (query: string, token: string | null) => fetch(`${exportUrl}${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('seeds the platform’s own activities, health data under Art. 9(2)(h), each with its creation in the history', async () => {
    const res = await dpo.request<{ processingActivities: (Activity & { lawfulBasisNotes: string | null })[] }>(LIST);
    expect(res.errors).toBeUndefined();
    const byName = new Map(res.data!.processingActivities.map((a) => [a.name, a]));
    for (const name of ['Customer records', 'Clinical records', 'Appointments and reminders', 'Marketing', 'BI marketing lists', 'Audit trail', 'Staff accounts and sessions']) {
      expect(byName.has(name)).toBe(true);
      expect(byName.get(name)!.history.map((h) => h.action)).toEqual(['CREATED']);
    }
    expect(byName.get('Clinical records')!.specialCategoryCondition).toBe('HEALTH_OR_SOCIAL_CARE');
    expect(byName.get('Customer records')!.specialCategoryCondition).toBeNull();
    expect(byName.get('Marketing')!.lawfulBases).toEqual(['CONSENT', 'LEGITIMATE_INTERESTS']);
    expect(byName.get('Marketing')!.lawfulBasisNotes).toMatch(/soft opt-in/);
    // the other chain has its own copy
    const lakeside = await signIn(t, 'lakesideManager');
    const theirs = await lakeside.request<{ processingActivities: Activity[] }>('{ processingActivities { id name } }');
    expect(theirs.data!.processingActivities).toHaveLength(byName.size);
    expect(theirs.data!.processingActivities.some((a) => byName.get(a.name)?.id === a.id)).toBe(false);
  });

  it('adds an entry, replaces its content, and keeps each change with the changed fields before and after', async () => {
    const [{ id: dpoId }] = (await t.core.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`)) as { id: string }[];
    const created = await dpo.request<{ upsertProcessingActivity: Activity }>(UPSERT, { input: entry() });
    expect(created.errors).toBeUndefined();
    const id = created.data!.upsertProcessingActivity.id;
    expect(created.data!.upsertProcessingActivity.history).toEqual([expect.objectContaining({ action: 'CREATED', userId: dpoId, before: null })]);
    const changed = await dpo.request<{ upsertProcessingActivity: Activity }>(UPSERT, {
      input: entry({ id, lawfulBases: ['CONTRACT', 'LEGITIMATE_INTERESTS'], recipients: ['Card printer (processor)'], internationalTransfers: 'Card printer in the USA: standard contractual clauses.' }),
    });
    expect(changed.errors).toBeUndefined();
    const history = changed.data!.upsertProcessingActivity.history;
    expect(history.map((h) => h.action)).toEqual(['CREATED', 'UPDATED']);
    expect(history[1].before).toEqual({ lawfulBases: ['CONTRACT'], recipients: [], internationalTransfers: null });
    expect(history[1].after).toEqual({ lawfulBases: ['CONTRACT', 'LEGITIMATE_INTERESTS'], recipients: ['Card printer (processor)'], internationalTransfers: 'Card printer in the USA: standard contractual clauses.' });
    // a replacement without the optional field clears it
    const cleared = await dpo.request<{ upsertProcessingActivity: Activity }>(UPSERT, { input: entry({ id, lawfulBases: ['CONTRACT', 'LEGITIMATE_INTERESTS'], recipients: ['Card printer (processor)'] }) });
    expect(cleared.data!.upsertProcessingActivity.internationalTransfers).toBeNull();
    await expect(t.core.query('DELETE FROM processing_activity_change WHERE processing_activity_id = $1', [id])).rejects.toThrow(/permission denied/);
  });

  it('refuses a name another entry has, an empty list of bases, a repeated basis, blank text: naming the field, changing nothing', async () => {
    const count = async () => Number(((await t.ownerCore.query('SELECT (SELECT count(*) FROM processing_activity) + (SELECT count(*) FROM processing_activity_change) AS n')) as { n: string }[])[0].n);
    const before = await count();
    const field = async (input: Record<string, unknown>) => {
      const res = await dpo.request(UPSERT, { input });
      return [errorCodes(res)[0], res.errors?.[0]?.extensions?.field];
    };
    expect(await field(entry({ name: 'clinical RECORDS' }))).toEqual(['BAD_USER_INPUT', 'input.name']);
    expect(await field(entry({ lawfulBases: [] }))).toEqual(['BAD_USER_INPUT', 'input.lawfulBases']);
    expect(await field(entry({ lawfulBases: ['CONSENT', 'CONSENT'] }))).toEqual(['BAD_USER_INPUT', 'input.lawfulBases[1]']);
    expect(await field(entry({ purpose: '  ' }))).toEqual(['BAD_USER_INPUT', 'input.purpose']);
    expect(await field(entry({ dataSubjects: ['Customers', 'customers'] }))).toEqual(['BAD_USER_INPUT', 'input.dataSubjects[1]']);
    expect(errorCodes(await dpo.request(UPSERT, { input: entry({ id: '00000000-0000-4000-8000-000000000000' }) }))).toEqual(['NOT_FOUND']);
    expect(await count()).toBe(before);
  });

  it('exports the register as JSON and as CSV with the session, and logs each export', async () => {
    const [{ n: listed }] = (await t.core.query(`SELECT count(*)::int AS n FROM processing_activity p JOIN chain c ON c.id = p.chain_id WHERE c.name = 'Clearview Opticians'`)) as { n: number }[];
    const logged = async () => Number(((await t.core.query(`SELECT count(*) AS n FROM register_export WHERE register = 'processing-activities'`)) as { n: string }[])[0].n);
    const before = await logged();
    const json = await get('?format=json', dpo.token);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const doc = (await json.json()) as { activities: Record<string, unknown>[] };
    expect(doc.activities).toHaveLength(listed);
    const clinical = doc.activities.find((a) => a.name === 'Clinical records')!;
    expect(clinical).toMatchObject({ specialCategoryCondition: 'HEALTH_OR_SOCIAL_CARE', lawfulBases: ['CONTRACT', 'LEGAL_OBLIGATION'] });
    expect(Object.keys(clinical)).toEqual(expect.arrayContaining(['purpose', 'dataCategories', 'recipients', 'retention', 'securityMeasures', 'controllerContact', 'dpoContact']));

    const csv = await get('?format=csv', dpo.token);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(await csv.text());
    expect(header.slice(0, 4)).toEqual(['id', 'name', 'purpose', 'lawfulBases']);
    expect(rows).toHaveLength(listed);
    const row = rows.find((r) => r[1] === 'Clinical records')!;
    expect(row[header.indexOf('lawfulBases')]).toBe('CONTRACT; LEGAL_OBLIGATION');
    expect(row[header.indexOf('specialCategoryCondition')]).toBe('HEALTH_OR_SOCIAL_CARE');

    expect(await logged()).toBe(before + 2);
    const [last] = (await t.core.query(`SELECT format, entry_count, u.email FROM register_export e JOIN staff_user u ON u.id = e.user_id ORDER BY occurred_at DESC LIMIT 1`)) as { format: string; entry_count: number; email: string }[];
    expect(last).toEqual({ format: 'csv', entry_count: listed, email: 'dpo@clearview.example' });
  });

  it('answers 401 without a session, 403 without export, 400 for a bad or unknown parameter, 405 for another method', async () => {
    expect((await get('?format=json', null)).status).toBe(401);
    const optometrist = await signIn(t, 'leedsOptometrist');
    const refused = await get('?format=json', optometrist.token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
    const bad = await get('?format=xml', dpo.token);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { extensions: { parameter: string } }[] }).errors[0].extensions.parameter).toBe('format');
    expect((await get('?format=json&format=csv', dpo.token)).status).toBe(400);
    expect((await get('?format=json&storeId=x', dpo.token)).status).toBe(400);
    expect((await fetch(`${exportUrl}?format=json`, { method: 'POST', headers: { authorization: `Bearer ${dpo.token}` } })).status).toBe(405);
  });
});
