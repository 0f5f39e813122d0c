/**
 * Restriction and objection add no N+1: a page of customers with processingRestriction { history } and
 * marketingObjection { suppressed history } runs as many statements for 50 customers as for 5 (one per
 * loader: restriction, its history, objection state with the suppression anti-join, objection history),
 * with rows in every list.
 */
import { statementCount } from '../../src/db/data-sources';
import { graphql } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const PAGE = `query Restrictions($first: Int!) {
  customers(first: $first) { edges { node {
    id
    processingRestriction { restricted since reason history { id restricted } }
    marketingObjection { objected since source suppressed history { id source } }
  } } }
}`;

interface Node { id: string; processingRestriction: { history: unknown[] }; marketingObjection: { suppressed: boolean; history: unknown[] } }

describe('restriction and objection loaders', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp({ anomalyCheckIntervalSeconds: 86_400 });
    token = await app.login(EMAIL.chainManager);
  });
  afterAll(() => app.stop());

  async function statementsFor(first: number): Promise<{ statements: number; nodes: Node[] }> {
    const before = statementCount(app.core) + statementCount(app.clinical);
    const result = await graphql<{ customers: { edges: { node: Node }[] } }>(app.url, PAGE, { first }, token);
    const statements = statementCount(app.core) + statementCount(app.clinical) - before;
    expect(result.errors).toBeUndefined();
    return { statements, nodes: result.data!.customers.edges.map((e) => e.node) };
  }

  it('runs the same number of statements for 5 and for 50 customers', async () => {
    const { nodes } = await statementsFor(50);
    // Rows in every list on both pages: the first customers are restricted and objected.
    for (const node of nodes.slice(0, 2)) {
      const restricted = await graphql(app.url, 'mutation($c: ID!) { restrictProcessing(customerId: $c, reason: "N+1 probe") { restricted } }', { c: node.id }, token);
      expect(restricted.errors).toBeUndefined();
      const objected = await graphql(app.url, 'mutation($c: ID!) { recordMarketingObjection(customerId: $c, source: PHONE) { objected } }', { c: node.id }, token);
      expect(objected.errors).toBeUndefined();
    }
    await statementsFor(1);
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(large.nodes).toHaveLength(50);
    for (const page of [small, large]) {
      expect(page.nodes.filter((n) => n.processingRestriction.history.length > 0).length).toBeGreaterThanOrEqual(2);
      expect(page.nodes.filter((n) => n.marketingObjection.history.length > 0 && n.marketingObjection.suppressed).length).toBeGreaterThanOrEqual(2);
    }
    expect(large.statements).toBe(small.statements);
    // session check, count, page (and at most one more fixed statement), plus one per loader
    expect(large.statements).toBeLessThanOrEqual(4 + 4);
  });
});
