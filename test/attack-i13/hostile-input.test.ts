/**
 * Attack (issue 13): hostile input to the new fields never earns INTERNAL_SERVER_ERROR: NUL bytes and odd
 * Unicode in every new string argument, and ids of another chain (Lakeside's roles and regions) in
 * updateAuthPolicy and createStore are refused as input, and change nothing of the other chain.
 */
import { errorCodes } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import { freshEmail } from '../support/staff-accounts';
import { newStaff, PASSWORD } from '../mfa/mfa-helpers';
import { REAUTHENTICATE, UPDATE_POLICY } from '../auth-policy/auth-policy-support';

const NUL = 'a\u0000b';

describe('attack i13: hostile input to the issue 13 fields', () => {
  let app: TestApp;
  const { as, tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  const noServerError = (result: { errors?: { extensions?: { code?: string } }[] }, label: string): void => {
    expect({ label, codes: errorCodes(result as never).filter((c) => c === 'INTERNAL_SERVER_ERROR') }).toEqual({ label, codes: [] });
  };

  it('NUL bytes and odd Unicode in the anonymous sign-in fields', async () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['login email', 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { mfaRequired } }', { e: `x${NUL}@clearview.example`, p: NUL }],
      ['verifyMfa code', 'mutation($c: String!, $k: String!) { verifyMfa(challenge: $c, code: $k) { token } }', { c: `vsc_${'A'.repeat(43)}`, k: '١٢٣٤٥٦' }],
      ['verifyMfa NUL code', 'mutation($c: String!, $k: String!) { verifyMfa(challenge: $c, code: $k) { token } }', { c: `vsc_${'A'.repeat(43)}`, k: `12${NUL}456` }],
      ['acceptInvitation', 'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token } }', { t: NUL, p: NUL }],
      ['beginPasskeySignIn', 'mutation($e: String) { beginPasskeySignIn(email: $e) { challenge } }', { e: `x${NUL}@clearview.example` }],
      ['finishPasskeySignIn', 'mutation($c: String!, $r: String!) { finishPasskeySignIn(challenge: $c, response: $r) { token } }', { c: NUL, r: `{"id":"${NUL}"}` }],
      ['finishPasskeySignIn json', 'mutation($c: String!, $r: String!) { finishPasskeySignIn(challenge: $c, response: $r) { token } }', { c: 'x', r: '[1,2' }],
    ];
    for (const [label, query, variables] of cases) noServerError(await app.request(query, variables), label);
  });

  it('NUL bytes in the signed-in fields: staff, organisation, passwords, re-authentication, passkeys', async () => {
    const manager = await tokenOf('chainManager');
    const staff = await newStaff(app, manager);
    const [{ id: region }] = await app.ownerCore.query(`SELECT r.id::text AS id FROM region r JOIN chain c ON c.id = r.chain_id WHERE c.name = 'Clearview Opticians' LIMIT 1`);
    const [{ id: store }] = await app.ownerCore.query(`SELECT s.id::text AS id FROM store s WHERE s.name = 'Leeds'`);
    const managerCases: [string, string, Record<string, unknown>][] = [
      ['createUser', 'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }', { i: { name: NUL, email: `n${NUL}@x.example`, profession: 'OPTOMETRIST', registrationNumber: NUL, kind: 'STAFF' } }],
      ['createUser email', 'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }', { i: { name: 'Jo Bloggs', email: freshEmail().replace('@', `${NUL}@`), profession: 'OPTOMETRIST', kind: 'STAFF' } }],
      ['updateUser', 'mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }', { id: staff.id, i: { name: NUL, email: `m${NUL}@x.example`, registrationNumber: NUL } }],
      ['updateUser bad id', 'mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }', { id: NUL, i: { name: 'Jo' } }],
      ['createRegion', 'mutation($i: CreateRegionInput!) { createRegion(input: $i) { id } }', { i: { name: NUL } }],
      ['createStore', 'mutation($i: CreateStoreInput!) { createStore(input: $i) { id } }', { i: { name: NUL, address: NUL, city: NUL, phone: NUL, regionId: region } }],
      ['createStore bad region', 'mutation($i: CreateStoreInput!) { createStore(input: $i) { id } }', { i: { name: 'Harrogate', address: '1 High St', regionId: NUL } }],
      ['updateStore', 'mutation($id: ID!, $i: UpdateStoreInput!) { updateStore(id: $id, input: $i) { id } }', { id: store, i: { name: NUL, address: NUL, city: NUL, phone: NUL } }],
      ['updateStore bad region', 'mutation($id: ID!, $i: UpdateStoreInput!) { updateStore(id: $id, input: $i) { id } }', { id: store, i: { regionId: 'not-a-uuid' } }],
      ['deactivateUser', 'mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: NUL }],
      ['resetUserPassword', 'mutation($id: ID!) { resetUserPassword(userId: $id) { token } }', { id: NUL }],
      ['updateAuthPolicy', UPDATE_POLICY, { input: { secondFactorRoleIds: [NUL], passkeyRoleIds: ['not-a-uuid'] } }],
    ];
    for (const [label, query, variables] of managerCases) noServerError(await app.request(query, variables, manager), label);
    const ownCases: [string, string, Record<string, unknown>][] = [
      ['changePassword', 'mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }', { c: PASSWORD, n: `Ultramarine-kettle-${NUL}-drum-9` }],
      ['changePassword current', 'mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }', { c: NUL, n: 'x' }],
      ['reauthenticate', REAUTHENTICATE, { p: NUL, c: NUL }],
      ['reauthenticate code', REAUTHENTICATE, { p: PASSWORD, c: '١٢٣٤٥٦' }],
      ['confirmTotpEnrollment', 'mutation($k: String!) { confirmTotpEnrollment(code: $k) { codes } }', { k: `1${NUL}3456` }],
      ['finishPasskeyRegistration', 'mutation($c: String!, $r: String!, $n: String!) { finishPasskeyRegistration(challenge: $c, response: $r, name: $n) { id } }', { c: NUL, r: NUL, n: NUL }],
      ['removePasskey', 'mutation($id: ID!) { removePasskey(id: $id) }', { id: NUL }],
      ['reauthenticateWithPasskey', 'mutation($c: String!, $r: String!) { reauthenticateWithPasskey(challenge: $c, response: $r) { authenticatedAt } }', { c: NUL, r: '{}' }],
    ];
    for (const [label, query, variables] of ownCases) noServerError(await app.request(query, variables, staff.token), label);
  });

  it('ids of another chain: updateAuthPolicy and createStore refuse Lakeside\'s roles and regions', async () => {
    const [{ id: lakesideRole }] = await app.ownerCore.query(`SELECT r.id::text AS id FROM role r JOIN chain c ON c.id = r.chain_id WHERE c.name <> 'Clearview Opticians' LIMIT 1`);
    const [{ id: lakesideRegion }] = await app.ownerCore.query(`SELECT r.id::text AS id FROM region r JOIN chain c ON c.id = r.chain_id WHERE c.name <> 'Clearview Opticians' LIMIT 1`);
    const policy = await as('chainManager', UPDATE_POLICY, { input: { secondFactorRoleIds: [lakesideRole] } });
    expect(errorCodes(policy)).toEqual(['BAD_USER_INPUT']);
    const store = await as('chainManager', 'mutation($i: CreateStoreInput!) { createStore(input: $i) { id } }', { i: { name: 'Intruder', address: '1 High St', regionId: lakesideRegion } });
    expect(errorCodes(store)[0]).toMatch(/BAD_USER_INPUT|NOT_FOUND/);
    expect(await app.ownerCore.query(`SELECT id FROM store WHERE name = 'Intruder'`)).toEqual([]);
  });
});
