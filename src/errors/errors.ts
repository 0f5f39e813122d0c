/**
 * The API's error vocabulary. Every error a client sees has one of these codes; messages name the
 * field or the thing, never a stored value.
 */
import { GraphQLError } from 'graphql';

export function unauthenticated(reason?: string | null): GraphQLError {
  return new GraphQLError(reason ?? 'Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} not found.`, { extensions: { code: 'NOT_FOUND' } });
}

/** Bad input: `field` is the input path of the offending value (e.g. "input.refractions[0].axis"). */
export function badInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export function isGraphQLErrorWithCode(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && typeof error.extensions?.code === 'string';
}
