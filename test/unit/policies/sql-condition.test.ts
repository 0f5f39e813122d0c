/**
 * Unit table of the ability -> SQL row filter (src/policies/sql-condition.ts), no database: what the rendered
 * WHERE clause says for each kind of grant (default deny, chain scope, store and region scope, an empty
 * region, inverted rules), its parameters, and their positional form for raw queries.
 * (test/policies/sql-condition.test.ts runs the rendered clauses in PostgreSQL against the ability.)
 */
import { abilityFromRules, AppRule, rulesFor } from '../../../src/policies/ability';
import { accessibleSql, SqlParams } from '../../../src/policies/sql-condition';
import { ScopeType } from '../../../src/schema/enums';

const CHAIN = '11111111-1111-4111-8111-111111111111';
const LEEDS = 'aaaaaaaa-0000-4000-8000-000000000000';
const YORK = 'bbbbbbbb-0000-4000-8000-000000000000';
const principal = { userId: '99999999-9999-4999-8999-999999999999', chainId: CHAIN, sessionId: 'x' };
const COLUMNS = { chainId: 'c.chain_id', storeId: 'c.home_store_id', id: 'c.id' };
const grant = (scopeType: ScopeType, storeIds: string[] | null, action = 'read', subject = 'Customer') =>
  ({ scopeType, action, subject, fields: null, storeIds });

function render(rules: AppRule[], field?: string): { sql: string; values: unknown[] } {
  const params = new SqlParams();
  const where = accessibleSql(abilityFromRules(rules), 'read', 'Customer', COLUMNS, params, field);
  const values: unknown[] = [];
  return { sql: params.positional(where, values), values };
}

describe('accessibleSql (rendered)', () => {
  it.each<[string, AppRule[], string, unknown[]]>([
    ['no grant: default deny', [], 'FALSE', []],
    ['a grant on another subject: deny', rulesFor(principal, [grant(ScopeType.CHAIN, null, 'read', 'Appointment')]), 'FALSE', []],
    ['chain scope: the caller’s chain, never all chains', rulesFor(principal, [grant(ScopeType.CHAIN, null)]), '((c.chain_id = $1))', [CHAIN]],
    ['store scope: that chain and that store', rulesFor(principal, [grant(ScopeType.STORE, [LEEDS])]),
      '((c.chain_id = $1 AND c.home_store_id = ANY($2)))', [CHAIN, [LEEDS]]],
    ['region scope: its stores', rulesFor(principal, [grant(ScopeType.REGION, [LEEDS, YORK])]),
      '((c.chain_id = $1 AND c.home_store_id = ANY($2)))', [CHAIN, [LEEDS, YORK]]],
    ['a region without stores: no row', rulesFor(principal, [grant(ScopeType.REGION, [])]), '((c.chain_id = $1 AND FALSE))', [CHAIN]],
    ['an unconditional rule: every row', [{ action: 'read', subject: 'Customer' }], '(TRUE)', []],
    ['an inverted rule bounds the grant below it', [
      { action: 'read', subject: 'Customer', conditions: { chainId: CHAIN } },
      { action: 'read', subject: 'Customer', inverted: true, conditions: { storeId: { $in: [YORK] } } },
    ], '(((c.chain_id = $1) AND NOT (c.home_store_id = ANY($2))))', [CHAIN, [YORK]]],
    ['an unconditional inverted rule denies what is below it', [
      { action: 'read', subject: 'Customer', conditions: { chainId: CHAIN } },
      { action: 'read', subject: 'Customer', inverted: true },
    ], 'FALSE', []],
  ])('%s', (_label, rules, sql, values) => {
    expect(render(rules)).toEqual({ sql, values });
  });

  it('a field grant filters only for that field', () => {
    const rules = rulesFor(principal, [{ ...grant(ScopeType.STORE, [LEEDS]), fields: ['firstName'] }]);
    expect(render(rules, 'firstName').sql).toContain('ANY($2)');
    expect(render(rules, 'dateOfBirth').sql).toBe('FALSE');
  });

  it('refuses a condition on a column it has no mapping for, and an operator it cannot render', () => {
    expect(() => render([{ action: 'read', subject: 'Customer', conditions: { regionId: 'r' } }])).toThrow(/no SQL column/);
    expect(() => render([{ action: 'read', subject: 'Customer', conditions: { storeId: { $ne: LEEDS } } }])).toThrow(/unsupported/);
  });

  it('numbers positional parameters after the values already in the query', () => {
    const params = new SqlParams();
    const where = accessibleSql(abilityFromRules(rulesFor(principal, [grant(ScopeType.STORE, [LEEDS])])), 'read', 'Customer', COLUMNS, params);
    const values: unknown[] = ['already there'];
    expect(params.positional(`c.status = $1 AND ${where}`, values)).toBe('c.status = $1 AND ((c.chain_id = $2 AND c.home_store_id = ANY($3)))');
    expect(values).toEqual(['already there', CHAIN, [LEEDS]]);
  });
});
