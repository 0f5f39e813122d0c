/**
 * Rejects text containing NUL characters before anything runs: PostgreSQL cannot store them, so
 * they would otherwise surface as an internal error halfway through a write. Answers BAD_USER_INPUT
 * naming the variable path (e.g. "input.city") or the argument.
 */
import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit } from 'graphql';
import { AppContext } from './context';

function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = nulPath(inner, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

function rejection(field: string): GraphQLError {
  return new GraphQLError(`${field}: must not contain NUL characters`, {
    extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } },
  });
}

export const nulCharacterGuard: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        const inVariables = nulPath(request.variables ?? {}, '');
        if (inVariables) throw rejection(inVariables);
        let inLiteral: string | null = null;
        visit(document, {
          [Kind.ARGUMENT](node) {
            if (!inLiteral && JSON.stringify(node.value).includes('\\u0000')) inLiteral = node.name.value;
          },
        });
        if (inLiteral) throw rejection(inLiteral);
      },
    };
  },
};
