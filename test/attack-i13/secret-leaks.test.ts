/**
 * Attack (issue 13): the secrets of the new flows (a TOTP secret, recovery codes, an invitation token, a sign-in
 * challenge, a password, a session token) are shown once to their holder and appear nowhere else: not in the
 * security settings history, the data change log, the security events, the application log, or any error message
 * of a later failed attempt; and no later query hands a secret back.
 */
import { readFileSync } from 'node:fs';
import { sessionsFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import { createStaff, acceptAs } from '../support/staff-accounts';
import { BEGIN, BeginData, challengeFor, CONFIRM, ConfirmData, awayFromStepEdge, totpCode, VERIFY, VerifyData } from '../mfa/mfa-helpers';

const PASSWORD = 'Tangerine-orbit-violin-5530';

describe('attack i13: secrets stay secret', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('no secret of the invitation, enrolment and sign-in flows is stored in the clear or logged or repeated', async () => {
    const manager = await tokenOf('chainManager');
    const staff = await createStaff(app, manager);
    const accepted = await acceptAs(app, staff.token, PASSWORD);
    const session = accepted.data!.acceptInvitation.token;
    await awayFromStepEdge();
    const begun = await app.request<BeginData>(BEGIN, {}, session);
    const secret = begun.data!.beginTotpEnrollment.secret;
    const confirmed = await app.request<ConfirmData>(CONFIRM, { code: await totpCode(secret, -1) }, session);
    const codes = confirmed.data!.confirmTotpEnrollment.codes;
    const challenge = await challengeFor(app, staff.email, PASSWORD);
    const wrong = await app.request(VERIFY, { c: challenge, code: codes[1].toUpperCase() + 'x' });
    const verified = await app.request<VerifyData>(VERIFY, { c: challenge, code: codes[0] });
    const fullToken = verified.data!.verifyMfa.token;
    // Failed attempts that carry secrets: a used invitation, a replayed challenge.
    const again = await acceptAs(app, staff.token, PASSWORD);
    const replay = await app.request(VERIFY, { c: challenge, code: codes[2] });
    const me = await app.request('{ me { id email name } }', {}, fullToken);

    const secrets: Record<string, string> = {
      totpSecret: secret, recoveryCode: codes[0].replace(/-/g, ''), recoveryCodeDashed: codes[0], otherCode: codes[2],
      invitation: staff.token, challenge, password: PASSWORD, session: fullToken, enrolmentSession: session,
    };
    const stores: Record<string, string> = {
      securitySettings: JSON.stringify(await app.ownerCore.query('SELECT before::text, after::text, weakened::text, setting FROM security_setting_change')),
      securityEvents: JSON.stringify(await app.ownerCore.query('SELECT * FROM security_event')),
      errors: JSON.stringify([wrong.errors, again.errors, replay.errors, me]),
      userRow: JSON.stringify(await app.ownerCore.query('SELECT * FROM staff_user WHERE id = $1', [staff.id])),
    };
    const tables: { table_name: string }[] = await app.ownerCore.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name ILIKE '%change%log%' OR table_name = 'data_change'`);
    for (const { table_name: table } of tables) stores[table] = JSON.stringify(await app.ownerCore.query(`SELECT * FROM "${table}"`));
    const logFile = process.env.VISUS_LOG_FILE;
    if (logFile) stores.log = readFileSync(logFile, 'utf8');
    const found: string[] = [];
    for (const [where, text] of Object.entries(stores)) {
      for (const [what, value] of Object.entries(secrets)) if (text.toLowerCase().includes(value.toLowerCase())) found.push(`${what} in ${where}`);
    }
    expect(stores.securitySettings).toContain('SecondFactor');
    expect(found).toEqual([]);
  });
});
