/**
 * Unsubscribe links end to end over real HTTP: issuing one through GraphQL (who may, and who may not), the
 * GET confirmation page (which changes nothing), the RFC 8058 one-click POST (the customer's own withdrawal:
 * actor CUSTOMER, source EMAIL_LINK, no staff user, one change log entry without user or session, the hash
 * chain still verifying), single use (also under concurrency), and forged, garbled, overlong, expired and
 * mismatched tokens, each refused with a 4xx page that names no customer and changes nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { changeLog, verifyChangeLog } from '../../src/hash-chain/change-log-chain';
import { ChangeLogKind } from '../../src/schema/enums';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { publishWordings } from '../support/consent-wordings';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';

const ASSISTANT = EMAIL.leedsAssistant;
const MANAGER = EMAIL.leedsManager;
const RECEPTION = EMAIL.leedsReception;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const DPO = EMAIL.dpo;
const LAKESIDE_MANAGER = EMAIL.lakesideManager;
const CLEARVIEW = 'Clearview Opticians';

const ISSUE = `mutation($customerId: ID!, $channel: ConsentChannel!) {
  issueUnsubscribeLink(customerId: $customerId, channel: $channel) { url customerId channel expiresAt }
}`;
const HISTORY = `query($id: ID!) { customer(id: $id) { consents { channel granted actor source recordedById history { granted actor source recordedById wordingVersion } } } }`;
const CHANGES = `query($id: ID!) { dataChangeLog(customerId: $id, subject: "Consent", first: 5) {
  edges { node { userId user { name } operationName action subject recordType changes { field before after } } } } }`;

interface Link { url: string; customerId: string; channel: string; expiresAt: string }
interface Answer { status: number; body: string; headers: Headers }

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

describe('unsubscribe links', () => {
  let app: TestApp;
  let base: string;
  let leedsId: string;
  let chainId: string;
  let assistantId: string;
  /** Leeds customers with a current EMAIL and SMS grant, one per test group. */
  let granted: string[];
  /** Their names and emails, which no page may show. */
  let personal: string[];
  const sessions = sessionsFor(() => app);
  const as = sessions.as;

  async function issue(email: string, customerId: string, channel = 'EMAIL'): Promise<GraphQLResult<{ issueUnsubscribeLink: Link }>> {
    return as<{ issueUnsubscribeLink: Link }>(email, ISSUE, { customerId, channel });
  }

  async function link(customerId: string, channel = 'EMAIL'): Promise<string> {
    const result = await issue(ASSISTANT, customerId, channel);
    expect(result.errors).toBeUndefined();
    return new URL(result.data!.issueUnsubscribeLink.url).searchParams.get('token')!;
  }

  async function http(method: string, search: string, body?: string, contentType = 'application/x-www-form-urlencoded', headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${base}/consent/unsubscribe${search}`, {
      method, headers: body === undefined ? headers : { 'content-type': contentType, ...headers }, body, redirect: 'manual',
    });
    return { status: response.status, body: await response.text(), headers: response.headers };
  }
  const get = (token: string) => http('GET', `?token=${encodeURIComponent(token)}`);
  const oneClick = (token: string) => http('POST', `?token=${encodeURIComponent(token)}`, 'List-Unsubscribe=One-Click');

  /** Everything a use of a link could change. */
  async function snapshot() {
    return {
      events: await app.core.query('SELECT * FROM consent_event ORDER BY id'),
      consents: await app.core.query('SELECT * FROM consent ORDER BY id'),
      log: await app.core.query('SELECT id, hash FROM personal_change_log_entry ORDER BY id'),
      links: await app.core.query('SELECT id, used_at, consent_event_id FROM unsubscribe_link ORDER BY id'),
    };
  }

  function expectNoPersonalData(answer: Answer): void {
    for (const value of personal) expect(answer.body).not.toContain(value);
    for (const id of granted) expect(answer.body).not.toContain(id);
  }

  async function consentOf(customerId: string, channel = 'EMAIL') {
    const [row] = await app.core.query(
      `SELECT granted, actor::text AS actor, source::text AS source, recorded_by_id, wording_version FROM consent WHERE customer_id = $1 AND channel = $2`,
      [customerId, channel]);
    return row;
  }

  /** A new member of staff at Leeds holding one role made of `permissions`. */
  async function staffWith(email: string, permissions: [action: string, subject: string, fields: string[] | null][]): Promise<string> {
    const [{ id: roleId }] = await app.core.query(`INSERT INTO role (chain_id, name, description) VALUES ($1, $2, '') RETURNING id`, [chainId, `Test ${email}`]);
    for (const [action, subject, fields] of permissions) {
      await app.core.query('INSERT INTO role_permission (role_id, action, subject, fields) VALUES ($1, $2, $3, $4)', [roleId, action, subject, fields]);
    }
    const [{ id: userId }] = await app.core.query(
      `INSERT INTO staff_user (chain_id, name, email, profession, password_hash)
       SELECT chain_id, 'Test User', $2, 'OPTICAL_ASSISTANT', password_hash FROM staff_user WHERE email = $1 RETURNING id`, [ASSISTANT, email]);
    await app.core.query(`INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type, store_id) VALUES ($1, $2, $3, 'STORE', $4)`, [chainId, userId, roleId, leedsId]);
    return email;
  }

  beforeAll(async () => {
    app = await startTestApp();
    await publishWordings(app, ['2026-12']); // the wording versions this suite's consent changes name
    base = app.url.replace(/\/graphql$/, '');
    [{ id: leedsId, chain_id: chainId }] = await app.core.query(`SELECT id, chain_id FROM store WHERE name = 'Leeds'`);
    [{ id: assistantId }] = await app.core.query('SELECT id FROM staff_user WHERE email = $1', [ASSISTANT]);
    const rows: { id: string; first_name: string; last_name: string; email: string | null }[] = await app.core.query(
      `SELECT c.id, c.first_name, c.last_name, c.email FROM customer c
        WHERE c.home_store_id = $1 AND c.status = 'ACTIVE'
          AND EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id AND k.channel = 'EMAIL' AND k.granted)
          AND EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id AND k.channel = 'SMS' AND k.granted)
        ORDER BY c.id LIMIT 8`, [leedsId]);
    expect(rows).toHaveLength(8);
    granted = rows.map((r) => r.id);
    personal = rows.flatMap((r) => [r.first_name, r.last_name, r.email].filter((v): v is string => !!v && v.length > 3));
  });
  afterAll(() => app?.stop());

  describe('issuing (issueUnsubscribeLink)', () => {
    it('the assistant issues a link: a URL under PUBLIC_BASE_URL with a 43-character token, stored only as its SHA-256, with who issued it', async () => {
      const result = await issue(ASSISTANT, granted[0]);
      expect(result.errors).toBeUndefined();
      const issued = result.data!.issueUnsubscribeLink;
      expect(issued).toMatchObject({ customerId: granted[0], channel: 'EMAIL' });
      expect(issued.url.startsWith(`${app.config.publicBaseUrl}/consent/unsubscribe?token=`)).toBe(true);
      const token = new URL(issued.url).searchParams.get('token')!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const days = (Date.parse(issued.expiresAt) - Date.now()) / 86400_000;
      expect(days).toBeGreaterThan(app.config.unsubscribeLinkDays - 1);
      expect(days).toBeLessThanOrEqual(app.config.unsubscribeLinkDays);
      const rows = await app.core.query('SELECT * FROM unsubscribe_link WHERE customer_id = $1', [granted[0]]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ chain_id: chainId, channel: 'EMAIL', issued_by_id: assistantId, used_at: null, consent_event_id: null });
      expect(Buffer.compare(rows[0].token_hash, sha256(token))).toBe(0);
      // The token itself is nowhere in the row.
      expect(JSON.stringify(rows[0])).not.toContain(token);
    });

    it('a role without update on the channel, or without read of Consent.unsubscribeLink, gets FORBIDDEN and no link is made', async () => {
      const smsOnly = await staffWith('sms.only@clearview.example', [['read', 'Customer', null], ['read', 'Consent', null], ['update', 'Consent', ['SMS']]]);
      const noLinks = await staffWith('no.links@clearview.example', [
        ['read', 'Customer', null], ['update', 'Consent', null],
        ['read', 'Consent', ['id', 'customerId', 'channel', 'granted', 'changedAt', 'actor', 'recordedById', 'source', 'wordingVersion', 'history']],
      ]);
      const before = await app.core.query('SELECT count(*)::int AS n FROM unsubscribe_link');
      for (const [email, channel] of [[RECEPTION, 'EMAIL'], [OPTOMETRIST, 'EMAIL'], [smsOnly, 'EMAIL'], [noLinks, 'EMAIL'], [noLinks, 'SMS']]) {
        const result = await issue(email, granted[1], channel);
        expect(errorCodes(result)).toEqual(['FORBIDDEN']);
        expect(result.data?.issueUnsubscribeLink ?? null).toBeNull();
      }
      expect(await app.core.query('SELECT count(*)::int AS n FROM unsubscribe_link')).toEqual(before);
      // The SMS-only role may issue for SMS.
      const sms = await issue(smsOnly, granted[1], 'SMS');
      expect(sms.errors).toBeUndefined();
      expect(sms.data!.issueUnsubscribeLink.channel).toBe('SMS');
    });

    it('a customer outside the caller’s scope or chain is NOT_FOUND, an unknown id too; a disabled channel is BAD_USER_INPUT on channel', async () => {
      const [{ id: york }] = await app.core.query(`SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'York' LIMIT 1`);
      const [{ id: lakeside }] = await app.core.query(`SELECT c.id FROM customer c JOIN chain ch ON ch.id = c.chain_id WHERE ch.name = 'Lakeside Eyecare' LIMIT 1`);
      const before = await app.core.query('SELECT count(*)::int AS n FROM unsubscribe_link');
      // a malformed id is BAD_USER_INPUT on the argument (src/server/argument-guard.ts)
      expect(errorCodes(await issue(ASSISTANT, 'not-an-id'))).toEqual(['BAD_USER_INPUT']);
      for (const id of [york, lakeside, '00000000-0000-4000-8000-000000000000']) {
        expect(errorCodes(await issue(ASSISTANT, id))).toEqual(['NOT_FOUND']);
      }
      // …and another chain's manager cannot issue one for a Clearview customer.
      expect(errorCodes(await issue(LAKESIDE_MANAGER, granted[1]))).toEqual(['NOT_FOUND']);
      await app.core.query(`UPDATE chain SET enabled_consent_channels = '{SMS,EMAIL,MAIL}' WHERE name = $1`, [CLEARVIEW]);
      try {
        const result = await issue(ASSISTANT, granted[1], 'SOCIAL_MEDIA');
        expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
        expect(result.errors?.[0].extensions?.field).toBe('channel');
      } finally {
        await app.core.query(`UPDATE chain SET enabled_consent_channels = '{SMS,EMAIL,MAIL,SOCIAL_MEDIA}' WHERE name = $1`, [CLEARVIEW]);
      }
      expect(await app.core.query('SELECT count(*)::int AS n FROM unsubscribe_link')).toEqual(before);
    });
  });

  describe('using a link', () => {
    it('GET shows a confirmation page with a one-click form and changes nothing; the POST withdraws as the customer', async () => {
      const customerId = granted[2];
      // Last recorded by staff, so that the withdrawal's change log entry shows who changed it (seeded consents are the customer's).
      const grant = await as<{ recordConsentChange: { actor: string } }>(ASSISTANT,
        'mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { actor } }',
        { input: { customerId, channel: 'EMAIL', granted: true, source: 'IN_STORE', wordingVersion: '2026-12' } });
      expect(grant.errors).toBeUndefined();
      const before = await consentOf(customerId);
      expect(before).toEqual({ granted: true, actor: 'STAFF', source: 'IN_STORE', recorded_by_id: assistantId, wording_version: '2026-12' });
      const token = await link(customerId);
      const unchanged = await snapshot();

      const page = await get(token);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.body).toContain('<form method="post"');
      expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
      expect(page.body).toContain(CLEARVIEW);
      expect(page.body).toContain('email');
      expectNoPersonalData(page);
      // Fetching (a mail scanner, a link preview) changes nothing, however often; HEAD neither.
      expect((await get(token)).status).toBe(200);
      expect((await http('HEAD', `?token=${token}`)).status).toBe(200);
      expect(await snapshot()).toEqual(unchanged);

      // The page's own form: its action, posted as a browser would.
      const action = /<form method="post" action="([^"]+)"/.exec(page.body)![1].replace(/&amp;/g, '&');
      const done = await fetch(`${base}${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      const text = await done.text();
      expect(done.status).toBe(200);
      expect(text).toContain('You are unsubscribed');
      expectNoPersonalData({ status: done.status, body: text, headers: done.headers });

      expect(await consentOf(customerId)).toEqual({
        granted: false, actor: 'CUSTOMER', source: 'EMAIL_LINK', recorded_by_id: null, wording_version: before.wording_version,
      });
      const [event] = await app.core.query(
        `SELECT id, granted, actor::text AS actor, source::text AS source, recorded_by_id FROM consent_event
          WHERE customer_id = $1 AND channel = 'EMAIL' ORDER BY changed_at DESC LIMIT 1`, [customerId]);
      expect(event).toMatchObject({ granted: false, actor: 'CUSTOMER', source: 'EMAIL_LINK', recorded_by_id: null });
      const [used] = await app.core.query('SELECT used_at, consent_event_id FROM unsubscribe_link WHERE token_hash = $1', [sha256(token)]);
      expect(used.used_at).not.toBeNull();
      expect(used.consent_event_id).toBe(event.id);
      // Exactly one event, one change log entry, nothing else.
      const after = await snapshot();
      expect(after.events.length).toBe(unchanged.events.length + 1);
      expect(after.log.length).toBe(unchanged.log.length + 1);
      // Other channels are untouched.
      expect((await consentOf(customerId, 'SMS')).granted).toBe(true);

      // The change log entry names no member of staff and no session, and says it was the link.
      const [entry] = await app.core.query(
        `SELECT user_id, session_id, operation_name, action::text AS action, subject, record_type, customer_id, store_id, changes, request_id, user_agent
           FROM personal_change_log_entry WHERE customer_id = $1 ORDER BY seq DESC LIMIT 1`, [customerId]);
      expect(entry).toMatchObject({
        user_id: null, session_id: null, operation_name: 'POST /consent/unsubscribe', action: 'UPDATE', subject: 'Consent',
        record_type: 'Consent', customer_id: customerId, store_id: leedsId,
      });
      expect(entry.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(entry.changes).toMatchObject({
        granted: { before: true, after: false }, actor: { before: 'STAFF', after: 'CUSTOMER' }, source: { before: 'IN_STORE', after: 'EMAIL_LINK' },
        recordedById: { before: assistantId, after: null },
      });
      expect(entry.changes).not.toHaveProperty('wordingVersion');
      // …and the personal change log's hash chain still verifies (as `npm run audit:verify` does).
      const verified = await verifyChangeLog(app.core, changeLog(ChangeLogKind.PERSONAL));
      expect(verified.ok).toBe(true);

      // Through the API: the history says the customer did it; the change log has no user.
      const history = await as<{ customer: { consents: { channel: string; granted: boolean; actor: string; source: string; recordedById: string | null; history: { actor: string; source: string; recordedById: string | null }[] }[] } }>(ASSISTANT, HISTORY, { id: customerId });
      expect(history.errors).toBeUndefined();
      const email = history.data!.customer.consents.find((c) => c.channel === 'EMAIL')!;
      expect(email).toMatchObject({ granted: false, actor: 'CUSTOMER', source: 'EMAIL_LINK', recordedById: null });
      expect(email.history[0]).toMatchObject({ actor: 'CUSTOMER', source: 'EMAIL_LINK', recordedById: null });
      const log = await as<{ dataChangeLog: { edges: { node: { userId: string | null; user: unknown; operationName: string } }[] } }>(DPO, CHANGES, { id: customerId });
      expect(log.errors).toBeUndefined();
      expect(log.data!.dataChangeLog.edges[0].node).toMatchObject({ userId: null, user: null, operationName: 'POST /consent/unsubscribe' });
    });

    it('mail clients’ one-click POST (RFC 8058) works as multipart/form-data too, and needs no session; a session sent with it is ignored', async () => {
      const customerId = granted[3];
      const token = await link(customerId, 'SMS');
      const boundary = 'visus-test-boundary';
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
      sessions.forget(MANAGER); // a new sign-in, kept as the manager's session from here on
      const staffToken = await sessions.tokenOf(MANAGER);
      const answer = await http('POST', `?token=${token}`, body, `multipart/form-data; boundary=${boundary}`, { authorization: `Bearer ${staffToken}` });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('You are unsubscribed');
      expect(await consentOf(customerId, 'SMS')).toMatchObject({ granted: false, actor: 'CUSTOMER', source: 'EMAIL_LINK', recorded_by_id: null });
      const [entry] = await app.core.query('SELECT user_id, session_id FROM personal_change_log_entry WHERE customer_id = $1 ORDER BY seq DESC LIMIT 1', [customerId]);
      expect(entry).toEqual({ user_id: null, session_id: null });
    });

    it('a link is single-use: a second POST (or GET) answers 200 "already used" and changes nothing, even after staff granted consent again', async () => {
      const customerId = granted[4];
      const token = await link(customerId);
      expect((await oneClick(token)).status).toBe(200);
      // The customer later consents again in store.
      const regrant = await as<{ recordConsentChange: { granted: boolean } }>(ASSISTANT,
        'mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { granted } }',
        { input: { customerId, channel: 'EMAIL', granted: true, source: 'IN_STORE', wordingVersion: '2026-12' } });
      expect(regrant.errors).toBeUndefined();
      const state = await snapshot();
      for (const answer of [await oneClick(token), await oneClick(token), await get(token)]) {
        expect(answer.status).toBe(200);
        expect(answer.body).toContain('already been used');
        expect(answer.body).not.toContain('<form');
        expectNoPersonalData(answer);
      }
      expect(await snapshot()).toEqual(state);
      expect((await consentOf(customerId)).granted).toBe(true);
    });

    it('two concurrent POSTs of one link record one withdrawal', async () => {
      const customerId = granted[5];
      const token = await link(customerId);
      const before = await snapshot();
      const answers = await Promise.all([oneClick(token), oneClick(token), oneClick(token)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(answers.filter((a) => a.body.includes('You are unsubscribed'))).toHaveLength(1);
      expect(answers.filter((a) => a.body.includes('already been used'))).toHaveLength(2);
      const after = await snapshot();
      expect(after.events.length).toBe(before.events.length + 1);
      expect(after.log.length).toBe(before.log.length + 1);
    });

    it('each issued link works once on its own: two links for one channel, two withdrawals', async () => {
      const customerId = granted[6];
      const [first, second] = [await link(customerId), await link(customerId)];
      expect(first).not.toBe(second);
      const before = await snapshot();
      expect((await oneClick(first)).body).toContain('You are unsubscribed');
      expect((await oneClick(second)).body).toContain('You are unsubscribed');
      expect((await snapshot()).events.length).toBe(before.events.length + 2);
    });
  });

  describe('refusals: 4xx pages that name no customer and change nothing', () => {
    let usable: string;
    beforeAll(async () => {
      usable = await link(granted[7]);
    });

    it('forged, garbled and overlong tokens, and a missing or doubled one', async () => {
      const forged = randomBytes(32).toString('base64url');
      const flipped = usable.slice(0, -1) + (usable.endsWith('A') ? 'B' : 'A');
      const cases: [search: string, status: number][] = [
        [`?token=${forged}`, 404],
        [`?token=${flipped}`, 404],
        ['?token=abc', 400],
        ['?token=%21%21%21', 400],
        [`?token=${usable}A`, 400],
        [`?token=${usable.slice(1)}`, 400],
        [`?token=${'A'.repeat(5000)}`, 400],
        [`?token=${encodeURIComponent(usable.slice(0, 42) + '\u0000')}`, 400],
        [`?token=${encodeURIComponent(usable.slice(0, 42) + 'é')}`, 400],
        [`?token=${encodeURIComponent("' OR 1=1 --")}`, 400],
        ['?token=%zz%E0%A4%A', 400],
        ['', 400],
        ['?token=', 400],
        [`?token=${usable}&token=${forged}`, 400],
      ];
      const before = await snapshot();
      for (const [search, status] of cases) {
        for (const answer of [await http('GET', search), await http('POST', search, 'List-Unsubscribe=One-Click')]) {
          expect([search, answer.status]).toEqual([search, status]);
          expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
          expect(answer.body).toContain('not valid');
          expectNoPersonalData(answer);
        }
      }
      expect(await snapshot()).toEqual(before);
      // The genuine link still works afterwards: nothing above touched it.
      expect((await get(usable)).body).toContain('<form');
    });

    it('a POST without the one-click body is 400, one over 4 KB 413, another method 405: the link stays unused', async () => {
      const before = await snapshot();
      const search = `?token=${usable}`;
      for (const body of ['', 'List-Unsubscribe=Yes', 'unsubscribe=1', '{"List-Unsubscribe":"One-Click"}']) {
        const answer = await http('POST', search, body);
        expect(answer.status).toBe(400);
        expect(answer.body).toContain('Nothing was changed');
      }
      expect((await http('POST', search, `List-Unsubscribe=One-Click&pad=${'x'.repeat(5000)}`)).status).toBe(413);
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const answer = await http(method, search);
        expect(answer.status).toBe(405);
        expect(answer.headers.get('allow')).toBe('GET, HEAD, POST');
      }
      expect(await snapshot()).toEqual(before);
      expect((await get(usable)).body).toContain('<form');
    });

    it('an expired link is 404 like an unknown one, GET and POST, and changes nothing', async () => {
      const token = await link(granted[1]);
      await app.ownerCore.query(`UPDATE unsubscribe_link SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(token)]);
      const before = await snapshot();
      const unknown = await get(randomBytes(32).toString('base64url'));
      for (const answer of [await get(token), await oneClick(token)]) {
        expect(answer.status).toBe(404);
        expect(answer.body).toBe(unknown.body);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('a token whose chain is not its customer’s is 404 and withdraws nothing in either chain', async () => {
      const [{ id: lakesideCustomer, chain_id: lakesideChain }] = await app.core.query(
        `SELECT c.id, c.chain_id FROM customer c JOIN chain ch ON ch.id = c.chain_id WHERE ch.name = 'Lakeside Eyecare' ORDER BY c.id LIMIT 1`);
      expect(lakesideChain).not.toBe(chainId);
      // Planted by hand (the API never issues such a row: links are inserted joined to the customer in the chain).
      const token = randomBytes(32).toString('base64url');
      await app.ownerCore.query(
        `INSERT INTO unsubscribe_link (chain_id, customer_id, channel, token_hash, expires_at) VALUES ($1, $2, 'EMAIL', $3, now() + interval '1 day')`,
        [chainId, lakesideCustomer, sha256(token)]);
      const before = await snapshot();
      const answer = await oneClick(token);
      expect(answer.status).toBe(404);
      expect(await snapshot()).toEqual(before);
      // A Lakeside manager's link for a Lakeside customer works, in Lakeside only.
      const issued = await issue(LAKESIDE_MANAGER, lakesideCustomer);
      expect(issued.errors).toBeUndefined();
      const lakesideToken = new URL(issued.data!.issueUnsubscribeLink.url).searchParams.get('token')!;
      const page = await get(lakesideToken);
      expect(page.body).toContain('Lakeside Eyecare');
      expect(page.body).not.toContain(CLEARVIEW);
      expect((await oneClick(lakesideToken)).status).toBe(200);
      const [entry] = await app.core.query('SELECT chain_id, user_id FROM personal_change_log_entry WHERE customer_id = $1 ORDER BY id DESC LIMIT 1', [lakesideCustomer]);
      expect(entry).toEqual({ chain_id: lakesideChain, user_id: null });
      expect((await verifyChangeLog(app.core, changeLog(ChangeLogKind.PERSONAL))).ok).toBe(true);
    });

    it('the database keeps entries without a user to Consent, and a user always with a session', async () => {
      const [{ id: customerId }] = await app.core.query('SELECT id FROM customer WHERE home_store_id = $1 LIMIT 1', [leedsId]);
      const insert = (userId: string | null, sessionId: string | null, subject: string) => app.core.query(
        `INSERT INTO personal_change_log_entry (chain_id, user_id, session_id, request_id, action, subject, record_type, record_id, customer_id, changes, seq, prev_hash, hash)
         VALUES ($1, $2, $3, 'test', 'UPDATE', $4, $4, $5, $5, '{}', 0, '\\x00', '\\x00')`, [chainId, userId, sessionId, subject, customerId]);
      await expect(insert(null, null, 'Customer')).rejects.toThrow(/CHK_personal_change_log_entry_author/);
      await expect(insert(assistantId, null, 'Consent')).rejects.toThrow(/CHK_personal_change_log_entry_author/);
      await expect(insert(null, assistantId, 'Consent')).rejects.toThrow(/CHK_personal_change_log_entry_author/);
    });
  });
});
