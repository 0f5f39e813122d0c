/**
 * The field guard's refusal (src/policies/field-refusal.ts) is made without GraphQLError's constructor, for speed:
 * here it is held to what a client, Apollo and graphql-js got from `forbidden()` thrown by the resolver (the
 * refusal before issue 14): the same response body through Apollo, with the field in one place and in two (a field
 * selected twice, through a fragment), on several lines, with aliases; the same toJSON and toString; instanceof
 * GraphQLError and Error; and no stack frames.
 */
import { ApolloServer } from '@apollo/server';
import { GraphQLError, GraphQLList, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, GraphQLString, printError } from 'graphql';
import { forbidden } from '../../../src/errors/errors';
import { fieldRefusal } from '../../../src/policies/field-refusal';

type Refuse = (message: string, info: GraphQLResolveInfo) => Error;

const refusals: Record<string, Refuse> = {
  before: (message) => forbidden(message),
  refusal: (message, info) => fieldRefusal(message, info),
};

const caught: Error[] = [];

function schemaRefusingWith(refuse: Refuse): GraphQLSchema {
  const Row = new GraphQLObjectType({
    name: 'Row',
    fields: {
      open: { type: GraphQLString, resolve: (row: { n: number }) => `row ${row.n}` },
      secret: {
        type: GraphQLString,
        resolve: (_row, _args, _ctx, info) => {
          const error = refuse('Not allowed to read Row.secret.', info);
          caught.push(error);
          throw error;
        },
      },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { rows: { type: new GraphQLList(Row), resolve: () => [{ n: 1 }, { n: 2 }, { n: 3 }] } } }),
  });
}

const DOCUMENTS = {
  'one line': '{ rows { open secret } }',
  'several lines, alias': 'query Q {\n  rows {\n    open\n\n    hidden: secret\n  }\n}',
  'selected twice (two nodes)': 'query Q {\r\n  rows { secret ...F }\n}\nfragment F on Row {\n  secret\n}',
};

async function answer(refuse: Refuse, query: string): Promise<unknown> {
  const server = new ApolloServer({ schema: schemaRefusingWith(refuse) });
  await server.start();
  try {
    const response = await server.executeOperation({ query });
    return response.body;
  } finally {
    await server.stop();
  }
}

describe('fieldRefusal', () => {
  it.each(Object.entries(DOCUMENTS))('answers as forbidden() did through Apollo: %s', async (_name, query) => {
    const before = await answer(refusals.before, query);
    const now = await answer(refusals.refusal, query);
    expect(now).toEqual(before);
    expect(JSON.stringify(now)).toBe(JSON.stringify(before));
    const errors = (now as { singleResult: { errors?: { extensions?: { code?: string } }[] } }).singleResult.errors ?? [];
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
  });

  it('is a GraphQLError with the same JSON, text and fields as one made by its constructor, and no stack frames', async () => {
    caught.length = 0;
    await answer(refusals.refusal, DOCUMENTS['several lines, alias']);
    const refusal = caught[0] as GraphQLError;
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect(refusal).toBeInstanceOf(Error);
    const made = new GraphQLError(refusal.message, { nodes: refusal.nodes, path: refusal.path, extensions: { code: 'FORBIDDEN' } });
    expect(refusal.toJSON()).toEqual(made.toJSON());
    expect(JSON.stringify(refusal)).toBe(JSON.stringify(made));
    expect(refusal.toString()).toBe(made.toString());
    expect(printError(refusal)).toBe(printError(made));
    expect(refusal.name).toBe('GraphQLError');
    expect(refusal.path).toEqual(['rows', 0, 'hidden']);
    expect(refusal.locations).toEqual([{ line: 5, column: 5 }]);
    expect(refusal.positions).toEqual(made.positions);
    expect(refusal.source).toBe(made.source);
    expect(refusal.originalError).toBeUndefined();
    expect(refusal.stack?.split('\n')).toHaveLength(1);
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
  });
});
