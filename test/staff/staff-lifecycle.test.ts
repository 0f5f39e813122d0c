/**
 * The staff lifecycle through the real server: input rules of createUser/updateUser (name, email unique across
 * chains and lower-cased, profession vs kind, registration number), service accounts (no invitation, never a
 * password), FORBIDDEN for roles without `create`/`update User` (store manager, receptionist), NOT_FOUND across
 * chains, and deactivation: the user's session and a service account's API token are refused at their next
 * request, oneself is refused, reactivation restores sign-in with the same password (tokens stay revoked).
 */
import { EMAIL, signIn } from '../support/actors';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { issueApiToken } from '../support/service-tokens';
import { sessionsFor } from '../support/sessions';
import { acceptAs, CREATE_USER, CreatedUserData, createStaff, freshEmail } from '../support/staff-accounts';
import { startTestApp, TestApp } from '../support/test-app';

const GOOD = 'Periwinkle-harbour-lamp-3302';
const UPDATE = 'mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id name email profession registrationNumber } }';
const DEACTIVATE = 'mutation($id: ID!) { deactivateUser(id: $id) { id status } }';
const REACTIVATE = 'mutation($id: ID!) { reactivateUser(id: $id) { id status } }';

function badField(result: GraphQLResult<unknown>): string | undefined {
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  return result.errors?.[0].extensions?.field;
}

describe('staff lifecycle', () => {
  let app: TestApp;
  const { tokenOf, as } = sessionsFor(() => app);
  const input = (over: Record<string, unknown> = {}) => ({ name: 'Tomasz Wójcik', email: freshEmail(), profession: 'DISPENSING_OPTICIAN', registrationNumber: null, kind: 'STAFF', ...over });
  const create = (over: Record<string, unknown> = {}) => as<CreatedUserData>('chainManager', CREATE_USER, { input: input(over) });

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('creates a member of staff with the email lower-cased and the fields trimmed', async () => {
    const email = freshEmail('Mixed.Case');
    const result = await create({ name: '  Tomasz Wójcik ', email: `  ${email.toUpperCase()} `, registrationNumber: ' D-1234 ' });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createUser.user).toMatchObject({ name: 'Tomasz Wójcik', email: email.toLowerCase(), registrationNumber: 'D-1234', kind: 'STAFF', status: 'ACTIVE' });
    const listed = await as<{ users: { id: string }[] }>('chainManager', 'query($e: String) { users(email: $e) { id } }', { e: email });
    expect(listed.data!.users.map((u) => u.id)).toEqual([result.data!.createUser.user.id]);
  });

  it('a service account gets no invitation and never a password', async () => {
    const result = await create({ profession: 'SERVICE_ACCOUNT', kind: 'SERVICE', name: 'Stock sync' });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createUser.invitation).toBeNull();
    const id = result.data!.createUser.user.id;
    const [row] = await app.ownerCore.query('SELECT password_hash, (SELECT count(*)::int FROM user_invitation WHERE user_id = $1) AS n FROM staff_user WHERE id = $1', [id]);
    expect(row).toEqual({ password_hash: null, n: 0 });
    expect(badField(await as('chainManager', 'mutation($id: ID!) { resetUserPassword(userId: $id) { token } }', { id }))).toBe('userId');
  });

  it.each([
    ['an empty name', { name: '   ' }, 'input.name'],
    ['a name of only invisible characters', { name: '\u200b\u200b' }, 'input.name'],
    ['a name over 200 characters', { name: 'a'.repeat(201) }, 'input.name'],
    ['an email without a domain', { email: 'someone@' }, 'input.email'],
    ['an email with spaces', { email: 'some one@clearview.example' }, 'input.email'],
    ['a registration number over 50 characters', { registrationNumber: 'x'.repeat(51) }, 'input.registrationNumber'],
    ['a member of staff with profession SERVICE_ACCOUNT', { profession: 'SERVICE_ACCOUNT' }, 'input.profession'],
    ['a service account with a staff profession', { kind: 'SERVICE', profession: 'OPTOMETRIST' }, 'input.profession'],
  ])('refuses %s', async (_label, over, field) => {
    const [{ n: before }] = await app.ownerCore.query('SELECT count(*)::int AS n FROM staff_user');
    expect(badField(await create(over))).toBe(field);
    const [{ n: after }] = await app.ownerCore.query('SELECT count(*)::int AS n FROM staff_user');
    expect(after).toBe(before);
  });

  it('an email in use in any chain is refused without saying where', async () => {
    for (const email of [EMAIL.lakesideManager, EMAIL.dpo.toUpperCase()]) {
      const result = await create({ email });
      expect(badField(result)).toBe('input.email');
      expect(result.errors![0].message).toContain('is already in use');
      expect(result.errors![0].message).not.toMatch(/lakeside|clearview/i);
    }
  });

  it('two concurrent createUser with one email: exactly one wins, the other is told it is in use', async () => {
    const email = freshEmail('race');
    const results = await Promise.all([create({ email }), create({ email: email.toUpperCase() }), create({ email })]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) expect(badField(r)).toBe('input.email');
    const [{ n }] = await app.ownerCore.query('SELECT count(*)::int AS n FROM staff_user WHERE email = $1', [email]);
    expect(n).toBe(1);
  });

  it('updateUser changes the fields given and keeps the rules', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    const updated = await as<{ updateUser: Record<string, unknown> }>('chainManager', UPDATE, { id: staff.id, input: { name: 'Priya N. Natarajan', registrationNumber: null } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateUser).toMatchObject({ name: 'Priya N. Natarajan', email: staff.email, profession: 'OPTOMETRIST', registrationNumber: null });
    expect(badField(await as('chainManager', UPDATE, { id: staff.id, input: { email: EMAIL.lakesideManager } }))).toBe('input.email');
    expect(badField(await as('chainManager', UPDATE, { id: staff.id, input: {} }))).toBe('input');
    const history = await app.ownerCore.query(`SELECT before->>'name' AS b, after->>'name' AS a FROM security_setting_change WHERE setting = 'User' AND after->>'id' = $1 ORDER BY seq DESC LIMIT 1`, [staff.id]);
    expect(history).toEqual([{ b: 'Priya Natarajan', a: 'Priya N. Natarajan' }]);
  });

  it('FORBIDDEN for roles without create/update User; NOT_FOUND across chains', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    for (const actor of ['leedsManager', 'leedsReception'] as const) {
      expect(errorCodes(await as(actor, CREATE_USER, { input: input() }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await as(actor, UPDATE, { id: staff.id, input: { name: 'X' } }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await as(actor, DEACTIVATE, { id: staff.id }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await as(actor, REACTIVATE, { id: staff.id }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await as(actor, 'mutation($id: ID!) { resetUserPassword(userId: $id) { token } }', { id: staff.id }))).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await as('lakesideManager', UPDATE, { id: staff.id, input: { name: 'X' } }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await as('lakesideManager', DEACTIVATE, { id: staff.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await as('lakesideManager', 'mutation($id: ID!) { resetUserPassword(userId: $id) { token } }', { id: staff.id }))).toEqual(['NOT_FOUND']);
    const [row] = await app.ownerCore.query('SELECT name, status FROM staff_user WHERE id = $1', [staff.id]);
    expect(row).toEqual({ name: 'Priya Natarajan', status: 'ACTIVE' });
  });

  it('deactivation ends the session at once; reactivation restores sign-in with the same password', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    expect((await acceptAs(app, staff.token, GOOD)).errors).toBeUndefined();
    const session = await signIn(app, staff.email, GOOD);
    expect((await session.request('{ me { id } }')).errors).toBeUndefined();
    const off = await as<{ deactivateUser: { status: string } }>('chainManager', DEACTIVATE, { id: staff.id });
    expect(off.data?.deactivateUser.status).toBe('DISABLED');
    expect(errorCodes(await session.request('{ me { id } }'))).toEqual(['UNAUTHENTICATED']);
    const [ended] = await app.ownerCore.query(`SELECT ended_reason FROM session WHERE user_id = $1 ORDER BY ended_at DESC NULLS FIRST LIMIT 1`, [staff.id]);
    expect(ended.ended_reason).toBe('DEACTIVATED');
    await expect(signIn(app, staff.email, GOOD)).rejects.toThrow(/login failed/);
    expect(badField(await as('chainManager', DEACTIVATE, { id: staff.id }))).toBe('id');

    expect((await as<{ reactivateUser: { status: string } }>('chainManager', REACTIVATE, { id: staff.id })).data?.reactivateUser.status).toBe('ACTIVE');
    const back = await signIn(app, staff.email, GOOD);
    expect((await back.request('{ me { id } }')).errors).toBeUndefined();
  });

  it('a deactivated user cannot accept an invitation', async () => {
    const staff = await createStaff(app, await tokenOf('chainManager'));
    await as('chainManager', DEACTIVATE, { id: staff.id });
    expect(errorCodes(await acceptAs(app, staff.token, GOOD))).toEqual(['UNAUTHENTICATED']);
    await as('chainManager', REACTIVATE, { id: staff.id });
    // Deactivation revoked the invitation: reactivation does not bring it back.
    expect(errorCodes(await acceptAs(app, staff.token, GOOD))).toEqual(['UNAUTHENTICATED']);
  });

  it('deactivating a service account refuses its API token at the next request; reactivation keeps it revoked', async () => {
    const created = await create({ profession: 'SERVICE_ACCOUNT', kind: 'SERVICE', name: 'Nightly export' });
    const id = created.data!.createUser.user.id;
    const { token } = await issueApiToken(app.ownerCore, id);
    expect((await app.request('{ me { id } }', {}, token)).errors).toBeUndefined();
    await as('chainManager', DEACTIVATE, { id });
    expect(errorCodes(await app.request('{ me { id } }', {}, token))).toEqual(['UNAUTHENTICATED']);
    await as('chainManager', REACTIVATE, { id });
    expect(errorCodes(await app.request('{ me { id } }', {}, token))).toEqual(['UNAUTHENTICATED']);
    const [row] = await app.ownerCore.query('SELECT revoked_at IS NOT NULL AS revoked FROM api_token WHERE user_id = $1', [id]);
    expect(row.revoked).toBe(true);
  });

  it('refuses to deactivate oneself', async () => {
    const [me] = await app.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.chainManager]);
    expect(badField(await as('chainManager', DEACTIVATE, { id: me.id }))).toBe('id');
    const [row] = await app.ownerCore.query('SELECT status FROM staff_user WHERE id = $1', [me.id]);
    expect(row.status).toBe('ACTIVE');
  });

  it('refuses to leave the chain without a role manager (lockout guard)', async () => {
    // A people manager: may update users but not manage roles. The chain manager is the only role manager.
    const [cm] = await app.ownerCore.query('SELECT id::text AS id, chain_id::text AS chain FROM staff_user WHERE email = $1', [EMAIL.chainManager]);
    const staff = await createStaff(app, await tokenOf('chainManager'));
    expect((await acceptAs(app, staff.token, GOOD)).errors).toBeUndefined();
    const [role] = await app.ownerCore.query(`INSERT INTO role (chain_id, name, description) VALUES ($1, 'People manager', 'Users only') RETURNING id::text AS id`, [cm.chain]);
    await app.ownerCore.query(`INSERT INTO role_permission (role_id, action, subject) VALUES ($1, 'read', 'User'), ($1, 'update', 'User')`, [role.id]);
    await app.ownerCore.query(`INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type) VALUES ($1, $2, $3, 'CHAIN')`, [cm.chain, staff.id, role.id]);
    await app.ownerCore.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = $1', [cm.chain]);
    const people = await signIn(app, staff.email, GOOD);
    const refused = await people.request(DEACTIVATE, { id: cm.id });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0].message).toMatch(/manage roles/);
    const [row] = await app.ownerCore.query('SELECT status FROM staff_user WHERE id = $1', [cm.id]);
    expect(row.status).toBe('ACTIVE');
  });
});
