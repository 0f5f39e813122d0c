/**
 * Copies the resolved GraphQL operation's name into the request's identifiers, so that services writing
 * audit entries (the data change logs) can name the operation without seeing GraphQL.
 */
import { ApolloServerPlugin } from '@apollo/server';
import { AppContext } from '../context/app-context';

export const operationNamePlugin: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operationName }) {
        contextValue.request.operationName = operationName?.slice(0, 200) ?? null;
      },
    };
  },
};
