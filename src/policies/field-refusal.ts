/**
 * The error a field the caller may not read resolves with: FORBIDDEN, its message naming the field, located at
 * the field (its path and its place in the document) when it is made, so graphql-js reports it as it is instead
 * of wrapping it in an error of its own. What the client gets is exactly what `forbidden()` (src/errors/errors.ts)
 * thrown from the resolver gave it; test/unit/policies/field-refusal.test.ts holds it to GraphQLError's own output.
 *
 * Made cheaply, because a field-restricted caller gets one per denied field per row (250 on a page of 50
 * customers for a receptionist): a refusal is an answer, not a fault, so it has no stack trace (nothing reads
 * one: the API never sends or logs the stack of a coded error), its locations are worked out once per field of
 * the document, and it does not run GraphQLError's constructor, whose `Object.defineProperties` alone costs more
 * than the rest of the field's resolution. It is an Error whose prototype is GraphQLError's: `instanceof
 * GraphQLError` holds and `toJSON`, `toString` and `extensions` are GraphQLError's, which is all that graphql-js,
 * Apollo and this API's plugins read of an error (docs/architecture.md, "Read path performance (issue 14)").
 */
import { ASTNode, getLocation, GraphQLError, GraphQLResolveInfo, responsePathAsArray, Source, SourceLocation } from 'graphql';

/** Where a field's nodes are in the document, as GraphQLError works it out: once per node. */
interface Place {
  locations: readonly SourceLocation[] | undefined;
  positions: readonly number[] | undefined;
  source: Source | undefined;
}
const places = new WeakMap<ASTNode, Place>();

function placeOf(nodes: readonly ASTNode[]): Place {
  const cached = nodes.length === 1 ? places.get(nodes[0]) : undefined;
  if (cached) return cached;
  const located = nodes.flatMap((node) => (node.loc ? [node.loc] : []));
  const place: Place = located.length > 0
    ? { locations: located.map((loc) => getLocation(loc.source, loc.start)), positions: located.map((loc) => loc.start), source: located[0].source }
    : { locations: undefined, positions: undefined, source: undefined };
  if (nodes.length === 1) places.set(nodes[0], place);
  return place;
}

class FieldRefusal extends Error {
  readonly path: readonly (string | number)[];
  readonly locations: readonly SourceLocation[] | undefined;
  readonly extensions: { code: string };
  readonly nodes: readonly ASTNode[] | undefined;
  readonly source: Source | undefined;
  readonly positions: readonly number[] | undefined;
  readonly originalError: undefined = undefined;

  constructor(message: string, info: GraphQLResolveInfo) {
    super(message);
    const nodes = info.fieldNodes.length > 0 ? info.fieldNodes : undefined;
    const place = nodes ? placeOf(nodes) : undefined;
    this.path = responsePathAsArray(info.path);
    this.locations = place?.locations;
    this.extensions = { code: 'FORBIDDEN' };
    this.nodes = nodes;
    this.source = place?.source;
    this.positions = place?.positions;
  }
}
Object.setPrototypeOf(FieldRefusal.prototype, GraphQLError.prototype);
Object.defineProperty(FieldRefusal.prototype, 'name', { value: 'GraphQLError' });

export function fieldRefusal(message: string, info: GraphQLResolveInfo): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // A GraphQLError by its prototype (see the header); TypeScript cannot see that through setPrototypeOf.
    return new FieldRefusal(message, info) as unknown as GraphQLError;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
