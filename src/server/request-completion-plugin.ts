/**
 * A request's end, before its response leaves: the clinical access entries are written, then a
 * mutation's unit of work (src/db/request-transaction.ts) commits. Fails closed: if the access log
 * cannot be written, a mutation's changes roll back and the response carries no data, only an error;
 * if the commit fails, the response says the change was not saved. A mutation's unit of work begins
 * when execution starts (after every check of the operation passed), except for `login`/`logout`,
 * which run alone (src/auth/sign-in-alone.ts) and must commit their own bookkeeping (failed sign-ins)
 * whatever the response. With the database out of reach the answer is SERVICE_UNAVAILABLE, HTTP 503
 * (src/server/database-unavailable.ts), still without data; if the unit of work cannot even begin, each
 * root field fails with that error before its resolver runs.
 */
import { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { beginRequestTransaction, RequestTransaction } from '../db/request-transaction';
import { createLoaders } from '../loaders/loaders';
import { Principal } from '../policies/ability';
import { AppContext } from '../context/app-context';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';
import { isDatabaseUnavailable, markUnavailableResponse, SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE, unavailableError } from './database-unavailable';

/** The response carries no data, only the error; an unreachable database makes it SERVICE_UNAVAILABLE (503), fail closed all the same. */
function withhold(response: GraphQLResponse, message: string, error: unknown): void {
  if (response.body.kind !== 'single') return;
  const unavailable = isDatabaseUnavailable(error);
  response.body.singleResult = { errors: [{ message: unavailable ? `${message} ${UNAVAILABLE_MESSAGE}` : message, extensions: { code: unavailable ? SERVICE_UNAVAILABLE : 'INTERNAL_SERVER_ERROR' } }] };
  response.http.status = 500;
}

/**
 * The unit of work of a mutation whose transactions could not begin: each root field fails with the reason
 * before its resolver runs (src/server/mutation-savepoints.ts), so nothing is written and there is nothing to
 * commit; an unreachable database makes it SERVICE_UNAVAILABLE, HTTP 503.
 */
function unbegun(ctx: AppContext, error: unknown): RequestTransaction {
  const failure = isDatabaseUnavailable(error) ? unavailableError(error) : error;
  return {
    core: ctx.core,
    clinical: ctx.clinical,
    step: () => Promise.reject(failure instanceof Error ? failure : new Error(String(failure))),
    commit: async () => undefined,
    rollback: async () => undefined,
  };
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
          let unitOfWork: RequestTransaction;
          try {
            unitOfWork = await beginRequestTransaction(ctx.core, ctx.clinical);
          } catch (error) {
            // Thrown from this hook, an error would end the request as Apollo's own "Internal server error" (HTTP 500).
            ctx.unitOfWork = unbegun(ctx, error);
            return;
          }
          ctx.unitOfWork = unitOfWork;
          ctx.core = unitOfWork.core;
          ctx.clinical = unitOfWork.clinical;
          ctx.loaders = createLoaders(ctx.core, ctx.clinical, ctx.principal && ctx.ability ? { chainId: ctx.principal.chainId, ability: ctx.ability } : null);
        },
        async willSendResponse(requestContext) {
          try {
            await complete(requestContext.contextValue, requestContext.response, requestContext.operationName ?? null);
          } finally {
            markUnavailableResponse(requestContext.response); // SERVICE_UNAVAILABLE in the answer: HTTP 503, Retry-After
          }
        },
      };
    },
  };

  async function complete(ctx: AppContext, response: GraphQLResponse, operationName: string | null): Promise<void> {
    const unitOfWork = ctx.unitOfWork;
    let logged: Principal[] = [];
    if (options.clinicalAccessLog && ctx.accessLog.size > 0) {
      try {
        logged = await ctx.accessLog.flush(ctx.clinical, ctx.request, operationName);
      } catch (error) {
        logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'clinical access log write failed; response withheld');
        await unitOfWork?.rollback();
        withhold(response, unitOfWork
          ? 'Clinical data could not be logged, so the change was not saved and none was returned.'
          : 'Clinical data could not be logged, so none was returned.', error);
        return;
      }
    }
    if (unitOfWork) {
      try {
        await unitOfWork.commit();
      } catch (error) {
        logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'request transaction commit failed');
        withhold(response, 'The change could not be saved.', error);
        return;
      }
    }
    for (const principal of logged) options.afterAccessLogWritten(principal);
  }
}
