/**
 * Unit table of src/server/argument-paths.ts: a bad value written into a GraphQL document is named by its
 * argument path as the client wrote it (`input.refractions[0].eye`), the same path a variable would get;
 * errors about the document itself name no argument. Validated with graphql-js against a small schema.
 */
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { argumentPathIndex, argumentPathOf } from '../../../src/server/argument-paths';

const SCHEMA = buildSchema(`
  enum Eye { RIGHT LEFT }
  input RefractionInput { eye: Eye!, sphere: Float! }
  input ExamInput { customerId: ID!, refractions: [RefractionInput!]! }
  input CustomerInput { firstName: String!, lastName: String }
  type Query { customer(id: ID!): String }
  type Mutation {
    login(email: String!, password: String!): String
    createCustomer(input: CustomerInput!): String
    createExamination(input: ExamInput!): String
  }
`);

function paths(document: string): (string | undefined)[] {
  const errors = validate(SCHEMA, parse(document), [...specifiedRules, argumentPathIndex]);
  expect(errors.length).toBeGreaterThan(0);
  return errors.map(argumentPathOf);
}

describe('argumentPathOf', () => {
  it.each([
    ['a missing required argument', 'mutation { login(password: "x") }', 'email'],
    ['a value of the wrong type', '{ customer(id: 12.5) }', 'id'],
    ['a missing field of an input object', 'mutation { createCustomer(input: { lastName: "Shaw" }) }', 'input.firstName'],
    ['a wrong field value of an input object', 'mutation { createCustomer(input: { firstName: 7 }) }', 'input.firstName'],
    ['a bad enum inside a list', 'mutation { createExamination(input: { customerId: "c", refractions: [{ eye: RIGHT, sphere: 1 }, { eye: MIDDLE, sphere: 1 }] }) }',
      'input.refractions[1].eye'],
    ['an unknown argument', '{ customer(id: "c", shoeSize: 9) }', 'shoeSize'],
  ])('%s is named by its path', (_label, document, expected) => {
    expect(paths(document)).toEqual([expected]);
  });

  it.each([
    ['an unknown field', '{ customer(id: "c") shoeSize }'],
    ['a variable of the wrong type in its position', 'query($id: Int!) { customer(id: $id) }'],
  ])('%s names no argument', (_label, document) => {
    expect(paths(document)).toEqual([undefined]);
  });
});
