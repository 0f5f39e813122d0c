/**
 * The Apollo server: the enforced schema, query limits and the argument guard before execution, the
 * operation's name for the data change logs, one principal per request, the purpose header, the
 * request's completion (clinical access log, fail closed; a mutation's commit), response headers
 * and the request log after it, and error formatting that names the offending argument of bad input,
 * answers what the client got wrong with a 4xx code, and never lets an internal message (which could
 * hold data) reach the client; an unreachable database is SERVICE_UNAVAILABLE (src/server/database-unavailable.ts).
 */
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { Config } from '../config/config';
import { accessPurposePlugin } from './access-purpose-plugin';
import { AppContext } from '../context/app-context';
import { logger } from '../logging/logger';
import { argumentGuard } from './argument-guard';
import { argumentPathIndex, argumentPathOf } from './argument-paths';
import { executionTurnPlugin } from './execution-turn-plugin';
import { onePrincipalPlugin } from './one-principal-plugin';
import { operationNamePlugin } from './operation-name-plugin';
import { QUERY_LIMITS, queryLimitProtection } from './query-limits';
import { RequestCompletionOptions, requestCompletionPlugin } from './request-completion-plugin';
import { requestLogPlugin } from './request-log-plugin';
import { responseHeadersPlugin } from './response-headers-plugin';
import { safeErrorMessage } from '../logging/safe-error-message';
import { formatUnavailable } from './database-unavailable';

/**
 * GraphQL's own input coercion errors name the path only in their message: copy it to `field`, down to
 * the input field when the message names one (`Field "firstName" of required type "String!" was not
 * provided`, `Field "x" is not defined by type "T"`).
 */
function fieldOfCoercionError(message: string): string | undefined {
  const path = / at "([A-Za-z_][\w.[\]]*)"; /.exec(message)?.[1] ?? /^Variable "\$([A-Za-z_]\w*)"/.exec(message)?.[1];
  const inner = /; Field "([A-Za-z_]\w*)" (?:of required type|is not defined by type)/.exec(message)?.[1];
  return path && inner ? `${path}.${inner}` : path;
}

/** What the client got wrong in Apollo's own refusals that carry no code, by their message: the field to name. */
const APOLLO_REQUEST_FIELDS: ReadonlyMap<string, string> = new Map([
  ['provided sha does not match query', 'extensions.persistedQuery.sha256Hash'],
  ['Unsupported persisted query version', 'extensions.persistedQuery.version'],
]);

/**
 * Apollo refuses some malformed requests (a persisted query whose hash does not match its text, an
 * unknown persisted query version) with an HTTP 4xx status but no code, which would otherwise be
 * reported as an internal error: they are the client's, BAD_USER_INPUT naming the request field, or
 * BAD_REQUEST.
 */
function clientRefusal(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | null {
  if (!(error instanceof GraphQLError) || error.extensions?.code !== undefined) return null;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  const field = APOLLO_REQUEST_FIELDS.get(error.message);
  return field
    ? { message: `${field}: ${error.message}`, extensions: { code: 'BAD_USER_INPUT', field } }
    : { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
}

/** The error at the bottom of GraphQL's and the guards' wrappers (what the log should name). */
function innermost(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10 && current instanceof GraphQLError && current.originalError; depth += 1) current = current.originalError;
  return current;
}

export function createApolloServer(schema: GraphQLSchema, config: Config, options: RequestCompletionOptions): ApolloServer<AppContext> {
  const limits = queryLimitProtection();
  return new ApolloServer<AppContext>({
    schema,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // The process stops the server itself, in order (src/main.ts; the benchmarks' harness). Apollo's own
    // SIGINT/SIGTERM handler would race it, and in Apollo 5 a stop() called while another runs never returns.
    stopOnTerminationSignals: false,
    // The token limit is the parser's own: a document over it is GRAPHQL_PARSE_FAILED (HTTP 400).
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    validationRules: [...limits.validationRules, argumentPathIndex],
    plugins: [
      // Apollo's own landing page loads from a CDN: the offline IDE is ours (src/server/graphiql-route.ts).
      ApolloServerPluginLandingPageDisabled(),
      // No plugin may have a willResolveField hook: one such hook makes Apollo wrap every field resolver of the
      // schema (its schema instrumentation), a cost paid on every field of every row. Apollo installs its
      // cache-control plugin by default, which has one; the API answers `cache-control: no-store` anyway
      // (response-headers-plugin.ts). Inline traces are only ever for a federated subgraph, which this is not.
      // See docs/architecture.md, "Read path performance (issue 14)".
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...(limits.plugins as ApolloServerPlugin<AppContext>[]),
      argumentGuard,
      // Before the request's completion: the turn goes back before the access log's write is awaited.
      executionTurnPlugin,
      operationNamePlugin,
      onePrincipalPlugin,
      accessPurposePlugin,
      requestCompletionPlugin(options),
      responseHeadersPlugin,
      requestLogPlugin,
    ],
    formatError(formatted, error) {
      // The database out of reach (PostgreSQL restarting, a broken connection): SERVICE_UNAVAILABLE, never a 500.
      const unavailable = formatUnavailable(formatted, error);
      if (unavailable) return unavailable;
      const code = formatted.extensions?.code;
      // A bad value written into the document: BAD_USER_INPUT naming it, as when sent in a variable.
      if (code === 'GRAPHQL_VALIDATION_FAILED' && error instanceof GraphQLError) {
        const field = argumentPathOf(error);
        if (field) return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT', field } };
      }
      const refusal = clientRefusal(formatted, error);
      if (refusal) return refusal;
      if (code === 'BAD_USER_INPUT' && formatted.extensions?.field === undefined) {
        const field = fieldOfCoercionError(formatted.message);
        if (field) return { ...formatted, extensions: { ...formatted.extensions, field } };
      }
      if (!code || code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: safeErrorMessage(innermost(error)), path: formatted.path }, 'internal error');
        return { message: 'Internal error.', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
      return formatted;
    },
  });
}
