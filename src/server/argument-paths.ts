/**
 * Names the argument a GraphQL validation error is about, so that a bad value written into the document
 * answers BAD_USER_INPUT with `extensions.field` exactly like the same value sent as a variable
 * (`input.refractions[0].eye`, `id`, `input.firstName`). A validation rule records the argument path of
 * every argument, object field and value node of the document as it is validated; formatting then looks
 * up the node a validation error reports. Errors about the document itself (unknown fields, variables in
 * the wrong position, limits) keep GRAPHQL_VALIDATION_FAILED.
 */
import { ASTNode, GraphQLError, Kind, ValidationRule, ValueNode } from 'graphql';

/** Argument path of each argument, object field and value node seen in validation (per document). */
const PATHS = new WeakMap<ASTNode, string>();

function indexValue(node: ValueNode, path: string): void {
  PATHS.set(node, path);
  if (node.kind === Kind.OBJECT) {
    for (const field of node.fields) {
      const fieldPath = `${path}.${field.name.value}`;
      PATHS.set(field, fieldPath);
      indexValue(field.value, fieldPath);
    }
  } else if (node.kind === Kind.LIST) {
    node.values.forEach((item, i) => indexValue(item, `${path}[${i}]`));
  }
}

/** Records argument paths; reports nothing itself. */
export const argumentPathIndex: ValidationRule = () => ({
  Argument(node) {
    PATHS.set(node, node.name.value);
    indexValue(node.value, node.name.value);
  },
});

/**
 * The argument path a validation error is about (graphql-js 16's ProvidedRequiredArguments,
 * KnownArgumentNames and ValuesOfCorrectType rules), or undefined for any other validation error.
 */
export function argumentPathOf(error: GraphQLError): string | undefined {
  const node = error.nodes?.[0];
  if (!node) return undefined;
  if (node.kind === Kind.FIELD || node.kind === Kind.DIRECTIVE) {
    // `Field "login" argument "email" of type "String!" is required, but it was not provided.`
    return /argument "([^"]+)" of type "[^"]+" is required/.exec(error.message)?.[1];
  }
  const path = PATHS.get(node);
  if (path === undefined) return undefined;
  if (node.kind === Kind.OBJECT) {
    // `Field "CreateCustomerInput.firstName" of required type "String!" was not provided.`
    const missing = /^Field "[^".]+\.([^"]+)" of required type/.exec(error.message)?.[1];
    return missing ? `${path}.${missing}` : path;
  }
  return path;
}
