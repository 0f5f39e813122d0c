/**
 * Gives a request's execution turn back (src/server/request-gate.ts) as soon as its execution ends: what follows
 * (the clinical access log's write, a mutation's commit, in src/server/request-completion-plugin.ts) waits for the
 * database, not for the CPU, and holds no more of the request's state than the answer.
 */
import { ApolloServerPlugin } from '@apollo/server';
import { AppContext } from '../context/app-context';

export const executionTurnPlugin: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async executionDidStart({ contextValue }) {
        return {
          async executionDidEnd() {
            contextValue.executionTurn?.release();
          },
        };
      },
    };
  },
};
