/**
 * patches/graphql+16.15.0.patch (applied by `npm install`'s postinstall, patch-package): graphql-js allocates less
 * per field it executes. A field without arguments gets one shared, frozen, empty argument object instead of two
 * fresh objects per field per row, and a selection's fields are walked without an entry array per field. These
 * tests fail on an unpatched graphql (a fresh install without the postinstall) and check that execution is
 * otherwise what it was: the same data, arguments still coerced for fields that declare them, a resolver that
 * writes to a field's arguments is refused loudly rather than sharing its write with the next field.
 */
import { buildSchema, execute, GraphQLResolveInfo, parse } from 'graphql';

const schema = buildSchema(`
  type Query { rows: [Row!]! greet(name: String!, times: Int = 2): String! }
  type Row { a: String! b: Int! }
`);

function run(query: string, root: Record<string, unknown>) {
  return execute({ schema, document: parse(query), rootValue: root });
}

describe('the graphql-js execution patch', () => {
  it('gives every field without arguments the same frozen empty argument object', async () => {
    const seen: unknown[] = [];
    const row = (n: number) => ({
      a: (args: unknown) => (seen.push(args), `a${n}`),
      b: (args: unknown) => (seen.push(args), n),
    });
    const result = await run('{ rows { a b } }', { rows: [row(1), row(2)] });
    expect(result).toEqual({ data: { rows: [{ a: 'a1', b: 1 }, { a: 'a2', b: 2 }] } });
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(1);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(Object.keys(seen[0] as object)).toEqual([]);
    expect(Object.getPrototypeOf(seen[0])).toBeNull();
  });

  it('still coerces the arguments of a field that declares them, defaults included, in a fresh object per call', async () => {
    const seen: Record<string, unknown>[] = [];
    const greet = (args: { name: string; times: number }) => (seen.push(args), `${args.name} x${args.times}`);
    const result = await run('{ one: greet(name: "Ann") two: greet(name: "Bo", times: 3) }', { greet });
    expect(result).toEqual({ data: { one: 'Ann x2', two: 'Bo x3' } });
    expect(seen[0]).not.toBe(seen[1]);
    expect(Object.isFrozen(seen[0])).toBe(false);
  });

  it('refuses a write to a shared argument object (the error is the field’s, not silent sharing)', async () => {
    const result = await run('{ rows { a } }', {
      rows: [{ a: (args: Record<string, unknown>, _ctx: unknown, _info: GraphQLResolveInfo) => { args.leak = 1; return 'x'; } }],
    });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.path).toEqual(['rows', 0, 'a']);
  });
});
