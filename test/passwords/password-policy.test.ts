/**
 * The password policy (NIST SP 800-63B-4 §3.1.1.2, docs/passwords.md) through the real server: a new member of
 * staff sets their password with acceptInvitation, and every refusal is BAD_USER_INPUT naming `password` with its
 * reason, while the invitation stays usable. Lengths are code points after NFKC (15 as the only factor, at most 256);
 * the shipped blocklist (case-insensitive, whole password), repetitive and sequential strings, and the context words
 * (the chain's name, the user's name, their email's local part and domain) are refused. The demo password passes
 * for every demo user. The oracles are written here: lengths, words and list entries are chosen from the domain and
 * the shipped file, not taken from the code.
 */
import { assertAcceptablePassword } from '../../src/auth/password-policy';
import { DEMO_PASSWORD, DEMO_USERS, signIn } from '../support/actors';
import { GraphQLResult } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { acceptAs, createStaff, freshEmail } from '../support/staff-accounts';
import { startTestApp, TestApp } from '../support/test-app';

/** The refusal of a result: its code, field and message (one error). */
function refusal(result: GraphQLResult<unknown>): { code?: string; field?: string; message: string } | null {
  const [error, ...more] = result.errors ?? [];
  if (!error) return null;
  expect(more).toEqual([]);
  return { code: error.extensions?.code, field: error.extensions?.field, message: error.message };
}

/** 15 code points of varied letters and digits, free of any context word, on no list and in no pattern. */
const FIFTEEN = 'Tu9-mo8-Ri7-Ka6';

describe('password policy (acceptInvitation, field password)', () => {
  let app: TestApp;
  const { tokenOf } = sessionsFor(() => app);
  beforeAll(async () => { app = await startTestApp(); });
  afterAll(() => app?.stop());

  /** A new member of staff's invitation (name Priya Natarajan, a fresh clearview.example email unless given). */
  const invite = async (input: Record<string, unknown> = {}) => createStaff(app, await tokenOf('chainManager'), input);

  async function expectRefused(password: string, reason: RegExp, input: Record<string, unknown> = {}): Promise<void> {
    const staff = await invite(input);
    const result = await acceptAs(app, staff.token, password);
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'password', message: expect.stringMatching(reason) });
    expect(refusal(result)!.message).not.toContain(password); // the password is never echoed
    // the token stays usable: a good password is then accepted
    expect(refusal(await acceptAs(app, staff.token, FIFTEEN))).toBeNull();
  }

  async function expectAccepted(password: string, input: Record<string, unknown> = {}): Promise<string> {
    const staff = await invite(input);
    expect(refusal(await acceptAs(app, staff.token, password))).toBeNull();
    return staff.email;
  }

  describe('length, in code points', () => {
    it('refuses 14 characters as the only factor, naming the minimum', async () => {
      await expectRefused(FIFTEEN.slice(0, 14), /^password: must be at least 15 characters/);
    });

    it('accepts 15, 64 and 256 characters', async () => {
      await expectAccepted(FIFTEEN);
      const long = (n: number): string => Array.from({ length: n }, (_, i) => 'Tmu9Rk7Wq3Zp'[(i * 7) % 12] + (i % 10 === 9 ? ' ' : '')).join('').slice(0, n);
      expect([...long(64)]).toHaveLength(64);
      const email = await expectAccepted(long(64));
      await expect(signIn(app, email, long(64))).resolves.toBeDefined();
      await expectAccepted(long(256));
    });

    it('refuses 257 characters with a clear limit', async () => {
      const password = Array.from({ length: 257 }, (_, i) => 'Tmu9Rk7Wq3Zp'[(i * 7) % 12]).join('');
      await expectRefused(password, /^password: must be at most 256 characters$/);
    });

    it('counts code points, not UTF-16 units: 8 emoji are 8 characters (too short), 15 CJK characters are enough', async () => {
      const emoji = '😀🐙🚲🌵🎻🧭🦉🍋';
      expect(emoji.length).toBe(16);
      await expectRefused(emoji, /must be at least 15 characters/);
      await expectAccepted('東京の空は今日も青い猫が眠る夜');
    });
  });

  describe('Unicode', () => {
    it('accepts spaces and any printing character, and normalises to NFKC: the ligature ﬁ and "fi" are one password', async () => {
      const withLigature = 'deﬁnitely Ünïcode ☂ 42 ok';
      const email = await expectAccepted(withLigature);
      await expect(signIn(app, email, 'definitely Ünïcode ☂ 42 ok')).resolves.toBeDefined();
      await expect(signIn(app, email, withLigature)).resolves.toBeDefined();
    });

    it('refuses control characters, tabs and line breaks too', async () => {
      await expectRefused('Tu9-mo8-Ri7-Ka6\u0007x', /control characters/); // (the argument guard refuses most of them for every argument)
      await expectRefused('Tu9-mo8-Ri7-Ka6\tx', /^password: must not contain control characters such as tabs or line breaks/);
      await expectRefused('Tu9-mo8-Ri7-Ka6\nx', /^password: must not contain control characters such as tabs or line breaks/);
    });
  });

  describe('the blocklist of common and breached passwords', () => {
    it('refuses a listed password, whatever its case, giving the reason', async () => {
      await expectRefused('manchesterunited', /^password: is in a list of common or breached passwords/);
      await expectRefused('MancHesterUniteD', /^password: is in a list of common or breached passwords/);
      await expectRefused('perasperaadastra', /is in a list of common or breached passwords/);
    });

    it('compares the whole password: a listed one inside a longer one is not refused for it', async () => {
      await expectAccepted('manchesterunited walks to Kirkstall 1893');
    });
  });

  describe('repetitive and sequential strings', () => {
    it.each([
      ['aaaaaaaaaaaaaaaa'], ['1234567890123456'], ['abcabcabcabcabca'], ['zyxwvutsrqponmlk'], ['9876543210987654']
    ])('refuses %s', async (password) => {
      await expectRefused(password, /^password: (is made of repeated or sequential characters|is in a list of common or breached passwords)/);
    });

    it('names repetition when the list does not have it', async () => {
      await expectRefused('1234567890123456', /^password: is made of repeated or sequential characters/);
    });
  });

  describe('context words', () => {
    it('refuses the chain’s name in any case', async () => {
      await expectRefused('My clearVIEW-login 2291', /^password: contains the chain’s name$/);
      await expectRefused('opticians-of-the-north 77', /^password: contains the chain’s name$/);
    });

    it('refuses the user’s name, a part of it of three letters or more', async () => {
      await expectRefused('natarajan walks the dog 4', /^password: contains your name$/);
      await expectRefused('Tu9-PRIYA-Ri7-Ka6', /^password: contains your name$/);
    });

    it('refuses the email address’s local part and domain', async () => {
      const local = `quillfeather.${process.pid}`;
      await expectRefused('the Quillfeather key 2291', /^password: contains your email address$/, { email: `${local}@clearview.example` });
      await expectRefused('fernhollow is home 2291', /^password: contains your email address$/, { email: freshEmail('x').replace('clearview.example', 'fernhollow.example') });
    });

    it('ignores words shorter than three letters and number-only parts', async () => {
      await expectAccepted('Jo is at 42 Tu9-Ri7-Ka6', { name: 'Jo Li' });
    });
  });

  describe('the demo password', () => {
    it('passes the policy for every demo member of staff (it is 16 characters; no context word, not listed)', async () => {
      const users: { name: string; email: string; chainId: string }[] = await app.ownerCore.query(
        `SELECT name, email, chain_id::text AS "chainId" FROM staff_user WHERE kind = 'STAFF' AND email = ANY($1) ORDER BY email`,
        [Object.values(DEMO_USERS).map((u) => u.email)],
      );
      expect(users.length).toBeGreaterThanOrEqual(9);
      for (const user of users) {
        await expect(assertAcceptablePassword(app.ownerCore.manager, DEMO_PASSWORD, { field: 'password', user, hasSecondFactor: false }))
          .resolves.toBeUndefined();
      }
    });
  });

  describe('8 characters with a second factor', () => {
    // D's TOTP table is not on this branch yet: the rule is shown on the policy itself with hasSecondFactor true.
    it('accepts 8 and refuses 7 with a second factor; refuses 14 without', async () => {
      const user = { name: 'Priya Natarajan', email: 'priya.n@clearview.example', chainId: (await app.ownerCore.query('SELECT id::text AS id FROM chain ORDER BY name LIMIT 1'))[0].id as string };
      const check = (password: string, hasSecondFactor: boolean) => assertAcceptablePassword(app.ownerCore.manager, password, { field: 'new', user, hasSecondFactor });
      await expect(check('Tu9-mo8R', true)).resolves.toBeUndefined();
      await expect(check('Tu9-mo8', true)).rejects.toMatchObject({ message: 'new: must be at least 8 characters', extensions: { code: 'BAD_USER_INPUT', field: 'new' } });
      await expect(check('Tu9-mo8-Ri7-Ka', false)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'new' } });
      await expect(check('x'.repeat(257), true)).rejects.toMatchObject({ message: 'new: must be at most 256 characters' });
      // the blocklist and patterns still apply with a second factor
      await expect(check('password', true)).rejects.toMatchObject({ message: expect.stringContaining('list of common or breached passwords') });
      await expect(check('abcd1234', true)).rejects.toMatchObject({ extensions: { field: 'new' } });
    });
  });
});
