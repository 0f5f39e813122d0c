/**
 * A request's end, before its response leaves: the clinical access entries are written, then a
 * mutation's unit of work (src/db/request-transaction.ts) commits. Fails closed: if the access log
 * cannot be written, a mutation's changes roll back and the response carries no data, only an error;
 * if the commit fails, the response says the change was not saved. A mutation's unit of work begins
 * when execution starts (after every check of the operation passed), except for `login`/`logout`,
 * which run alone (src/auth/sign-in-alone.ts) and must commit their own bookkeeping (failed sign-ins)
 * whatever the response.
 */
import { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { beginRequestTransaction } from '../db/request-transaction';
import { createLoaders } from '../loaders/loaders';
import { Principal } from '../policies/ability';
import { AppContext } from '../context/app-context';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';

function withhold(response: GraphQLResponse, message: string): void {
  if (response.body.kind !== 'single') return;
  response.body.singleResult = { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
  response.http.status = 500;
}

export interface RequestCompletionOptions {
  /** Off only in the audit benchmark's baseline (bench/), never in `npm start` or tests. */
  clinicalAccessLog: boolean;
  /** Told, after the response's entries are written, whose reads they were (the anomaly detector). */
  afterAccessLogWritten(principal: Principal): void;
}

export function requestCompletionPlugin(options: RequestCompletionOptions): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ contextValue: ctx, operation }) {
          if (operation.operation !== 'mutation' || ctx.signInOperation) return;
          const unitOfWork = await beginRequestTransaction(ctx.core, ctx.clinical);
          ctx.unitOfWork = unitOfWork;
          ctx.core = unitOfWork.core;
          ctx.clinical = unitOfWork.clinical;
          ctx.loaders = createLoaders(ctx.core, ctx.clinical, ctx.principal && ctx.ability ? { chainId: ctx.principal.chainId, ability: ctx.ability } : null);
        },
        async willSendResponse({ contextValue: ctx, response, operationName }) {
          const unitOfWork = ctx.unitOfWork;
          let logged: Principal[] = [];
          if (options.clinicalAccessLog && ctx.accessLog.size > 0) {
            try {
              logged = await ctx.accessLog.flush(ctx.clinical, ctx.request, operationName ?? null);
            } catch (error) {
              logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'clinical access log write failed; response withheld');
              await unitOfWork?.rollback();
              withhold(response, unitOfWork
                ? 'Clinical data could not be logged, so the change was not saved and none was returned.'
                : 'Clinical data could not be logged, so none was returned.');
              return;
            }
          }
          if (unitOfWork) {
            try {
              await unitOfWork.commit();
            } catch (error) {
              logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'request transaction commit failed');
              withhold(response, 'The change could not be saved.');
              return;
            }
          }
          for (const principal of logged) options.afterAccessLogWritten(principal);
        },
      };
    },
  };
}
