/**
 * The request register is the data protection officer's (item 9): every demo role other than the Data protection
 * officer and the Chain manager (who manages everything) is refused every root field of the register with FORBIDDEN,
 * whatever the arguments, and nothing is written; the DPO is allowed each.
 */
import { errorCodes } from '../support/graphql-client';
import { Actor, signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const REFUSED: Actor[] = ['northManager', 'leedsManager', 'leedsOptometrist', 'locum', 'leedsAssistant', 'leedsReception', 'bi'];

/** Every root field of the register, with arguments that are valid for the DPO (`id`: an OPEN request of a Leeds customer). */
const OPERATIONS: [name: string, document: string, variables: (ids: { id: string; customerId: string; handlerId: string }) => Record<string, unknown>][] = [
  ['dataRequests', 'query { dataRequests { totalCount } }', () => ({})],
  ['dataRequest', 'query($id: ID!) { dataRequest(id: $id) { id } }', ({ id }) => ({ id })],
  ['createDataRequest', 'mutation($input: CreateDataRequestInput!) { createDataRequest(input: $input) { id } }',
    ({ customerId }) => ({ input: { customerId, type: 'ACCESS', receivedAt: new Date().toISOString(), channel: 'IN_STORE' } })],
  ['verifyDataRequestIdentity', 'mutation($id: ID!) { verifyDataRequestIdentity(id: $id, method: "Photo ID") { id } }', ({ id }) => ({ id })],
  ['assignDataRequest', 'mutation($id: ID!, $h: ID!) { assignDataRequest(id: $id, handlerId: $h) { id } }', ({ id, handlerId }) => ({ id, h: handlerId })],
  ['extendDataRequest', 'mutation($id: ID!) { extendDataRequest(id: $id, months: 1, reason: "Complex") { id } }', ({ id }) => ({ id })],
  ['pauseDataRequest', 'mutation($id: ID!) { pauseDataRequest(id: $id, reason: CLARIFICATION) { id } }', ({ id }) => ({ id })],
  ['resumeDataRequest', 'mutation($id: ID!) { resumeDataRequest(id: $id) { id } }', ({ id }) => ({ id })],
  ['completeDataRequest', 'mutation($id: ID!) { completeDataRequest(id: $id, outcome: "Done") { id } }', ({ id }) => ({ id })],
  ['refuseDataRequest', 'mutation($id: ID!) { refuseDataRequest(id: $id, reason: "Unfounded") { id } }', ({ id }) => ({ id })],
  ['withdrawDataRequest', 'mutation($id: ID!) { withdrawDataRequest(id: $id, reason: "Withdrawn") { id } }', ({ id }) => ({ id })],
];

describe('the request register is refused to every demo role without DataRequest', () => {
  let t: TestApp;
  let dpo: SignedInClient;
  let ids: { id: string; customerId: string; handlerId: string };
  const count = async () => Number(((await t.core.query('SELECT (SELECT count(*) FROM data_request) + (SELECT count(*) FROM data_request_event) AS n')) as { n: string }[])[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    dpo = await signIn(t, 'dpo');
    const [customer] = (await t.core.query(`SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Leeds' ORDER BY c.id LIMIT 1`)) as { id: string }[];
    const [handler] = (await t.core.query(`SELECT id FROM staff_user WHERE email = 'leeds.manager@clearview.example'`)) as { id: string }[];
    const made = await dpo.request<{ createDataRequest: { id: string } }>(OPERATIONS[2][1], OPERATIONS[2][2]({ id: '', customerId: customer.id, handlerId: handler.id }));
    ids = { id: made.data!.createDataRequest.id, customerId: customer.id, handlerId: handler.id };
  });
  afterAll(() => t.stop());

  describe.each(REFUSED)('%s', (actor) => {
    let client: SignedInClient;
    beforeAll(async () => {
      client = await signIn(t, actor);
    });

    it.each(OPERATIONS.map(([name, document, variables]) => [name, document, variables] as const))('%s: FORBIDDEN, nothing written', async (_name, document, variables) => {
      const before = await count();
      const res = await client.request(document, variables(ids));
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(await count()).toBe(before);
    });
  });

  it('the DPO is allowed each of them', async () => {
    const order = ['dataRequests', 'dataRequest', 'createDataRequest', 'verifyDataRequestIdentity', 'assignDataRequest', 'extendDataRequest', 'pauseDataRequest', 'resumeDataRequest', 'completeDataRequest'];
    for (const name of order) {
      const [, document, variables] = OPERATIONS.find(([n]) => n === name)!;
      const res = await dpo.request(document, variables(ids));
      expect({ name, errors: res.errors }).toEqual({ name, errors: undefined });
    }
    for (const name of ['refuseDataRequest', 'withdrawDataRequest']) {
      const made = await dpo.request<{ createDataRequest: { id: string } }>(OPERATIONS[2][1], OPERATIONS[2][2](ids));
      const [, document, variables] = OPERATIONS.find(([n]) => n === name)!;
      const res = await dpo.request(document, variables({ ...ids, id: made.data!.createDataRequest.id }));
      expect({ name, errors: res.errors }).toEqual({ name, errors: undefined });
    }
  });
});
