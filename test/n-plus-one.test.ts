/**
 * The N+1 guard: a page of customers with their prescriptions and appointments runs a small,
 * constant number of SQL statements, whatever the page size.
 */
import { statementCount } from '../src/db/data-sources';
import { CustomerPageWithRecordsDocument, CustomerPageWithRecordsQuery } from './generated/graphql';
import { graphql } from './support/graphql-client';
import { startTestApp, TestApp } from './support/test-app';

describe('N+1 guard', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp();
    token = await app.login('chain.manager@clearview.example');
  });
  afterAll(() => app.stop());

  async function statementsFor(first: number): Promise<{ statements: number; customers: number; prescriptions: number; appointments: number }> {
    const before = statementCount(app.core) + statementCount(app.clinical);
    const result = await graphql<CustomerPageWithRecordsQuery>(app.url, CustomerPageWithRecordsDocument, { first }, token);
    const statements = statementCount(app.core) + statementCount(app.clinical) - before;
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.customers.edges.map((e) => e.node);
    return {
      statements,
      customers: nodes.length,
      prescriptions: nodes.reduce((n, c) => n + (c.spectaclePrescriptions?.length ?? 0), 0),
      appointments: nodes.reduce((n, c) => n + (c.appointments?.length ?? 0), 0),
    };
  }

  it('runs the same number of statements for 5 and for 50 customers', async () => {
    await statementsFor(1); // warm-up: the first request builds (and caches) the caller's ability
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(large.customers).toBe(50);
    expect(large.prescriptions).toBeGreaterThan(20);
    expect(large.appointments).toBeGreaterThan(50);
    expect(large.statements).toBe(small.statements);
    // session check (with the authz version), count, page, prescriptions, appointments, stores, access-log insert
    expect(large.statements).toBeLessThanOrEqual(7);
    console.log(`N+1 guard: a page of 50 customers with prescriptions and appointments ran ${large.statements} SQL statements (page of 5: ${small.statements})`);
  });
});
