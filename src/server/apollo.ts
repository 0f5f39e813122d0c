/**
 * The Apollo server and its request plugins: flush the clinical access log before a response
 * leaves (fail closed: if the log cannot be written, no data is returned), set session cookies,
 * security headers, and log each request with ids and error codes only. Query limits and the NUL
 * guard run before execution.
 */
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { GraphQLSchema } from 'graphql';
import { Config } from '../config/config';
import { AppContext } from './context';
import { logger } from './logger';
import { nulCharacterGuard } from './nul-character-guard';
import { queryLimitProtection } from './query-limits';

const accessLogPlugin: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    const started = process.hrtime.bigint();
    return {
      async willSendResponse({ contextValue: ctx, response, operation, operationName, errors }) {
        if (ctx.principal && ctx.accessLog.size > 0 && response.body.kind === 'single') {
          try {
            await ctx.accessLog.flush(ctx.clinical, ctx.principal, ctx.request, operationName ?? null);
          } catch (error) {
            logger.error({ requestId: ctx.request.requestId, err: (error as Error).message }, 'clinical access log write failed; response withheld');
            // A mutation's own transaction has already committed: say so, so the client does not retry it.
            const message = operation?.operation === 'mutation'
              ? 'The change was saved, but clinical data could not be logged, so none was returned.'
              : 'Clinical data could not be logged, so none was returned.';
            response.body.singleResult = { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
            response.http.status = 500;
          }
        }
        for (const cookie of ctx.responseCookies) response.http.headers.set('set-cookie', cookie);
        response.http.headers.set('x-request-id', ctx.request.requestId);
        response.http.headers.set('cache-control', 'no-store');
        if (ctx.config.production) response.http.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
        const codes = (errors ?? []).map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
        logger.info(
          {
            requestId: ctx.request.requestId,
            userId: ctx.principal?.userId,
            operationName,
            errorCodes: codes.length ? codes : undefined,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          },
          'graphql request',
        );
      },
    };
  },
};

/** GraphQL's own input coercion errors name the path only in their message: copy it to `field`. */
function fieldOfCoercionError(message: string): string | undefined {
  return /at "([^"]+)"/.exec(message)?.[1] ?? /^Variable "\$([A-Za-z_]\w*)"/.exec(message)?.[1];
}

export function createApolloServer(schema: GraphQLSchema, config: Config): ApolloServer<AppContext> {
  const limits = queryLimitProtection();
  return new ApolloServer<AppContext>({
    schema,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    plugins: [...(limits.plugins as ApolloServerPlugin<AppContext>[]), nulCharacterGuard, accessLogPlugin],
    formatError(formatted, error) {
      const code = formatted.extensions?.code;
      if (code === 'BAD_USER_INPUT' && formatted.extensions?.field === undefined) {
        const field = fieldOfCoercionError(formatted.message);
        if (field) return { ...formatted, extensions: { ...formatted.extensions, field } };
      }
      if (!code || code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: error instanceof Error ? error.message : String(error), path: formatted.path }, 'internal error');
        return { message: 'Internal error.', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
      return formatted;
    },
  });
}
