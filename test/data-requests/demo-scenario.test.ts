/**
 * The demo's request register (src/seed/data-request-scenario.ts), as the DPO sees it on a fresh database: five
 * requests, the overdue ACCESS request first, the PORTABILITY request due within 7 days second, then the paused
 * ERASURE, the open and the completed RECTIFICATION; each with its history; every other request left to the suites.
 */
import { signIn } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

interface Node { type: string; status: string; overdue: boolean; dueSoon: boolean; identityVerifiedAt: string | null; customer: { lastName: string } | null; events: { kind: string }[] }

describe('the demo request register', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  it('lists the seeded requests overdue first, then due soon, then the rest; each with its events', async () => {
    const dpo = await signIn(t, 'dpo');
    const res = await dpo.request<{ dataRequests: { totalCount: number; edges: { node: Node }[] } }>(
      '{ dataRequests { totalCount edges { node { type status overdue dueSoon identityVerifiedAt customer { lastName } events { kind } } } } }');
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.dataRequests.edges.map((e) => e.node);
    expect(res.data!.dataRequests.totalCount).toBe(5);
    expect(nodes.slice(0, 2).map((n) => [n.type, n.status, n.overdue, n.dueSoon])).toEqual([['ACCESS', 'OPEN', true, false], ['PORTABILITY', 'OPEN', false, true]]);
    expect(nodes.slice(2).map((n) => `${n.type} ${n.status}`).sort()).toEqual(['ERASURE PAUSED', 'RECTIFICATION COMPLETED', 'RECTIFICATION OPEN']);
    expect(nodes.every((n) => n.customer?.lastName)).toBe(true);
    const paused = nodes.find((n) => n.status === 'PAUSED')!;
    expect(paused).toMatchObject({ overdue: false, identityVerifiedAt: null });
    expect(paused.events.map((e) => e.kind)).toEqual(['RECEIVED', 'ASSIGNED', 'PAUSED']);
    expect(nodes.find((n) => n.status === 'COMPLETED')!.events.map((e) => e.kind)).toEqual(['RECEIVED', 'IDENTITY_VERIFIED', 'ASSIGNED', 'COMPLETED']);
  });
});
