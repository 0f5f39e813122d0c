/**
 * Refuses, before anything runs, a request whose declared purpose of access (X-Access-Purpose) is
 * malformed. Writing the request's clinical access entries (and failing closed) is the request's
 * completion: src/server/request-completion-plugin.ts.
 */
import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AppContext } from '../context/app-context';

export const accessPurposePlugin: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue: ctx }) {
        if (ctx.request.purposeProblem) {
          throw new GraphQLError(`X-Access-Purpose header: ${ctx.request.purposeProblem}`, {
            extensions: { code: 'BAD_USER_INPUT', field: 'X-Access-Purpose', http: { status: 400 } },
          });
        }
      },
    };
  },
};
