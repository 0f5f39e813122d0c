/**
 * The Apollo server: the enforced schema, query limits and the argument guard before execution, the
 * operation's name for the data change logs, the clinical access log (fail closed), response headers
 * and the request log after it, and error formatting that never lets an internal message (which could
 * hold data) reach the client.
 */
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { GraphQLSchema } from 'graphql';
import { Config } from '../config/config';
import { accessLogPlugin } from '../audit/access-log-plugin';
import { AppContext } from './context';
import { logger } from './logger';
import { argumentGuard } from './argument-guard';
import { mutationAbilityPlugin } from './mutation-ability-plugin';
import { operationNamePlugin } from './operation-name-plugin';
import { queryLimitProtection } from './query-limits';
import { requestLogPlugin } from './request-log-plugin';
import { responseHeadersPlugin } from './response-headers-plugin';
import { safeErrorMessage } from './safe-error-message';

/** GraphQL's own input coercion errors name the path only in their message: copy it to `field`. */
function fieldOfCoercionError(message: string): string | undefined {
  return /at "([^"]+)"/.exec(message)?.[1] ?? /^Variable "\$([A-Za-z_]\w*)"/.exec(message)?.[1];
}

export function createApolloServer(schema: GraphQLSchema, config: Config, options: { clinicalAccessLog: boolean } = { clinicalAccessLog: true }): ApolloServer<AppContext> {
  const limits = queryLimitProtection();
  return new ApolloServer<AppContext>({
    schema,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    plugins: [
      ...(limits.plugins as ApolloServerPlugin<AppContext>[]),
      argumentGuard,
      operationNamePlugin,
      mutationAbilityPlugin,
      ...(options.clinicalAccessLog ? [accessLogPlugin] : []),
      responseHeadersPlugin,
      requestLogPlugin,
    ],
    formatError(formatted, error) {
      const code = formatted.extensions?.code;
      if (code === 'BAD_USER_INPUT' && formatted.extensions?.field === undefined) {
        const field = fieldOfCoercionError(formatted.message);
        if (field) return { ...formatted, extensions: { ...formatted.extensions, field } };
      }
      if (!code || code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: safeErrorMessage(error), path: formatted.path }, 'internal error');
        return { message: 'Internal error.', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
      return formatted;
    },
  });
}
