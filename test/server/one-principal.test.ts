/**
 * One request, one principal: `login` and `logout` are refused unless alone in their operation (every
 * other Mutation field of the schema is tried beside each, directly, through fragments, aliased twice and
 * behind @skip), a refused document changes nothing and reads nothing, and a lone login serves its own
 * selection as the new user. Reproduces the hole where `updateCustomer { examinations … }` + `login` as the
 * receptionist returned the history and logged it against the receptionist.
 */
import {
  getNamedType, GraphQLInputType, GraphQLSchema, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType,
} from 'graphql';
import { buildDeclaredSchema } from '../../src/server/build-schema';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { DEMO_PASSWORD, EMAIL } from '../support/actors';

const OPTOMETRIST = EMAIL.leedsOptometrist;
const RECEPTION = EMAIL.leedsReception;
const LAKESIDE = EMAIL.lakesideManager;
const LOGIN = `login(email: "${RECEPTION}", password: "${DEMO_PASSWORD}") { token user { email } }`;

/** A literal of `type` that passes validation (the rule refuses before anything is coerced or run). */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int': return '1';
      case 'Float': return '1.0';
      case 'Boolean': return 'true';
      case 'DateTimeISO': return '"2026-01-01T00:00:00.000Z"';
      case 'LocalDate': return '"2026-01-01"';
      default: return '"00000000-0000-4000-8000-000000000000"';
    }
  }
  throw new Error(`no literal for ${String(type)}`);
}

/** `name(args…) { __typename }` with every required argument given. */
function call(schema: GraphQLSchema, name: string, alias = name): string {
  const field = schema.getMutationType()!.getFields()[name];
  // Security events have whole-number ids; every other ID is a UUID.
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)
    .map((a) => `${a.name}: ${name === 'acknowledgeSecurityEvent' && a.name === 'id' ? '"1"' : literal(a.type)}`);
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${alias}: ${name}${args.length ? `(${args.join(', ')})` : ''}${selection}`;
}

describe('one request, one principal', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let leedsCustomerId: string;

  async function openSessions(): Promise<number> {
    const [{ n }] = (await app.core.query('SELECT count(*)::int AS n FROM session WHERE ended_at IS NULL')) as { n: number }[];
    return n;
  }
  async function accessEntries(): Promise<number> {
    const [{ n }] = (await app.clinical.query('SELECT count(*)::int AS n FROM clinical_access_log_entry')) as { n: number }[];
    return n;
  }

  beforeAll(async () => {
    app = await startTestApp();
    schema = await buildDeclaredSchema();
    const exams = (await app.clinical.query(
      `SELECT e.customer_id FROM examination e JOIN (SELECT 1) x ON true WHERE e.history IS NOT NULL ORDER BY e.customer_id`,
    )) as { customer_id: string }[];
    const [leeds] = (await app.core.query(
      `SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Leeds' AND c.id = ANY($1::uuid[]) ORDER BY c.id LIMIT 1`,
      [exams.map((e) => e.customer_id)],
    )) as { id: string }[];
    leedsCustomerId = leeds.id;
  });
  afterAll(() => app.stop());

  it('refuses the reported document: a change with clinical reads, then a sign-in as the receptionist', async () => {
    const token = await app.login(OPTOMETRIST);
    const [before] = (await app.core.query('SELECT city FROM customer WHERE id = $1', [leedsCustomerId])) as { city: string }[];
    const entriesBefore = await accessEntries();
    const sessionsBefore = await openSessions();
    const result = await app.request(
      `mutation($id: ID!) {
        a: updateCustomer(id: $id, input: { city: "Otley" }) { examinations { history refractions { sphere } } clinicalNotes { subjective } }
        b: ${LOGIN}
      }`,
      { id: leedsCustomerId }, token,
    );
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].extensions?.field).toBe('login');
    const [after] = (await app.core.query('SELECT city FROM customer WHERE id = $1', [leedsCustomerId])) as { city: string }[];
    expect(after.city).toBe(before.city);
    expect(await accessEntries()).toBe(entriesBefore);
    expect(await openSessions()).toBe(sessionsBefore);
    // The optometrist's session is untouched and still theirs.
    const me = await app.request<{ me: { email: string } }>('{ me { email } }', {}, token);
    expect(me.data?.me.email).toBe(OPTOMETRIST);
  });

  it('refuses login and logout beside every other Mutation field, in every spelling, and runs none of it', async () => {
    const token = await app.login(OPTOMETRIST);
    const others = Object.keys(schema.getMutationType()!.getFields()).filter((name) => name !== 'login' && name !== 'logout');
    expect(others.length).toBeGreaterThanOrEqual(20);
    const identity = { login: LOGIN, logout: 'logout' };
    const documents: { doc: string; field: string }[] = [];
    for (const [field, selection] of Object.entries(identity)) {
      for (const other of others) {
        const otherCall = call(schema, other, 'x');
        documents.push(
          { doc: `mutation { ${selection} ${otherCall} }`, field },
          { doc: `mutation { ${otherCall} ${selection} }`, field },
          { doc: `mutation { ...F ${otherCall} } fragment F on Mutation { ${selection} }`, field },
          { doc: `mutation { ... on Mutation { ${otherCall} } ${selection} }`, field },
          { doc: `mutation { ${selection} ${otherCall.replace(/^(x: \w+(?:\([^)]*\))?)/, '$1 @skip(if: true)')} }`, field },
        );
      }
      const twice = field === 'login' ? `a: ${LOGIN} b: ${LOGIN.replace(RECEPTION, LAKESIDE)}` : 'a: logout b: logout';
      documents.push({ doc: `mutation { ${twice} }`, field });
      documents.push({ doc: `mutation { a: logout b: ${LOGIN} }`, field: 'logout' });
    }
    const sessionsBefore = await openSessions();
    const entriesBefore = await accessEntries();
    const failures: string[] = [];
    for (const { doc } of documents) {
      const result = await app.request(doc, {}, token);
      const codes = errorCodes(result);
      if (result.status !== 400 || result.data != null || codes.length !== 1 || codes[0] !== 'BAD_USER_INPUT'
        || !['login', 'verifyMfa', 'logout', 'acceptInvitation', 'changePassword', 'reauthenticate', 'finishPasskeySignIn', 'reauthenticateWithPasskey'].includes(result.errors?.[0].extensions?.field ?? '')) {
        failures.push(`${doc} -> ${result.status} ${JSON.stringify(result.errors)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await openSessions()).toBe(sessionsBefore);
    expect(await accessEntries()).toBe(entriesBefore);
    // logout never ran: the token still works.
    const me = await app.request<{ me: { email: string } }>('{ me { email } }', {}, token);
    expect(me.data?.me.email).toBe(OPTOMETRIST);
    console.log(`one principal: ${documents.length} combined documents refused (${others.length} other Mutation fields)`);
  });

  it('runs nothing of a logout followed by a write in one document', async () => {
    const token = await app.login(OPTOMETRIST);
    const [before] = (await app.core.query('SELECT city FROM customer WHERE id = $1', [leedsCustomerId])) as { city: string }[];
    const result = await app.request(`mutation($id: ID!) { logout updateCustomer(id: $id, input: { city: "Ilkley" }) { city } }`, { id: leedsCustomerId }, token);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    const [after] = (await app.core.query('SELECT city FROM customer WHERE id = $1', [leedsCustomerId])) as { city: string }[];
    expect(after.city).toBe(before.city);
    expect((await app.request<{ me: { email: string } }>('{ me { email } }', {}, token)).data?.me.email).toBe(OPTOMETRIST);
  });

  it('serves a lone login as the new user, even when another user’s session came with the request', async () => {
    const token = await app.login(OPTOMETRIST);
    const result = await app.request<{ login: { token: string; user: { email: string } } }>(`mutation { ${LOGIN} }`, {}, token);
    expect(result.errors).toBeUndefined();
    expect(result.data?.login.user.email).toBe(RECEPTION);
    const alone = await app.request<{ logout: boolean }>('mutation { __typename logout }', {}, result.data!.login.token);
    expect(alone.data?.logout).toBe(true);
  });
});
