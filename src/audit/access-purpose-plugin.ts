/**
 * Writes the request's clinical access entries before its response leaves, and fails closed: if the
 * write fails, the response carries no data, only an error (for a mutation, saying that the change
 * itself was saved, so the client does not repeat it). Refuses, before anything runs, a request whose
 * declared purpose of access (X-Access-Purpose) is malformed.
 */
import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AppContext } from '../server/context';
import { logger } from '../server/logger';
import { safeErrorMessage } from '../server/safe-error-message';

export const accessLogPlugin: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue: ctx }) {
        if (ctx.request.purposeProblem) {
          throw new GraphQLError(`X-Access-Purpose header: ${ctx.request.purposeProblem}`, {
            extensions: { code: 'BAD_USER_INPUT', field: 'X-Access-Purpose', http: { status: 400 } },
          });
        }
      },
      async willSendResponse({ contextValue: ctx, response, operation, operationName }) {
        if (!ctx.principal || ctx.accessLog.size === 0 || response.body.kind !== 'single') return;
        try {
          await ctx.accessLog.flush(ctx.clinical, ctx.principal, ctx.request, operationName ?? null);
          ctx.anomalies.afterAccessLogWritten(ctx.principal);
        } catch (error) {
          logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'clinical access log write failed; response withheld');
          const message = operation?.operation === 'mutation'
            ? 'The change was saved, but clinical data could not be logged, so none was returned.'
            : 'Clinical data could not be logged, so none was returned.';
          response.body.singleResult = { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
          response.http.status = 500;
        }
      },
    };
  },
};
