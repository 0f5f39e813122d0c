/**
 * The permission matrix, generated from the schema and the catalog: for every demo user, one
 * request asks for every field of every type reachable from a customer in each store they cover
 * (plus `stores` and `me`), and each field must resolve exactly when an independent oracle of the
 * demo role matrix (src/seed/demo-roles.ts, read here without CASL) permits it.
 */
import { GraphQLObjectType, GraphQLSchema, getNamedType, isObjectType } from 'graphql';
import { SELF_READABLE_USER_FIELDS } from '../src/policies/ability';
import { TYPE_POLICIES } from '../src/policies/type-policies';
import { buildDeclaredSchema } from '../src/schema/build-schema';
import { ScopeType } from '../src/schema/enums';
import { ChainPlan, DEMO_CHAINS, DemoUser } from '../src/seed/demo-seed';
import { GraphQLResult } from './support/graphql-client';
import { startTestApp, TestApp } from './support/test-app';

/** What the demo role matrix says, computed from the seed's role data alone. */
class RoleOracle {
  constructor(private readonly chain: ChainPlan, private readonly user: DemoUser) {}

  private covers(assignment: DemoUser['assignments'][number], store: string | null): boolean {
    if (assignment.scope === ScopeType.CHAIN) return true;
    if (store === null) return false;
    if (assignment.scope === ScopeType.STORE) return assignment.target === store;
    return this.chain.regions.some((r) => r.name === assignment.target && r.stores.some((s) => s.name === store));
  }

  private entries(store: string | null | undefined) {
    return this.user.assignments
      .filter((a) => store === undefined || this.covers(a, store))
      .flatMap((a) => this.chain.roles.find((r) => r.name === a.role)!.entries);
  }

  /** read (or manage) on subject, for this field, at this store (null: no store, chain-wide rules only; undefined: anywhere). */
  mayRead(subject: string, field: string | null, store: string | null | undefined): boolean {
    return this.entries(store).some(
      (e) => (e.action === 'read' || e.action === 'manage') && e.subject === subject && (field === null || !e.fields || e.fields.includes(field)),
    );
  }

  stores(): string[] {
    const all = this.chain.regions.flatMap((r) => r.stores.map((s) => s.name));
    return all.filter((store) => this.mayRead('Customer', null, store));
  }
}

function selectionOf(type: GraphQLObjectType, depth = 0): string {
  const parts = Object.values(type.getFields()).map((field) => {
    const named = getNamedType(field.type);
    if (isObjectType(named)) return depth > 3 ? '' : `${field.name} { ${selectionOf(named, depth + 1)} }`;
    return field.name;
  });
  return parts.filter(Boolean).join(' ');
}

interface Mismatch {
  user: string;
  path: string;
  expected: 'allowed' | 'denied';
}

describe('permission matrix (every demo user x every field)', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let storeNames: Map<string, string>;
  let checkedFields = 0;
  const mismatches: Mismatch[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    schema = await buildDeclaredSchema();
    const stores: { id: string; name: string }[] = await app.core.query('SELECT id, name FROM store');
    storeNames = new Map(stores.map((s) => [s.id, s.name]));
  });
  afterAll(async () => {
    await app.stop();
  });

  /** A customer of this store with every kind of clinical record, so every nested type is exercised. */
  async function richCustomer(storeName: string): Promise<string> {
    const ids: { customer_id: string }[] = await app.clinical.query(
      `SELECT e.customer_id FROM examination e
         JOIN spectacle_prescription sp ON sp.customer_id = e.customer_id
         JOIN contact_lens_specification cl ON cl.customer_id = e.customer_id
         JOIN clinical_note n ON n.customer_id = e.customer_id
        GROUP BY e.customer_id`,
    );
    const rows: { id: string }[] = await app.core.query(
      `SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id
        WHERE s.name = $1 AND c.id = ANY($2) AND EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id)
          AND EXISTS (SELECT 1 FROM appointment a WHERE a.customer_id = c.id) ORDER BY c.id LIMIT 1`,
      [storeName, ids.map((r) => r.customer_id)],
    );
    if (!rows[0]) throw new Error(`no customer with every kind of record at ${storeName}`);
    return rows[0].id;
  }

  function walk(oracle: RoleOracle, email: string, typeName: string, value: Record<string, unknown>, path: string, store: string | null, forbidden: Set<string>): void {
    const type = schema.getType(typeName) as GraphQLObjectType;
    const policy = TYPE_POLICIES[typeName];
    for (const field of Object.values(type.getFields())) {
      const fieldPath = `${path}.${field.name}`;
      let expected: boolean;
      if (!policy) expected = false;
      else if (policy.kind === 'structural') expected = true;
      else if (policy.relations?.[field.name]) expected = oracle.mayRead(policy.relations[field.name], null, store);
      else if (typeName === 'User' && value.id !== undefined && SELF_READABLE_USER_FIELDS.includes(field.name) && path === 'me') expected = true;
      else expected = oracle.mayRead(policy.subject, policy.viaField ?? field.name, store);
      const denied = forbidden.has(fieldPath);
      checkedFields += 1;
      if (denied === expected) mismatches.push({ user: email, path: fieldPath, expected: expected ? 'allowed' : 'denied' });
      if (denied) {
        expect(value[field.name]).toBeNull();
        continue;
      }
      const named = getNamedType(field.type);
      const child = value[field.name];
      if (!isObjectType(named) || child === null || child === undefined) continue;
      const items = Array.isArray(child) ? child : [child];
      items.forEach((item: Record<string, unknown>, i) => {
        const childPath = Array.isArray(child) ? `${fieldPath}.${i}` : fieldPath;
        const childStore = named.name === 'Store' ? storeNames.get(String(item.id)) ?? null : store;
        walk(oracle, email, named.name, item, childPath, childStore, forbidden);
      });
    }
  }

  const cases = DEMO_CHAINS.flatMap((chain) => chain.users.map((user) => [user.email, chain, user] as const));

  it.each(cases)('%s sees exactly the fields the role matrix permits', async (email, chain, user) => {
    const oracle = new RoleOracle(chain, user);
    const token = await app.login(email);
    const customerType = schema.getType('Customer') as GraphQLObjectType;
    const query = `query Matrix($id: ID!) {
      customer(id: $id) { ${selectionOf(customerType)} }
      stores { ${selectionOf(schema.getType('Store') as GraphQLObjectType)} }
      me { ${selectionOf(schema.getType('User') as GraphQLObjectType)} }
    }`;
    const stores = oracle.stores();
    expect(stores.length).toBeGreaterThan(0);
    for (const store of stores) {
      const id = await richCustomer(store);
      const result: GraphQLResult<Record<string, Record<string, unknown>>> = await app.request(query, { id }, token);
      const unexpected = (result.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
      expect(unexpected).toEqual([]);
      const forbidden = new Set((result.errors ?? []).map((e) => (e.path ?? []).join('.')));
      expect(result.data?.customer).toBeTruthy();
      walk(oracle, email, 'Customer', result.data!.customer, 'customer', store, forbidden);
      (result.data!.stores as unknown as Record<string, unknown>[]).forEach((s, i) =>
        walk(oracle, email, 'Store', s, `stores.${i}`, storeNames.get(String(s.id)) ?? null, forbidden),
      );
      walk(oracle, email, 'User', result.data!.me, 'me', null, forbidden);
    }
    expect(mismatches.filter((m) => m.user === email)).toEqual([]);
  });

  it('checked a meaningful number of (user, field) cases', () => {
    console.log(`permission matrix: ${checkedFields} field checks across ${cases.length} demo users`);
    expect(checkedFields).toBeGreaterThan(2000);
  });
});
