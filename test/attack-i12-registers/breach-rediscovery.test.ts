/**
 * Attack on the breach register's 72-hour clock (issue 12, item 7): a breach whose deadline has passed must not be
 * rescued by re-dating its discovery. Found by recording a breach discovered 100 hours ago (overdue) and moving its
 * `discoveredAt` to now with `updateBreach`: it was no longer overdue, its deadline moved 72 hours into the future,
 * and a notification made now would no longer need the reason for the delay. The chain was aware of the breach at
 * the latest when it recorded it, and a deadline that has passed stays passed: `discoveredAt` may move earlier
 * (the chain learns it knew sooner), but not later than when the breach was recorded, nor later at all once the
 * deadline it set has passed (BAD_USER_INPUT on `input.discoveredAt`, nothing written).
 */
import { errorCodes } from '../support/graphql-client';
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const RECORD = `mutation($input: RecordBreachInput!) { recordBreach(input: $input) { id discoveredAt deadline overdue createdAt } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateBreachInput!) { updateBreach(id: $id, input: $input) { id discoveredAt deadline overdue notifiedLate delayReason } }`;
interface Out { id: string; discoveredAt: string; deadline: string; overdue: boolean; createdAt: string; notifiedLate: boolean; delayReason: string | null }

describe('attack: re-dating a breach’s discovery', () => {
  let t: TestApp;
  let dpo: SignedInClient;
  beforeAll(async () => {
    t = await startTestApp();
    dpo = await signIn(t, 'dpo');
  });
  afterAll(() => t.stop());

  const record = async (discoveredAt: string): Promise<Out> => {
    const res = await dpo.request<{ recordBreach: Out }>(RECORD, { input: { discoveredAt, description: 'Attack probe: a lost USB stick.', dataCategories: ['Contact details'], risk: 'RISK', riskAssessment: 'Addresses of a few customers.' } });
    expect(res.errors).toBeUndefined();
    return res.data!.recordBreach;
  };
  const stateOf = async (id: string) => ({
    breach: await t.ownerCore.query('SELECT discovered_at, notified_authority_at, delay_reason FROM breach WHERE id = $1', [id]),
    events: Number((await t.ownerCore.query('SELECT count(*)::int AS n FROM breach_event WHERE breach_id = $1', [id]))[0].n),
  });

  it('refuses to move an overdue breach’s discovery later (it would no longer be overdue), and writes nothing', async () => {
    const breach = await record(ago(100 * HOUR));
    expect(breach.overdue).toBe(true);
    const before = await stateOf(breach.id);
    const res = await dpo.request<{ updateBreach: Out }>(UPDATE, { id: breach.id, input: { discoveredAt: ago(0) } });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions!.field).toBe('input.discoveredAt');
    expect(await stateOf(breach.id)).toEqual(before);
    // Nor by a little, and not together with a notification made now (which would then need no delay reason).
    const sneaky = await dpo.request<{ updateBreach: Out }>(UPDATE, { id: breach.id, input: { discoveredAt: ago(99 * HOUR), notifiedAuthorityAt: ago(0) } });
    expect(errorCodes(sneaky)).toEqual(['BAD_USER_INPUT']);
    expect(await stateOf(breach.id)).toEqual(before);
  });

  it('refuses a discovery later than when the breach was recorded, even within the deadline', async () => {
    const breach = await record(ago(10 * HOUR));
    const later = new Date(new Date(breach.createdAt).getTime() + 30_000).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await dpo.request<{ updateBreach: Out }>(UPDATE, { id: breach.id, input: { discoveredAt: later } });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions!.field).toBe('input.discoveredAt');
  });

  it('still corrects the discovery within the deadline, and earlier at any time (the chain learns it knew sooner)', async () => {
    const breach = await record(ago(10 * HOUR));
    const corrected = await dpo.request<{ updateBreach: Out }>(UPDATE, { id: breach.id, input: { discoveredAt: ago(9 * HOUR) } });
    expect(corrected.errors).toBeUndefined();
    const overdue = await record(ago(100 * HOUR));
    const earlier = await dpo.request<{ updateBreach: Out }>(UPDATE, { id: overdue.id, input: { discoveredAt: ago(120 * HOUR) } });
    expect(earlier.errors).toBeUndefined();
    expect(earlier.data!.updateBreach.overdue).toBe(true);
  });
});
