/**
 * The ability -> SQL row filter (src/policies/sql-condition.ts): for many rule sets, the rows the
 * rendered WHERE clause selects in PostgreSQL are exactly the rows the CASL ability allows one by one.
 */
import { Client } from 'pg';
import { abilityFromRules, AppRule, rulesFor, scoped } from '../../src/policies/ability';
import { accessibleSql, SqlParams } from '../../src/policies/sql-condition';
import { ScopeType } from '../../src/schema/enums';

const CHAINS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
const STORES = ['a', 'b', 'c', 'd'].map((s) => `${s}${s}${s}${s}${s}${s}${s}${s}-0000-4000-8000-000000000000`);
const ROWS = CHAINS.flatMap((chainId, c) => STORES.map((storeId, s) => ({ id: `00000000-0000-4000-8000-${String(c * 4 + s).padStart(12, '0')}`, chainId, storeId })));

describe('accessibleSql', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: process.env.VISUS_TEST_PG_URL });
    await client.connect();
    await client.query('CREATE TEMP TABLE row_under_test (id uuid, chain_id uuid, store_id uuid)');
    for (const row of ROWS) await client.query('INSERT INTO row_under_test VALUES ($1, $2, $3)', [row.id, row.chainId, row.storeId]);
  });
  afterAll(() => client.end());

  async function selected(rules: AppRule[], field?: string): Promise<string[]> {
    const params = new SqlParams();
    const where = accessibleSql(abilityFromRules(rules), 'read', 'Customer', { chainId: 'chain_id', storeId: 'store_id', id: 'id' }, params, field);
    // Turn the named parameters into positional ones for pg.
    const values: unknown[] = [];
    const sql = where.replace(/:(acl\d+)/g, (_m, name: string) => {
      values.push(params.values[name]);
      return `$${values.length}`;
    });
    const result = await client.query<{ id: string }>(`SELECT id FROM row_under_test WHERE ${sql} ORDER BY id`, values);
    return result.rows.map((r) => r.id);
  }

  function allowed(rules: AppRule[], field?: string): string[] {
    const ability = abilityFromRules(rules);
    return ROWS.filter((row) => ability.can('read', scoped('Customer', { ...row }), field)).map((r) => r.id).sort();
  }

  const principal = { userId: '99999999-9999-4999-8999-999999999999', chainId: CHAINS[0], sessionId: 'x' };
  // Every row has all three entries: jest passes a `done` callback in place of a missing one.
  const cases: [string, AppRule[], string | undefined][] = [
    ['no rules: nothing', [], undefined],
    ['chain scope', rulesFor(principal, [{ scopeType: ScopeType.CHAIN, action: 'read', subject: 'Customer', fields: null, storeIds: null }]), undefined],
    ['one store', rulesFor(principal, [{ scopeType: ScopeType.STORE, action: 'read', subject: 'Customer', fields: null, storeIds: [STORES[1]] }]), undefined],
    ['a region of two stores', rulesFor(principal, [{ scopeType: ScopeType.REGION, action: 'read', subject: 'Customer', fields: null, storeIds: [STORES[0], STORES[2]] }]), undefined],
    ['an empty region', rulesFor(principal, [{ scopeType: ScopeType.REGION, action: 'read', subject: 'Customer', fields: null, storeIds: [] }]), undefined],
    ['two assignments', rulesFor(principal, [
      { scopeType: ScopeType.STORE, action: 'read', subject: 'Customer', fields: null, storeIds: [STORES[3]] },
      { scopeType: ScopeType.STORE, action: 'read', subject: 'Customer', fields: ['firstName'], storeIds: [STORES[0]] },
    ]), undefined],
    ['field rule, asking for that field', rulesFor(principal, [
      { scopeType: ScopeType.STORE, action: 'read', subject: 'Customer', fields: ['firstName'], storeIds: [STORES[0]] },
      { scopeType: ScopeType.STORE, action: 'read', subject: 'Customer', fields: null, storeIds: [STORES[1]] },
    ]), 'firstName'],
    ['field rule, asking for another field', rulesFor(principal, [
      { scopeType: ScopeType.STORE, action: 'read', subject: 'Customer', fields: ['firstName'], storeIds: [STORES[0]] },
      { scopeType: ScopeType.STORE, action: 'read', subject: 'Customer', fields: null, storeIds: [STORES[1]] },
    ]), 'dateOfBirth'],
    ['manage grants read', rulesFor(principal, [{ scopeType: ScopeType.STORE, action: 'manage', subject: 'Customer', fields: null, storeIds: [STORES[2]] }]), undefined],
    ['another subject grants nothing', rulesFor(principal, [{ scopeType: ScopeType.CHAIN, action: 'read', subject: 'Appointment', fields: null, storeIds: null }]), undefined],
    ['an inverted rule bounds the grant', [
      { action: 'read', subject: 'Customer', conditions: { chainId: CHAINS[0] } },
      { action: 'read', subject: 'Customer', inverted: true, conditions: { storeId: { $in: [STORES[1]] } } },
    ], undefined],
    ['an unconditional grant', [{ action: 'read', subject: 'Customer' }], undefined],
  ];

  it.each(cases)('%s', async (_name, rules, field) => {
    expect(await selected(rules, field)).toEqual(allowed(rules, field));
  });

  it('never crosses chains even for a chain-wide grant', async () => {
    const rows = await selected(rulesFor(principal, [{ scopeType: ScopeType.CHAIN, action: 'read', subject: 'Customer', fields: null, storeIds: null }]));
    expect(rows).toHaveLength(4);
    expect(rows.every((id) => ROWS.find((r) => r.id === id)?.chainId === CHAINS[0])).toBe(true);
  });

  it('refuses operators it cannot render instead of widening access', () => {
    const ability = abilityFromRules([{ action: 'read', subject: 'Customer', conditions: { storeId: { $ne: STORES[0] } } }]);
    expect(() => accessibleSql(ability, 'read', 'Customer', { storeId: 's' }, new SqlParams())).toThrow(/unsupported/);
  });
});
