/**
 * The error a field the caller may not read resolves with: FORBIDDEN, its message naming the field, located at
 * the field (its path and its place in the document) when it is made, so graphql-js reports it as it is instead
 * of wrapping it in an error of its own, and without a stack trace. A refusal is an answer, not a fault: nothing
 * reads its stack (the API never sends or logs one for a coded error), and capturing a stack for every denied
 * field of every row, then formatting it when graphql-js copied it into its wrapper, was most of what a page
 * cost a caller who may not read some of its fields (docs/architecture.md, "Read path performance (issue 14)").
 * What the client gets is what `forbidden()` (src/errors/errors.ts) thrown from the resolver gave it.
 */
import { GraphQLError, GraphQLResolveInfo, responsePathAsArray } from 'graphql';

export function fieldRefusal(message: string, info: GraphQLResolveInfo): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, { nodes: info.fieldNodes, path: responsePathAsArray(info.path), extensions: { code: 'FORBIDDEN' } });
  } finally {
    Error.stackTraceLimit = limit;
  }
}
