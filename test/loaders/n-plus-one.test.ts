/**
 * The N+1 guard: a page of customers with every nested relation (home store; consents with their
 * history and its proof; consent as of two moments; terms acceptances; appointments; examinations with their refractions, visual acuities and intraocular pressures;
 * spectacle prescriptions; contact lens specifications; clinical notes) runs a small number of SQL
 * statements that does not depend on the page size: a page of 50 runs exactly as many as a page of 5,
 * with every relation actually holding rows in both, and no more than one statement per relation plus a
 * fixed few (session, count, page, access-log insert).
 */
import { statementCount } from '../../src/db/data-sources';
import { graphql } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

/** Every nested relation of a customer, each with its id (enough to make its loader run). */
const PAGE = `query EveryRelation($first: Int!) {
  customers(first: $first) {
    totalCount
    edges { node {
      id
      homeStore { id name }
      consents { id channel history { id changedAt proof { wordingText } } }
      then: consentsAsOf(at: "2025-06-01T00:00:00Z") { channel granted eventId }
      now: consentsAsOf(at: "2030-01-01T00:00:00Z") { channel granted eventId }
      termsAcceptances { id version }
      appointments { id startsAt }
      examinations { id examinedAt refractions { id sphere } visualAcuities { id value } intraocularPressures { id mmHg } }
      spectaclePrescriptions { id issuedOn }
      contactLensSpecifications { id expiresOn }
      clinicalNotes { id createdAt }
    } }
  }
}`;

/** The lists of the answer, by path, whose rows are counted. */
const LISTS = [
  'consents', 'consents.history', 'then', 'now', 'appointments', 'examinations', 'examinations.refractions', 'examinations.visualAcuities',
  'examinations.intraocularPressures', 'spectaclePrescriptions', 'contactLensSpecifications', 'clinicalNotes',
] as const;
type Node = Record<string, unknown>;

function rowsAt(nodes: Node[], listPath: string): number {
  const [head, ...rest] = listPath.split('.');
  const items = nodes.flatMap((n) => (Array.isArray(n[head]) ? (n[head] as Node[]) : []));
  return rest.length === 0 ? items.length : rowsAt(items, rest.join('.'));
}

/** Statements: session check (with the authz version), count, page, and the access-log insert. */
const FIXED_STATEMENTS = 4;
/**
 * One per loader: stores, consents, consent history, the wordings of the history's proofs, consent as of a moment
 * (both moments in one statement), terms acceptances, appointments, examinations, three findings, prescriptions,
 * contact lenses, notes.
 */
const LOADERS = 14;

describe('N+1 guard', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    // No background anomaly check inside a measured request's window.
    app = await startTestApp({ anomalyCheckIntervalSeconds: 86_400 });
    token = await app.login(EMAIL.chainManager);
  });
  afterAll(() => app.stop());

  async function statementsFor(first: number): Promise<{ statements: number; customers: number; rows: Record<string, number> }> {
    const before = statementCount(app.core) + statementCount(app.clinical);
    const result = await graphql<{ customers: { edges: { node: Node }[] } }>(app.url, PAGE, { first }, token);
    const statements = statementCount(app.core) + statementCount(app.clinical) - before;
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.customers.edges.map((e) => e.node);
    return { statements, customers: nodes.length, rows: Object.fromEntries(LISTS.map((list) => [list, rowsAt(nodes, list)])) };
  }

  it('runs the same number of statements for 5 and for 50 customers, every relation included', async () => {
    await statementsFor(1); // warm-up: the first request builds (and caches) the caller's ability
    await statementsFor(1);
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(small.customers).toBe(5);
    expect(large.customers).toBe(50);
    // Every relation holds rows on the large page (so each loader ran), more than one per customer where the demo has them.
    for (const list of LISTS) expect(`${list}: ${large.rows[list] > 0}`).toBe(`${list}: true`);
    expect(large.rows.appointments).toBeGreaterThan(50);
    expect(large.rows['examinations.refractions']).toBeGreaterThan(large.rows.examinations);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(FIXED_STATEMENTS + LOADERS);
    console.log(
      `N+1 guard: a page of 50 customers with every nested relation (${JSON.stringify(large.rows)}) ran ${large.statements} SQL statements (page of 5: ${small.statements})`,
    );
  });
});
