/**
 * The demo users every API suite signs in as, and sign-in helpers that hand a test a ready-made signed-in
 * client per actor: `const dpo = await signIn(app, 'dpo'); await dpo.request('{ me { email } }')`.
 *
 * The table is the seed's documented users (README, "Demo users"), written out here from that
 * documentation on purpose rather than imported from src/seed: if the seed stops creating a documented
 * user, or gives it another email, the suites fail instead of following it.
 */
import { GraphQLResult } from './graphql-client';
import type { TestApp } from './test-app';

/** Every demo user's password (README, "Demo users"). */
export const DEMO_PASSWORD = 'Visus-demo-2026!';

export interface DemoActor {
  email: string;
  chain: 'Clearview Opticians' | 'Lakeside Eyecare';
  /** Role and scope as documented. */
  holds: string;
}

/** The documented demo users, by the short name a test uses for them. */
export const DEMO_USERS = {
  chainManager: { email: 'chain.manager@clearview.example', chain: 'Clearview Opticians', holds: 'Chain manager, whole chain' },
  northManager: { email: 'north.manager@clearview.example', chain: 'Clearview Opticians', holds: 'Regional manager, region North (Leeds, York, Harrogate)' },
  leedsManager: { email: 'leeds.manager@clearview.example', chain: 'Clearview Opticians', holds: 'Store manager, Leeds' },
  leedsOptometrist: { email: 'leeds.optometrist@clearview.example', chain: 'Clearview Opticians', holds: 'Optometrist, Leeds' },
  locum: { email: 'locum@clearview.example', chain: 'Clearview Opticians', holds: 'Optometrist at York and Receptionist at Bath' },
  leedsAssistant: { email: 'leeds.assistant@clearview.example', chain: 'Clearview Opticians', holds: 'Optical assistant, Leeds' },
  leedsReception: { email: 'leeds.reception@clearview.example', chain: 'Clearview Opticians', holds: 'Receptionist, Leeds' },
  dpo: { email: 'dpo@clearview.example', chain: 'Clearview Opticians', holds: 'Data protection officer, whole chain' },
  bi: { email: 'bi@clearview.example', chain: 'Clearview Opticians', holds: 'BI service account, whole chain' },
  lakesideManager: { email: 'manager@lakeside.example', chain: 'Lakeside Eyecare', holds: 'Chain manager of Lakeside Eyecare' },
} as const satisfies Record<string, DemoActor>;

export type Actor = keyof typeof DEMO_USERS;

/**
 * The demo user with TOTP on (README, "Try MFA"): a password alone does not sign her in (login answers a challenge for
 * verifyMfa), so she is not one of the actors above; test/mfa/demo-mfa-user.test.ts signs her in with the code.
 */
export const MFA_DEMO_USER = {
  email: 'mfa.optometrist@clearview.example', name: 'Maya Ferreira', holds: 'Optometrist, Harrogate', totpSecret: 'JBSWY3DPEHPK3PXP',
} as const;

/** Every actor's email: `EMAIL.dpo` is 'dpo@clearview.example'. */
export const EMAIL: { readonly [A in Actor]: string } = Object.fromEntries(
  Object.entries(DEMO_USERS).map(([actor, user]) => [actor, user.email]),
) as Record<Actor, string>;

export const ACTORS = Object.keys(DEMO_USERS) as Actor[];

/** A demo actor's name, or the email of any other user (e.g. one a suite created). */
export type Who = Actor | string;

export function emailOf(who: Who): string {
  return who in DEMO_USERS ? DEMO_USERS[who as Actor].email : who;
}

/** A signed-in session: its token, and requests made with it. */
export interface SignedInClient {
  email: string;
  token: string;
  request<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResult<TData>>;
}

/**
 * Signs `who` in (a demo actor by name, or any user by email) and returns a client carrying the
 * session. A new sign-in ends that user's previous session: sign each user in once per file, or use
 * `sessionsFor` (test/support/sessions.ts).
 */
export async function signIn(app: TestApp, who: Who, password: string = DEMO_PASSWORD): Promise<SignedInClient> {
  const email = emailOf(who);
  const token = await app.login(email, password);
  return { email, token, request: (query, variables, headers) => app.request(query, variables, token, headers) };
}

/** Signs several actors in, one session each: `const { dpo, leedsManager } = await signInAll(app, ['dpo', 'leedsManager'])`. */
export async function signInAll<A extends Actor>(app: TestApp, actors: readonly A[]): Promise<Record<A, SignedInClient>> {
  const out = {} as Record<A, SignedInClient>;
  for (const actor of actors) out[actor] = await signIn(app, actor);
  return out;
}
