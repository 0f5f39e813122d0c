/**
 * Shared look-ups for the consent-proof suites: Leeds customers (the Leeds staff's home store), and a way to take
 * one subject (or one field of it) away from a demo role through the API, to see a role without it refused.
 */
import { TestApp } from '../support/test-app';
import { Sessions } from '../support/sessions';

export const CONSENT_CHANGE = `mutation($input: ConsentChangeInput!) {
  recordConsentChange(input: $input) { id channel granted basis saleReference optOutOffered wordingVersion history { id } }
}`;

/** Active Leeds customers, by id. */
export async function leedsCustomers(app: TestApp, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await app.ownerCore.query(
    `SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Leeds' AND c.status = 'ACTIVE' ORDER BY c.id LIMIT $1`, [limit]);
  return rows.map((r) => r.id);
}

export async function storeId(app: TestApp, name: string): Promise<string> {
  const [row]: { id: string }[] = await app.ownerCore.query('SELECT id FROM store WHERE name = $1', [name]);
  return row.id;
}

interface Entry { action: string; subject: string; fields: string[] | null }

/**
 * Rewrites a Clearview role (as the chain manager) with its entries on `subject` replaced: removed, or (with
 * `keepFields`) narrowed to those fields.
 */
export async function narrowRole(sessions: Sessions, chainManager: string, roleName: string, subject: string, keepFields?: string[]): Promise<void> {
  const roles = await sessions.as<{ roles: { id: string; name: string; permissions: Entry[] }[] }>(chainManager, '{ roles { id name permissions { action subject fields } } }');
  const role = roles.data!.roles.find((r) => r.name === roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  const permissions = role.permissions.flatMap((p) => {
    if (p.subject !== subject) return [{ action: p.action, subject: p.subject, fields: p.fields }];
    return keepFields ? [{ action: p.action, subject: p.subject, fields: keepFields }] : [];
  });
  const updated = await sessions.as(chainManager, 'mutation($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { id } }', { id: role.id, input: { permissions } });
  if (updated.errors) throw new Error(JSON.stringify(updated.errors));
}
