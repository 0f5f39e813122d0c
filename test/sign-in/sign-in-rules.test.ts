/**
 * The sign-in rules end to end through `login`, across the parts of issue 13 (auth policy, TOTP, passwords,
 * re-authentication), as a chain would meet them: a role that must use a second factor signs in only to enrol it
 * and is upgraded once enrolled; the next login asks for the code; a role that must use a passkey is held in an
 * enrolment session even after a good TOTP code; `reauthenticate` needs the authenticator code of a TOTP user and
 * accepts each code once; a user with a second factor may choose an 8-character password, one without may not;
 * a requirement that arrives while a session is open (a role given, the policy tightened) holds that session to
 * enrolment at its next request.
 * Oracles from the rules (NIST SP 800-63B-4), not from the code.
 */
import { DEMO_PASSWORD, MFA_DEMO_USER } from '../support/actors';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { acceptAs, createStaff } from '../support/staff-accounts';
import { startTestApp, TestApp } from '../support/test-app';
import { ageAuthentication, reasons, REAUTHENTICATE, roleId, UPDATE_POLICY } from '../auth-policy/auth-policy-support';
import { awayFromStepEdge, BEGIN, BeginData, CONFIRM, ConfirmData, LOGIN, LoginData, totpNow, VERIFY, VerifyData } from '../mfa/mfa-helpers';

const CLEARVIEW = 'Clearview Opticians';
const PASSWORD = 'Ultramarine-kettle-drum-4417';
const ASSIGN = 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }';
const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }';
/** Eight to fourteen characters: enough only with a second factor (§3.1.1.2). */
const SHORT_PASSWORD = 'Pq7-otter!';

describe('sign-in rules through login', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  let receptionistRole: string;
  let leeds: string;

  async function staffWithRole(role: string): Promise<{ id: string; email: string }> {
    const manager = await tokenOf('chainManager');
    const created = await createStaff(app, manager);
    const assigned = await app.request(ASSIGN, { input: { userId: created.id, roleId: role, scopeType: 'STORE', storeId: leeds } }, manager);
    if (assigned.errors) throw new Error(JSON.stringify(assigned.errors));
    const accepted = await acceptAs(app, created.token, PASSWORD);
    if (!accepted.data) throw new Error(JSON.stringify(accepted.errors));
    return { id: created.id, email: created.email };
  }

  async function login(email: string, password = PASSWORD): Promise<GraphQLResult<LoginData>> {
    return app.request<LoginData>(LOGIN, { e: email, p: password });
  }

  async function setPolicy(input: Record<string, unknown>): Promise<void> {
    const updated = await app.request(UPDATE_POLICY, { input }, await tokenOf('chainManager'));
    if (updated.errors) throw new Error(JSON.stringify(updated.errors));
  }

  beforeAll(async () => {
    app = await startTestApp();
    receptionistRole = await roleId(app, CLEARVIEW, 'Receptionist');
    [{ id: leeds }] = await app.ownerCore.query(`SELECT id::text AS id FROM store WHERE name = 'Leeds'`);
  });
  afterAll(() => app?.stop());

  it('a role that must use a second factor: login opens an enrolment session, enrolling upgrades it, the next login asks for the code', async () => {
    const staff = await staffWithRole(receptionistRole);
    await setPolicy({ secondFactorRoleIds: [receptionistRole], passkeyRoleIds: [] });

    const first = await login(staff.email);
    expect(first.errors).toBeUndefined();
    expect(first.data!.login).toMatchObject({ mfaRequired: false, scope: 'ENROLMENT' });
    const token = first.data!.login.token!;
    const refused = await app.request('{ customers(first: 1) { edges { node { id } } } }', {}, token);
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(reasons(refused)).toEqual(['SECOND_FACTOR_ENROLMENT_REQUIRED']);
    expect((await app.request('{ me { id } }', {}, token)).errors).toBeUndefined();

    await awayFromStepEdge();
    const begun = await app.request<BeginData>(BEGIN, {}, token);
    const secret = begun.data!.beginTotpEnrollment.secret;
    const confirmed = await app.request<ConfirmData>(CONFIRM, { code: totpNow(secret, -1) }, token);
    expect(confirmed.data?.confirmTotpEnrollment.codes).toHaveLength(10);
    // The confirmation proved the code: the same session may now do its work.
    expect((await app.request('{ customers(first: 1) { edges { node { id } } } }', {}, token)).errors).toBeUndefined();

    // The next login asks for the code: no token, no session.
    const second = await login(staff.email);
    expect(second.data!.login).toMatchObject({ mfaRequired: true, token: null });
    expect(second.data!.login.challenge).toMatch(/^vsc_/);
    const verified = await app.request<VerifyData>(VERIFY, { c: second.data!.login.challenge, code: totpNow(secret, 0) });
    expect(verified.data?.verifyMfa.scope).toBe('FULL');

    // A role that must use a passkey: a good TOTP code still leaves only an enrolment session.
    await setPolicy({ passkeyRoleIds: [receptionistRole] });
    const third = await login(staff.email);
    await awayFromStepEdge();
    const held = await app.request<VerifyData>(VERIFY, { c: third.data!.login.challenge, code: totpNow(secret, 1) });
    expect(held.errors).toBeUndefined();
    expect(held.data!.verifyMfa.scope).toBe('ENROLMENT');
    const stillRefused = await app.request('{ customers(first: 1) { edges { node { id } } } }', {}, held.data!.verifyMfa.token);
    expect(reasons(stillRefused)).toEqual(['SECOND_FACTOR_ENROLMENT_REQUIRED']);
    await setPolicy({ secondFactorRoleIds: [], passkeyRoleIds: [] });
  });

  it('reauthenticate: a TOTP user must give a code, and each code counts once', async () => {
    await awayFromStepEdge(8);
    const challenge = (await login(MFA_DEMO_USER.email, DEMO_PASSWORD)).data!.login.challenge!;
    const session = await app.request<VerifyData>(VERIFY, { c: challenge, code: totpNow(MFA_DEMO_USER.totpSecret, 0) });
    const token = session.data!.verifyMfa.token;
    await ageAuthentication(app, token, 10);

    expect(errorCodes(await app.request(REAUTHENTICATE, { p: DEMO_PASSWORD }, token))).toEqual(['UNAUTHENTICATED']);
    const wrong = String((Number(totpNow(MFA_DEMO_USER.totpSecret, 1)) + 1) % 1_000_000).padStart(6, '0');
    expect(errorCodes(await app.request(REAUTHENTICATE, { p: DEMO_PASSWORD, c: wrong }, token))).toEqual(['UNAUTHENTICATED']);
    // The code already spent on verifyMfa is not accepted again.
    expect(errorCodes(await app.request(REAUTHENTICATE, { p: DEMO_PASSWORD, c: totpNow(MFA_DEMO_USER.totpSecret, 0) }, token))).toEqual(['UNAUTHENTICATED']);

    const code = totpNow(MFA_DEMO_USER.totpSecret, 1);
    const before = Date.now();
    const done = await app.request<{ reauthenticate: { authenticatedAt: string; validUntil: string } }>(REAUTHENTICATE, { p: DEMO_PASSWORD, c: code }, token);
    expect(done.errors).toBeUndefined();
    expect(new Date(done.data!.reauthenticate.authenticatedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const [row] = await app.ownerCore.query(`SELECT second_factor FROM session WHERE user_id = (SELECT id FROM staff_user WHERE email = $1) AND ended_at IS NULL`, [MFA_DEMO_USER.email]);
    expect(row.second_factor).toBe('TOTP');

    // Replayed: refused.
    await ageAuthentication(app, token, 10);
    expect(errorCodes(await app.request(REAUTHENTICATE, { p: DEMO_PASSWORD, c: code }, token))).toEqual(['UNAUTHENTICATED']);
  });

  it('eight characters suffice with a second factor, fifteen without (§3.1.1.2)', async () => {
    const manager = await tokenOf('chainManager');
    const plain = await createStaff(app, manager);
    const plainToken = (await acceptAs(app, plain.token, PASSWORD)).data!.acceptInvitation.token;
    const refused = await app.request(CHANGE, { c: PASSWORD, n: SHORT_PASSWORD }, plainToken);
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0].message).toMatch(/new.*15/);

    const withFactor = await createStaff(app, manager);
    const token = (await acceptAs(app, withFactor.token, PASSWORD)).data!.acceptInvitation.token;
    await awayFromStepEdge();
    const secret = (await app.request<BeginData>(BEGIN, {}, token)).data!.beginTotpEnrollment.secret;
    expect((await app.request<ConfirmData>(CONFIRM, { code: totpNow(secret, 0) }, token)).errors).toBeUndefined();
    const changed = await app.request<{ changePassword: boolean }>(CHANGE, { c: PASSWORD, n: SHORT_PASSWORD }, token);
    expect(changed.errors).toBeUndefined();
    expect(changed.data?.changePassword).toBe(true);
    // The short password signs in only as the first of two factors.
    expect((await login(withFactor.email, SHORT_PASSWORD)).data!.login).toMatchObject({ mfaRequired: true, token: null });
  });

  it('a requirement that arrives while a session is open holds it to enrolment at once (policy tightened, role given)', async () => {
    const optometristRole = await roleId(app, CLEARVIEW, 'Optometrist');
    const receptionist = await staffWithRole(receptionistRole);
    const open = (await login(receptionist.email)).data!.login;
    expect(open.scope).toBe('FULL');
    const CUSTOMERS = '{ customers(first: 1) { edges { node { id } } } }';
    expect((await app.request(CUSTOMERS, {}, open.token!)).errors).toBeUndefined();

    // The policy now requires a second factor of receptionists: the open session may only enrol.
    await setPolicy({ secondFactorRoleIds: [receptionistRole], passkeyRoleIds: [] });
    const held = await app.request(CUSTOMERS, {}, open.token!);
    expect(errorCodes(held)).toEqual(['FORBIDDEN']);
    expect(reasons(held)).toEqual(['SECOND_FACTOR_ENROLMENT_REQUIRED']);
    expect((await app.request('{ me { id } }', {}, open.token!)).errors).toBeUndefined();

    // A role given to someone signed in: optometrists must use a second factor; a receptionist-free user is given it.
    await setPolicy({ secondFactorRoleIds: [optometristRole], passkeyRoleIds: [] });
    const plain = await createStaff(app, await tokenOf('chainManager'));
    const plainToken = (await acceptAs(app, plain.token, PASSWORD)).data!.acceptInvitation.token;
    // No role yet: refused for want of a permission, not for a factor.
    expect(reasons(await app.request('{ stores { id } }', {}, plainToken))).toEqual([undefined]);
    const assigned = await app.request(ASSIGN, { input: { userId: plain.id, roleId: optometristRole, scopeType: 'STORE', storeId: leeds } }, await tokenOf('chainManager'));
    expect(assigned.errors).toBeUndefined();
    expect(reasons(await app.request('{ stores { id } }', {}, plainToken))).toEqual(['SECOND_FACTOR_ENROLMENT_REQUIRED']);
    // The chain manager's own session (a role the policy does not name) is untouched.
    expect((await app.request('{ stores { id } }', {}, await tokenOf('chainManager'))).errors).toBeUndefined();
    await setPolicy({ secondFactorRoleIds: [], passkeyRoleIds: [] });
  });
});
