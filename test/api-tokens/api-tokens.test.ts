/**
 * API tokens of service accounts, through the real server: a chain manager creates one for the BI service
 * account, the BI tool uses it on /graphql (as the BI user, with the BI role's fields only), the token is never
 * readable again, and once revoked (or expired) it is refused with a clear message. Input checks (a STAFF user,
 * a deactivated one, another chain's, names and expiries out of range, revoking twice), chain-wide permission (a
 * store-scoped grant of ApiToken is FORBIDDEN, as is a role without it), the history entries, cookies and logout.
 */
import { createHash } from 'node:crypto';
import { API_TOKEN_EXPIRED_MESSAGE, API_TOKEN_REFUSED_MESSAGE, API_TOKEN_REVOKED_MESSAGE } from '../../src/auth/session-refusal';
import { newApiToken } from '../../src/auth/api-token';
import { EMAIL } from '../support/actors';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { issueApiToken } from '../support/service-tokens';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86400_000;
const CREATE = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  token apiToken { id userId name createdAt createdById expiresAt revokedAt revokedById lastUsedAt } } }`;
const REVOKE = 'mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt revokedById } }';
const LIST = 'query($userId: ID) { apiTokens(userId: $userId) { id userId name createdAt createdById expiresAt revokedAt revokedById lastUsedAt } }';
const TOKEN_TEXT = /^vsa_[A-Za-z0-9_-]{43}$/;

interface Created {
  createApiToken: { token: string; apiToken: { id: string; userId: string; name: string; expiresAt: string; revokedAt: string | null; createdById: string; lastUsedAt: string | null } };
}

const inDays = (days: number): string => new Date(Date.now() + days * DAY).toISOString();

function badField(result: GraphQLResult<unknown>): string | undefined {
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  return result.errors?.[0].extensions?.field;
}

describe('API tokens of service accounts', () => {
  let app: TestApp;
  const { as } = sessionsFor(() => app);
  let biId: string;
  let chainManagerId: string;
  let chainId: string;
  const bearer = <T = Record<string, unknown>>(token: string, query: string, variables: Record<string, unknown> = {}) => app.request<T>(query, variables, token);
  const create = (input: Record<string, unknown>) => as<Created>('chainManager', CREATE, { input });

  beforeAll(async () => {
    app = await startTestApp();
    const [bi] = await app.ownerCore.query('SELECT id::text AS id, chain_id::text AS chain FROM staff_user WHERE email = $1', [EMAIL.bi]);
    const [cm] = await app.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.chainManager]);
    biId = bi.id;
    chainId = bi.chain;
    chainManagerId = cm.id;
  });
  afterAll(() => app?.stop());

  it('the demo BI user is a service account', async () => {
    const users = await as<{ users: { email: string; kind: string }[] }>('chainManager', '{ users { email kind } }');
    const kinds = Object.fromEntries(users.data!.users.map((u) => [u.email, u.kind]));
    expect(kinds[EMAIL.bi]).toBe('SERVICE');
    expect(kinds[EMAIL.dpo]).toBe('STAFF');
  });

  it('create → use on /graphql as the service account → revoke → UNAUTHENTICATED', async () => {
    const created = await create({ userId: biId, name: '  Nightly BI export  ', expiresAt: inDays(90) });
    expect(created.errors).toBeUndefined();
    const { token, apiToken } = created.data!.createApiToken;
    expect(token).toMatch(TOKEN_TEXT);
    expect(apiToken).toMatchObject({ userId: biId, name: 'Nightly BI export', createdById: chainManagerId, revokedAt: null, lastUsedAt: null });

    // Only the SHA-256 is stored.
    const [stored] = await app.ownerCore.query('SELECT token_hash FROM api_token WHERE id = $1', [apiToken.id]);
    expect((stored.token_hash as Buffer).equals(createHash('sha256').update(token, 'utf8').digest())).toBe(true);

    // The BI tool acts as the service account, through its role (BI fields only).
    const me = await bearer(token, '{ me { id email kind } }');
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({ me: { id: biId, email: EMAIL.bi, kind: 'SERVICE' } });
    const customers = await bearer<{ customers: { totalCount: number; edges: { node: { id: string; email: string | null } }[] } }>(
      token, '{ customers(first: 5) { totalCount edges { node { id firstName lastName email postcode homeStoreId } } } }',
    );
    expect(customers.errors).toBeUndefined();
    expect(customers.data!.customers.totalCount).toBe(300); // every Clearview customer (chain-scoped role)
    expect(customers.data!.customers.edges).toHaveLength(5);
    const dob = await bearer(token, '{ customers(first: 1) { edges { node { id dateOfBirth } } } }');
    expect(errorCodes(dob)).toEqual(['FORBIDDEN']);
    // Using it moves last_used_at.
    const [used] = await app.ownerCore.query('SELECT last_used_at FROM api_token WHERE id = $1', [apiToken.id]);
    expect(used.last_used_at).toBeInstanceOf(Date);

    const revoked = await as<{ revokeApiToken: { id: string; revokedAt: string; revokedById: string } }>('chainManager', REVOKE, { id: apiToken.id });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revokeApiToken).toMatchObject({ id: apiToken.id, revokedById: chainManagerId });
    const after = await bearer(token, '{ me { id } }');
    expect(errorCodes(after)).toEqual(['UNAUTHENTICATED']);
    expect(after.errors![0].message).toBe(API_TOKEN_REVOKED_MESSAGE);

    // Revoking twice is bad input, naming the id.
    expect(badField(await as('chainManager', REVOKE, { id: apiToken.id }))).toBe('id');
  });

  it('the token is never readable again: apiTokens lists its record, not its text or hash', async () => {
    const { data } = await create({ userId: biId, name: 'Listed token', expiresAt: inDays(10) });
    const { token, apiToken } = data!.createApiToken;
    const list = await as<{ apiTokens: { id: string; name: string }[] }>('chainManager', LIST, { userId: biId });
    expect(list.errors).toBeUndefined();
    expect(list.data!.apiTokens.map((t) => t.id)).toContain(apiToken.id);
    expect(list.data!.apiTokens[0].id).toBe(apiToken.id); // newest first
    const text = JSON.stringify(list.data);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(4));
    // The schema has no field that could hold it.
    const type = await as<{ __type: { fields: { name: string }[] } }>('chainManager', '{ __type(name: "ApiToken") { fields { name } } }');
    if (type.data?.__type) expect(type.data.__type.fields.map((f) => f.name).sort()).toEqual(
      ['createdAt', 'createdById', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'revokedById', 'userId'],
    );
    const other = await as<{ apiTokens: unknown[] }>('chainManager', LIST, { userId: chainManagerId });
    expect(other.data!.apiTokens).toEqual([]);
  });

  it('an expired token, an unknown one and one of a deactivated service account are refused', async () => {
    const expired = await issueApiToken(app.ownerCore, biId, { name: 'expired' });
    await app.ownerCore.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    const answer = await bearer(expired.token, '{ me { id } }');
    expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(answer.errors![0].message).toBe(API_TOKEN_EXPIRED_MESSAGE);

    const unknown = await bearer(newApiToken(), '{ me { id } }');
    expect(errorCodes(unknown)).toEqual(['UNAUTHENTICATED']);
    expect(unknown.errors![0].message).toBe(API_TOKEN_REFUSED_MESSAGE);

    const [disabled] = await app.ownerCore.query(
      `INSERT INTO staff_user (chain_id, name, email, profession, password_hash, kind, status)
       VALUES ($1, 'Old BI', 'old-bi@api-tokens.test', 'SERVICE_ACCOUNT', 'x', 'SERVICE', 'DISABLED') RETURNING id::text AS id`, [chainId]);
    const ofDisabled = await issueApiToken(app.ownerCore, disabled.id);
    expect(errorCodes(await bearer(ofDisabled.token, '{ me { id } }'))).toEqual(['UNAUTHENTICATED']);
    // …and no new token is made for it.
    expect(badField(await create({ userId: disabled.id, name: 'For a disabled account', expiresAt: inDays(5) }))).toBe('input.userId');
  });

  it('refuses a STAFF user, another chain’s user, bad names and expiries, changing nothing', async () => {
    const before = (await app.ownerCore.query('SELECT count(*)::int AS n FROM api_token'))[0].n;
    const [lakeside] = await app.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.lakesideManager]);
    const valid = { userId: biId, name: 'BI', expiresAt: inDays(30) };
    expect(badField(await create({ ...valid, userId: chainManagerId }))).toBe('input.userId');
    expect(errorCodes(await create({ ...valid, userId: lakeside.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await create({ ...valid, userId: '7b0b1a7e-4a52-4f7e-9a3f-0f1f2e3d4c5b' }))).toEqual(['NOT_FOUND']);
    expect(badField(await create({ ...valid, name: '   ' }))).toBe('input.name');
    expect(badField(await create({ ...valid, name: 'x'.repeat(101) }))).toBe('input.name');
    expect(badField(await create({ ...valid, expiresAt: new Date(Date.now() - 60_000).toISOString() }))).toBe('input.expiresAt');
    expect(badField(await create({ ...valid, expiresAt: inDays(367) }))).toBe('input.expiresAt');
    expect((await create({ ...valid, name: 'y'.repeat(100), expiresAt: inDays(365) })).errors).toBeUndefined();
    expect((await app.ownerCore.query('SELECT count(*)::int AS n FROM api_token'))[0].n).toBe(before + 1);
    expect(errorCodes(await as('chainManager', REVOKE, { id: '7b0b1a7e-4a52-4f7e-9a3f-0f1f2e3d4c5b' }))).toEqual(['NOT_FOUND']);
  });

  it('is chain-wide: roles without ApiToken, and a store-scoped grant of it, are FORBIDDEN', async () => {
    const { data } = await create({ userId: biId, name: 'Target', expiresAt: inDays(5) });
    const target = data!.createApiToken.apiToken.id;
    const valid = { userId: biId, name: 'Sneaky', expiresAt: inDays(5) };
    for (const who of ['leedsManager', 'northManager', 'dpo', 'leedsReception'] as const) {
      expect({ who, codes: errorCodes(await as(who, CREATE, { input: valid })) }).toEqual({ who, codes: ['FORBIDDEN'] });
      expect({ who, codes: errorCodes(await as(who, LIST)) }).toEqual({ who, codes: ['FORBIDDEN'] });
      expect({ who, codes: errorCodes(await as(who, REVOKE, { id: target })) }).toEqual({ who, codes: ['FORBIDDEN'] });
    }
    // The BI tool itself may not manage tokens.
    const bi = await issueApiToken(app.ownerCore, biId);
    expect(errorCodes(await bearer(bi.token, LIST))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await bearer(bi.token, CREATE, { input: valid }))).toEqual(['FORBIDDEN']);

    // manage ApiToken held at one store does not reach the chain-wide tokens.
    const role = await as<{ createRole: { id: string } }>('chainManager', 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }', {
      input: { name: 'Store token keeper', description: 'manage ApiToken at a store', permissions: [{ action: 'manage', subject: 'ApiToken' }, { action: 'read', subject: 'User' }] },
    });
    expect(role.errors).toBeUndefined();
    const [reception] = await app.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.leedsReception]);
    const [leeds] = await app.ownerCore.query(`SELECT id::text AS id FROM store WHERE name = 'Leeds'`);
    const assigned = await as('chainManager', 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }', {
      input: { userId: reception.id, roleId: role.data!.createRole.id, scopeType: 'STORE', storeId: leeds.id },
    });
    expect(assigned.errors).toBeUndefined();
    const before = (await app.ownerCore.query('SELECT count(*)::int AS n FROM api_token'))[0].n;
    expect(errorCodes(await as('leedsReception', CREATE, { input: valid }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await as('leedsReception', LIST))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await as('leedsReception', REVOKE, { id: target }))).toEqual(['FORBIDDEN']);
    expect((await app.ownerCore.query('SELECT count(*)::int AS n FROM api_token'))[0].n).toBe(before);
    expect((await app.ownerCore.query('SELECT revoked_at FROM api_token WHERE id = $1', [target]))[0].revoked_at).toBeNull();
  });

  it('records creating and revoking in the hash-chained security settings history, without the token', async () => {
    const { data } = await create({ userId: biId, name: 'History', expiresAt: inDays(7) });
    const { token, apiToken } = data!.createApiToken;
    await as('chainManager', REVOKE, { id: apiToken.id });
    const rows: { user_id: string; before: Record<string, unknown>; after: Record<string, unknown>; weakened: string[] }[] = await app.ownerCore.query(
      `SELECT user_id::text AS user_id, before, after, weakened FROM security_setting_change WHERE setting = 'ApiToken' AND after->>'id' = $1 ORDER BY seq`, [apiToken.id]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ user_id: chainManagerId, before: {}, after: { id: apiToken.id, userId: biId, name: 'History', revokedAt: null }, weakened: [] });
    expect(rows[1].before).toMatchObject({ revokedAt: null });
    expect(rows[1].after).toMatchObject({ id: apiToken.id, revokedById: chainManagerId });
    expect(typeof rows[1].after.revokedAt).toBe('string');
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
  });

  it('a cookie never carries an API token, and logout with one ends nothing', async () => {
    const bi = await issueApiToken(app.ownerCore, biId);
    const viaCookie = await app.request('{ me { id } }', {}, null, { cookie: `visus_session=${bi.token}` });
    expect(errorCodes(viaCookie)).toEqual(['UNAUTHENTICATED']);
    const logout = await bearer(bi.token, 'mutation { logout }');
    expect(logout.errors).toBeUndefined();
    expect((await bearer(bi.token, '{ me { id } }')).data).toEqual({ me: { id: biId } });
    expect((await app.ownerCore.query('SELECT revoked_at FROM api_token WHERE id = $1', [bi.id]))[0].revoked_at).toBeNull();
  });
});
