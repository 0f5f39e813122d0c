/**
 * A minimal GraphQL-over-HTTP client for the suites: real HTTP, real headers and cookies.
 */
import { print } from 'graphql';
import { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string };
}

export interface GraphQLResult<TData> {
  status: number;
  data?: TData | null;
  errors?: GraphQLErrorShape[];
  headers: Headers;
}

export async function graphql<TData>(
  url: string,
  query: string | TypedDocumentNode<TData, never>,
  variables?: Record<string, unknown>,
  token?: string | null,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
  });
  const body = (await response.json()) as { data?: TData | null; errors?: GraphQLErrorShape[] };
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

/** Error codes of a result, for compact assertions. */
export function errorCodes(result: GraphQLResult<unknown>): string[] {
  return (result.errors ?? []).map((e) => e.extensions?.code ?? 'NONE');
}
