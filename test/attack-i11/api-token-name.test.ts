/**
 * Attack: an API token named with invisible characters only. `createApiToken` trimmed the name and counted its
 * characters, but a zero-width space (U+200B), a word joiner or a byte order mark is not whitespace to trim, so
 * a token whose name shows as nothing in `apiTokens` and in the security settings history was accepted.
 */
import { EMAIL } from '../support/actors';
import { Actors, CM } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';

const CREATE = 'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { apiToken { name } } }';

describe('attack: invisible API token names', () => {
  let app: TestApp;
  let actors: Actors;
  let biId: string;
  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    biId = (await actors.demo()).users[EMAIL.bi];
  });
  afterAll(() => app?.stop());

  const create = (name: string) => actors.as(CM, CREATE, { input: { userId: biId, name, expiresAt: new Date(Date.now() + 86400_000).toISOString() } });

  it.each(['\u200b', '\u200b\u2060\ufeff', ' \u200d '])('refuses %j and stores nothing', async (name) => {
    const before: { n: number }[] = await app.ownerCore.query('SELECT count(*)::int AS n FROM api_token');
    const answer = await create(name);
    expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.name']]);
    expect(await app.ownerCore.query('SELECT count(*)::int AS n FROM api_token')).toEqual(before);
  });

  it('still accepts names in any script, emoji included', async () => {
    for (const name of ['Looker', 'Power BI – nightly', 'Отчёты', '😀']) {
      const answer = await create(name);
      expect(answer.errors).toBeUndefined();
    }
  });
});
