/**
 * The mixed workload of `bench:load` and `bench:faults`: clients that each loop on weighted operations as
 * several demo users (lists and searches as the chain and regional managers, one customer with clinical
 * records, examination edits as the Leeds optometrist, consent changes as the Leeds optical assistant, bookings as Leeds reception),
 * recording per operation the latencies, errors by code, and what was acknowledged (the request id the
 * server answered with, for the checks in bench/load-checks.ts). One session per user, shared by its
 * clients (a new sign-in would end the user's previous session).
 */
import { Client } from 'pg';
import { DatabasePair } from '../src/db/bootstrap';
import { DEMO_WORDING_VERSION } from '../src/seed/demo-wordings';
import { GraphQLBody, login } from './http-client';

export type Operation = 'customerList' | 'customerSearch' | 'customerClinical' | 'examinationEdit' | 'consentChange' | 'bookAppointment';

export interface Acknowledged {
  op: Operation;
  requestId: string;
  /** consentChange: the customer and channel changed. */
  customerId?: string;
  channel?: string;
}

export interface OperationStats {
  latencies: number[];
  errors: Map<string, number>;
}

export interface WorkloadResult {
  stats: Map<Operation, OperationStats>;
  acknowledged: Acknowledged[];
  /** Requests without an answer within the timeout. */
  timeouts: number;
  /** Every error answer's body that carried a stack or an internal message (must stay empty). */
  leaks: string[];
  /** Per error code, the HTTP statuses it came with (`503+retry` for a 503 with Retry-After): bench:faults checks them. */
  statuses: Map<string, Map<string, number>>;
}

const PASSWORD = 'Visus-demo-2026!';
const TIMEOUT_MS = 15_000;
const CHANNELS = ['EMAIL', 'SMS', 'MAIL'] as const;
const WEIGHTS: [Operation, number][] = [
  ['customerList', 25], ['customerSearch', 15], ['customerClinical', 25], ['examinationEdit', 10], ['consentChange', 15], ['bookAppointment', 10],
];

const LIST = 'query($first: Int!, $after: String) { customers(first: $first, after: $after) { totalCount edges { node { id firstName lastName email homeStoreId } } } }';
const SEARCH = 'query($s: String!) { customers(first: 20, search: $s) { totalCount edges { node { id firstName lastName } } } }';
const CLINICAL = `query($id: ID!) { customer(id: $id) { id firstName lastName dateOfBirth
  examinations { id examinedAt status refractions { eye sphere cylinder axis } visualAcuities { eye value } }
  spectaclePrescriptions { issuedOn rightSphere leftSphere } } }`;
const EXAM_EDIT = 'mutation($id: ID!, $input: UpdateExaminationInput!) { updateExamination(id: $id, input: $input) { id status } }';
const CREATE_EXAM = 'mutation($input: CreateExaminationInput!) { createExamination(input: $input) { id } }';
const CONSENT = `mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { id customerId channel granted } }`;
const BOOK = 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }';
const SEARCH_TERMS = ['smith', 'jo', 'an', 'lee', 'mar', 'ar', 'el', 'son'];

export interface WorkloadFixture {
  url: string;
  tokens: Record<'manager' | 'north' | 'optometrist' | 'reception' | 'assistant', string>;
  leedsId: string;
  leedsCustomers: string[];
  /** Leeds customers with clinical records (a read of one without any logs nothing). */
  clinicalCustomers: string[];
  drafts: string[];
}

interface Answer {
  status: number;
  body: GraphQLBody;
  requestId: string | null;
  retryAfter: string | null;
}

async function send(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  let body: GraphQLBody;
  try {
    body = JSON.parse(text) as GraphQLBody;
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}`, extensions: { code: `HTTP_${response.status}` } }] };
  }
  return { status: response.status, body, requestId: response.headers.get('x-request-id'), retryAfter: response.headers.get('retry-after') };
}

/** Signs the users in once, finds the Leeds customers and drafts one examination per five Leeds customers to edit. */
export async function prepareWorkload(url: string, owner: DatabasePair): Promise<WorkloadFixture> {
  const tokens = {
    manager: await login(url, 'chain.manager@clearview.example', PASSWORD),
    north: await login(url, 'north.manager@clearview.example', PASSWORD),
    optometrist: await login(url, 'leeds.optometrist@clearview.example', PASSWORD),
    reception: await login(url, 'leeds.reception@clearview.example', PASSWORD),
    assistant: await login(url, 'leeds.assistant@clearview.example', PASSWORD),
  };
  const core = new Client({ connectionString: owner.core });
  const clinical = new Client({ connectionString: owner.clinical });
  await core.connect();
  await clinical.connect();
  try {
    const [{ id: leedsId }] = (await core.query<{ id: string }>(`SELECT id FROM store WHERE name = 'Leeds'`)).rows;
    const leedsCustomers = (await core.query<{ id: string }>(`SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id`, [leedsId])).rows.map((r) => r.id);
    const drafts: string[] = [];
    for (const customerId of leedsCustomers.filter((_, i) => i % 5 === 0).slice(0, 40)) {
      const answer = await send(url, CREATE_EXAM, { input: { customerId, storeId: leedsId, reasonForVisit: 'Load test', history: 'None.' } }, tokens.optometrist);
      const id = (answer.body.data as { createExamination?: { id: string } } | undefined)?.createExamination?.id;
      if (!id) throw new Error(`createExamination failed: ${JSON.stringify(answer.body.errors)}`);
      drafts.push(id);
    }
    const withRecords = new Set((await clinical.query<{ id: string }>('SELECT DISTINCT customer_id::text AS id FROM examination')).rows.map((r) => r.id));
    const clinicalCustomers = leedsCustomers.filter((id) => withRecords.has(id));
    return { url, tokens, leedsId, leedsCustomers, clinicalCustomers, drafts };
  } finally {
    await core.end();
    await clinical.end();
  }
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

function pickOperation(): Operation {
  const total = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  let r = Math.random() * total;
  for (const [op, w] of WEIGHTS) {
    r -= w;
    if (r < 0) return op;
  }
  return WEIGHTS[0][0];
}

function request(f: WorkloadFixture, op: Operation): { query: string; variables: Record<string, unknown>; token: string; ack?: Partial<Acknowledged> } {
  switch (op) {
    case 'customerList':
      return { query: LIST, variables: { first: 50 }, token: Math.random() < 0.5 ? f.tokens.manager : f.tokens.north };
    case 'customerSearch':
      return { query: SEARCH, variables: { s: pick(SEARCH_TERMS) }, token: pick([f.tokens.manager, f.tokens.reception]) };
    case 'customerClinical':
      return { query: CLINICAL, variables: { id: pick(f.clinicalCustomers) }, token: f.tokens.optometrist };
    case 'examinationEdit':
      return {
        query: EXAM_EDIT, token: f.tokens.optometrist,
        variables: { id: pick(f.drafts), input: { reasonForVisit: `Load edit ${Math.random().toString(36).slice(2, 10)}`, refractions: [{ eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.25, cylinder: -0.5, axis: 1 + Math.floor(Math.random() * 180) }] } },
      };
    case 'consentChange': {
      const customerId = pick(f.leedsCustomers);
      const channel = pick(CHANNELS);
      return {
        query: CONSENT, token: f.tokens.assistant, ack: { customerId, channel },
        variables: { input: { customerId, channel, granted: Math.random() < 0.5, source: 'IN_STORE', wordingVersion: DEMO_WORDING_VERSION } },
      };
    }
    case 'bookAppointment': {
      const start = new Date(Date.now() + (100 + Math.floor(Math.random() * 900)) * 86_400_000);
      start.setUTCHours(9 + Math.floor(Math.random() * 8), 15 * Math.floor(Math.random() * 4), 0, 0);
      return {
        query: BOOK, token: f.tokens.reception,
        variables: { input: { customerId: pick(f.leedsCustomers), storeId: f.leedsId, type: 'SIGHT_TEST', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 30 * 60_000).toISOString() } },
      };
    }
  }
}

/** Runs `clients` loops until `until()` says stop; each request is recorded under its operation. */
export async function runWorkload(f: WorkloadFixture, clients: number, until: () => boolean): Promise<WorkloadResult> {
  const result: WorkloadResult = { stats: new Map(WEIGHTS.map(([op]) => [op, { latencies: [], errors: new Map() }])), acknowledged: [], timeouts: 0, leaks: [], statuses: new Map() };
  const loop = async (): Promise<void> => {
    while (!until()) {
      const op = pickOperation();
      const { query, variables, token, ack } = request(f, op);
      const stats = result.stats.get(op)!;
      const began = performance.now();
      let answer: Answer;
      try {
        answer = await send(f.url, query, variables, token);
      } catch (error) {
        const code = (error as Error).name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK';
        if (code === 'TIMEOUT') result.timeouts += 1;
        stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 50)); // a refused connection answers at once: no busy loop
        continue;
      }
      stats.latencies.push(performance.now() - began);
      const errors = answer.body.errors ?? [];
      if (errors.length || answer.status !== 200) {
        const code = errors[0]?.extensions?.code ?? `HTTP_${answer.status}`;
        stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
        const byStatus = result.statuses.get(code) ?? new Map<string, number>();
        const status = `${answer.status}${answer.retryAfter ? '+retry' : ''}`;
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        result.statuses.set(code, byStatus);
        const text = JSON.stringify(answer.body);
        if (/stacktrace|\n\s+at |node_modules/i.test(text)) result.leaks.push(text.slice(0, 300));
        if (code === 'SERVICE_UNAVAILABLE') await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (answer.requestId) result.acknowledged.push({ op, requestId: answer.requestId, ...ack });
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  return result;
}
