/**
 * Staff accounts made through the API for tests: `createStaff` has the chain manager create a member of staff and
 * returns the user's id and the invitation token (shown once); `acceptAs` accepts an invitation.
 */
import { GraphQLResult } from './graphql-client';
import type { TestApp } from './test-app';

export const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) {
  user { id name email profession registrationNumber kind status } invitation { token expiresAt } } }`;
export const ACCEPT = 'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token expiresAt scope user { id email } } }';

export interface CreatedUserData {
  createUser: {
    user: { id: string; name: string; email: string; profession: string; registrationNumber: string | null; kind: string; status: string };
    invitation: { token: string; expiresAt: string } | null;
  };
}
export interface AcceptData {
  acceptInvitation: { token: string; expiresAt: string; scope: string; user: { id: string; email: string } };
}

let counter = 0;
/** An email no other test uses. */
export function freshEmail(prefix = 'staff'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now()}.${counter}@clearview.example`;
}

export async function createStaff(
  app: TestApp, managerToken: string, input: Record<string, unknown> = {},
): Promise<{ id: string; email: string; token: string }> {
  const email = (input.email as string | undefined) ?? freshEmail();
  const result = await app.request<CreatedUserData>(CREATE_USER, {
    input: { name: 'Priya Natarajan', email, profession: 'OPTOMETRIST', registrationNumber: '01-23456', kind: 'STAFF', ...input },
  }, managerToken);
  if (result.errors || !result.data?.createUser.invitation) throw new Error(`createStaff: ${JSON.stringify(result.errors)}`);
  return { id: result.data.createUser.user.id, email: result.data.createUser.user.email, token: result.data.createUser.invitation.token };
}

export function acceptAs(app: TestApp, token: string, password: string): Promise<GraphQLResult<AcceptData>> {
  return app.request<AcceptData>(ACCEPT, { t: token, p: password });
}
