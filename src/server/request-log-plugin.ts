/**
 * One application-log line per GraphQL request: ids, operation name, error codes and duration.
 * Never names, emails, variables or clinical values.
 */
import { ApolloServerPlugin } from '@apollo/server';
import { AppContext } from '../context/app-context';
import { logger } from '../logging/logger';

export const requestLogPlugin: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    const started = process.hrtime.bigint();
    return {
      async willSendResponse({ contextValue: ctx, operationName, errors }) {
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
