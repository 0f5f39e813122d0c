/**
 * Actors for the chain-manager suites: signed-in demo users (one session each, reused), staff made for a
 * suite with exactly the roles it gives them (through the real API, as the demo chain manager), and the
 * demo chain's ids read from the database by name (the seed's domain: stores, regions, users).
 */
import { errorCodes, GraphQLResult } from './graphql-client';
import { TestApp } from './test-app';

export const CM = 'chain.manager@clearview.example';
export const NORTH = 'north.manager@clearview.example';
export const RECEPTION = 'leeds.reception@clearview.example';
export const LOCUM = 'locum@clearview.example';
export const DPO = 'dpo@clearview.example';
export const OPTOMETRIST = 'leeds.optometrist@clearview.example';
export const LAKESIDE = 'manager@lakeside.example';

export interface Entry { action: string; subject: string; fields?: string[] }
export type Scope = { scopeType: 'CHAIN' } | { scopeType: 'REGION'; regionId: string } | { scopeType: 'STORE'; storeId: string };

export interface Demo {
  chainId: string;
  stores: Record<string, string>;
  regions: Record<string, string>;
  users: Record<string, string>;
}

export class Actors {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly app: TestApp) {}

  async token(email: string): Promise<string> {
    let token = this.tokens.get(email);
    if (!token) {
      token = await this.app.login(email);
      this.tokens.set(email, token);
    }
    return token;
  }

  async as<T = Record<string, unknown>>(email: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
    return this.app.request<T>(query, variables, await this.token(email));
  }

  /** The answer's data, failing the test (with the errors) when it carries any error. */
  async ok<T = Record<string, unknown>>(email: string, query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.as<T>(email, query, variables);
    expect({ errors: result.errors ?? [] }).toEqual({ errors: [] });
    return result.data as T;
  }

  /** The demo chain's ids by name (as the database's owner). */
  async demo(): Promise<Demo> {
    const [{ id: chainId }]: { id: string }[] = await this.app.ownerCore.query(`SELECT id FROM chain WHERE name = 'Clearview Opticians'`);
    const byName = async (sql: string): Promise<Record<string, string>> =>
      Object.fromEntries(((await this.app.ownerCore.query(sql, [chainId])) as { id: string; k: string }[]).map((r) => [r.k, r.id]));
    return {
      chainId,
      stores: await byName('SELECT id, name AS k FROM store WHERE chain_id = $1'),
      regions: await byName('SELECT id, name AS k FROM region WHERE chain_id = $1'),
      users: await byName('SELECT id, email AS k FROM staff_user WHERE chain_id = $1'),
    };
  }

  /** A member of staff of the demo chain without any role (the demo password), made as the database's owner. */
  async makeStaff(email: string, name: string): Promise<string> {
    const [{ id }]: { id: string }[] = await this.app.ownerCore.query(
      `INSERT INTO staff_user (chain_id, email, name, profession, password_hash)
       SELECT chain_id, $1, $2, 'MANAGER', password_hash FROM staff_user WHERE email = $3 RETURNING id`,
      [email, name, CM],
    );
    return id;
  }

  /** The chain manager defines a role with these entries and gives it to the user at that scope. */
  async giveRole(userId: string, roleName: string, permissions: Entry[], scope: Scope = { scopeType: 'CHAIN' }): Promise<{ roleId: string; assignmentId: string }> {
    const { createRole } = await this.ok<{ createRole: { id: string } }>(CM,
      'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }', { input: { name: roleName, description: 'made by a test', permissions } });
    const { assignRole } = await this.ok<{ assignRole: { id: string } }>(CM,
      'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }', { input: { userId, roleId: createRole.id, ...scope } });
    return { roleId: createRole.id, assignmentId: assignRole.id };
  }
}

/** The answer's error codes and the fields they name, for compact assertions. */
export function refusals(result: GraphQLResult<unknown>): { codes: string[]; paths: string[]; fields: (string | undefined)[] } {
  return {
    codes: errorCodes(result),
    paths: (result.errors ?? []).map((e) => (e.path ?? []).join('.')),
    fields: (result.errors ?? []).map((e) => e.extensions?.field),
  };
}
