/**
 * The shared actors (test/support/actors.ts) are the users the seed creates: every documented demo user
 * signs in with the documented password, and the signed-in client acts as that user.
 */
import { ACTORS, DEMO_PASSWORD, EMAIL, signIn, signInAll } from '../support/actors';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';

describe('demo actors', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('every documented demo user signs in with the documented password and is who the table says', async () => {
    const clients = await signInAll(app, ACTORS);
    expect(ACTORS).toHaveLength(10);
    for (const actor of ACTORS) {
      const me = await clients[actor].request<{ me: { email: string } }>('{ me { email } }');
      expect({ actor, email: me.data?.me.email }).toEqual({ actor, email: EMAIL[actor] });
    }
  });

  it('a signed-in client carries its own session; a wrong password signs nobody in', async () => {
    const lakeside = await signIn(app, 'lakesideManager');
    const stores = await lakeside.request<{ stores: { name: string }[] }>('{ stores { name } }');
    expect(stores.data?.stores.map((s) => s.name)).toEqual(['Keswick']);
    await expect(signIn(app, 'dpo', `${DEMO_PASSWORD}x`)).rejects.toThrow(/login failed/);
    expect(errorCodes(await app.request('{ me { email } }'))).toEqual(['UNAUTHENTICATED']);
  });
});
