/**
 * The benchmarks' GraphQL client over HTTP: one request, its errors in one line, signing in.
 */

export interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function post(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

/** The HTTP status and the first three errors' codes and messages. */
export function describeErrors(status: number, body: GraphQLBody): string {
  const errors = (body.errors ?? []).slice(0, 3).map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`);
  return `HTTP ${status}${errors.length ? `; ${errors.join(' | ')}` : ''}`;
}

/** Signs `email` in with `password`; returns the session token. */
export async function login(url: string, email: string, password: string): Promise<string> {
  const result = await post(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
  const token = (result.body.data as { login?: { token?: string } } | undefined)?.login?.token;
  if (!token) throw new Error(`login failed: ${describeErrors(result.status, result.body)}`);
  return token;
}
