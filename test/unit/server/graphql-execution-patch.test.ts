/**
 * The project's patch to graphql-js execution (patches/graphql+16.15.0.patch, applied by `npm install`'s
 * postinstall; docs/architecture.md, Execution layer). These fail if the patch is not applied, and hold
 * the patch to graphql-js's own contract: the response is the same JSON, whatever the aliases.
 */
import { buildSchema, execute, parse, FieldNode, GraphQLObjectType, OperationDefinitionNode } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';

const schema = buildSchema(`
  type Query {
    name: String
    greet(who: String = "world"): String
    list: [Row]
  }
  type Row { id: Int, label: String }
`);

const root = {
  name: 'Visus',
  greet: ({ who }: { who: string }) => `hello ${who}`,
  list: [
    { id: 1, label: 'a' },
    { id: 2, label: 'b' },
  ],
};

const queryType = schema.getQueryType() as GraphQLObjectType;

describe('graphql-js execution patch', () => {
  it('gives every field that declares no arguments one shared, frozen, empty arguments object', () => {
    const field = queryType.getFields().name;
    const operation = parse('{ name }').definitions[0] as OperationDefinitionNode;
    const node = operation.selectionSet.selections[0] as FieldNode;
    const first = getArgumentValues(field, node);
    const second = getArgumentValues(field, node);
    expect(first).toBe(second);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.keys(first)).toEqual([]);
  });

  it('still coerces arguments, defaults included, into a fresh object for fields that declare them', () => {
    const result = execute({ schema, document: parse('{ a: greet, b: greet(who: "Leeds") }'), rootValue: root });
    expect(result).toEqual({ data: { a: 'hello world', b: 'hello Leeds' } });
  });

  it('builds response objects with fast (prototype-bearing) properties, same JSON as before', () => {
    const result = execute({ schema, document: parse('{ name list { id label } }'), rootValue: root }) as {
      data: Record<string, unknown>;
    };
    expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
    expect(JSON.stringify(result.data)).toBe('{"name":"Visus","list":[{"id":1,"label":"a"},{"id":2,"label":"b"}]}');
  });

  it('keeps an alias named __proto__ (or constructor) a field of the response, never the object prototype', () => {
    const result = execute({
      schema,
      document: parse('{ __proto__: name, constructor: name, list { __proto__: label } }'),
      rootValue: root,
    }) as { data: Record<string, unknown> };
    expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
    expect(Object.keys(result.data)).toEqual(['__proto__', 'constructor', 'list']);
    expect(JSON.parse(JSON.stringify(result.data))).toEqual(
      JSON.parse('{"__proto__":"Visus","constructor":"Visus","list":[{"__proto__":"a"},{"__proto__":"b"}]}'),
    );
    const rows = result.data.list as object[];
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(rows[0], '__proto__')).toBe(true);
  });
});
