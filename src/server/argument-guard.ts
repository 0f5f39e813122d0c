/**
 * Checks every argument value of the operation, by its GraphQL type, before anything runs, so that
 * text a database cannot store or an id that cannot name a row never reaches a resolver:
 * - text (every String, ID and custom scalar given as text, at any depth of an input object or list)
 *   must not contain NUL or other control characters (tab, line feed and carriage return are text)
 *   and must be valid Unicode (no lone surrogates);
 * - every ID is well-formed: a UUID, or for the few numbered rows (NUMBERED_IDS) a positive integer.
 *   An id passed on to a uuid column unchecked surfaced as a database error; an empty string slipped
 *   through checks that tested only whether an id was given.
 * Answers BAD_USER_INPUT naming the argument path (e.g. "input.practitionerId",
 * "input.refractions[0].eye") with HTTP 400. A well-formed id that names nothing the caller may see is
 * NOT_FOUND (or BAD_USER_INPUT on the field) from the service, as before: existence is never disclosed.
 * Values GraphQL itself cannot coerce are left to GraphQL (BAD_USER_INPUT too).
 */
import { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode, FieldNode, getArgumentValues, GraphQLField, getNullableType, getVariableValues, GraphQLError, GraphQLInputType,
  GraphQLSchema, isInputObjectType, isListType, isScalarType, Kind, OperationDefinitionNode, TypeInfo, visit, visitWithTypeInfo,
} from 'graphql';
import { AppContext } from '../context/app-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^[1-9][0-9]{0,17}$/;
/** Control characters other than tab, line feed and carriage return; DEL; C1 controls; lone surrogates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\p{Cs}/u;

/**
 * ID arguments and input fields (schema coordinates) whose rows are numbered, not UUIDs. Every other
 * ID must be a UUID. (test/server/bad-input.test.ts checks each coordinate exists.)
 */
export const NUMBERED_IDS: ReadonlySet<string> = new Set(['Mutation.acknowledgeSecurityEvent(id:)']);

export interface ArgumentProblem {
  field: string;
  message: string;
}

function checkLeaf(typeName: string, value: unknown, path: string, coordinate: string): ArgumentProblem | null {
  if (typeof value !== 'string') return null;
  if (NOT_TEXT.test(value)) {
    return { field: path, message: value.includes('\u0000') ? 'must not contain NUL characters' : 'must not contain control characters or invalid Unicode' };
  }
  if (typeName === 'ID') {
    const numbered = NUMBERED_IDS.has(coordinate);
    if (!(numbered ? NUMBER : UUID).test(value)) return { field: path, message: numbered ? 'is not an id (a positive whole number)' : 'is not an id (a UUID)' };
  }
  return null;
}

function walk(value: unknown, type: GraphQLInputType, path: string, coordinate: string): ArgumentProblem | null {
  if (value === null || value === undefined) return null;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = Array.isArray(value) ? value : [value];
    for (let i = 0; i < items.length; i++) {
      const found = walk(items[i], nullable.ofType, `${path}[${i}]`, coordinate);
      if (found) return found;
    }
    return null;
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== 'object') return null;
    for (const field of Object.values(nullable.getFields())) {
      if (!Object.prototype.hasOwnProperty.call(value, field.name)) continue;
      const found = walk((value as Record<string, unknown>)[field.name], field.type, `${path}.${field.name}`, `${nullable.name}.${field.name}`);
      if (found) return found;
    }
    return null;
  }
  return isScalarType(nullable) ? checkLeaf(nullable.name, value, path, coordinate) : null;
}

/** A field of the operation that is given arguments, with its definition and parent type. */
interface ArgumentSite {
  node: FieldNode;
  fieldDef: GraphQLField<unknown, unknown>;
  parentName: string;
}

/**
 * The fields given arguments, per operation node (its document's fragments included) and schema: found once by a
 * walk with type information, then only their values are checked per request. Apollo's document store hands every
 * request of the same query text the same parsed document, so a page asked for again does not walk its document
 * again. An operation node belongs to the one document it was parsed in.
 */
const sitesByOperation = new WeakMap<OperationDefinitionNode, { schema: GraphQLSchema; sites: readonly ArgumentSite[] }>();

function argumentSites(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): readonly ArgumentSite[] {
  const cached = sitesByOperation.get(operation);
  if (cached && cached.schema === schema) return cached.sites;
  const sites: ArgumentSite[] = [];
  const typeInfo = new TypeInfo(schema);
  const definitions = document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION);
  visit({ kind: Kind.DOCUMENT, definitions }, visitWithTypeInfo(typeInfo, {
    Field(node) {
      const fieldDef = typeInfo.getFieldDef();
      const parent = typeInfo.getParentType();
      if (fieldDef && parent && node.arguments?.length) sites.push({ node, fieldDef, parentName: parent.name });
    },
  }));
  sitesByOperation.set(operation, { schema, sites });
  return sites;
}

/** The first problem with an argument value of `operation` (its fragments included), or null. */
export function findArgumentProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): ArgumentProblem | null {
  const sites = argumentSites(schema, document, operation);
  if (sites.length === 0) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
  // Variables GraphQL cannot coerce: execution refuses the request itself, naming them.
  if (coerced.errors) return null;
  for (const { node, fieldDef, parentName } of sites) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(fieldDef, node, coerced.coerced);
    } catch {
      continue; // GraphQL refuses it itself, naming the argument
    }
    for (const arg of fieldDef.args) {
      if (!Object.prototype.hasOwnProperty.call(args, arg.name)) continue;
      const problem = walk(args[arg.name], arg.type, arg.name, `${parentName}.${fieldDef.name}(${arg.name}:)`);
      if (problem) return problem;
    }
  }
  return null;
}

export const argumentGuard: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document, operation, schema }) {
        if (!operation) return;
        const problem = findArgumentProblem(schema, document, operation, request.variables);
        if (problem) {
          throw new GraphQLError(`${problem.field}: ${problem.message}`, {
            extensions: { code: 'BAD_USER_INPUT', field: problem.field, http: { status: 400 } },
          });
        }
      },
    };
  },
};
