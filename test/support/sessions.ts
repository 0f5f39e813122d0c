/**
 * One session per user for a whole test file, signed in on first use: a new sign-in would end the
 * user's previous session, so suites that act as many users keep one token each. Create it at the top
 * of a `describe` with a getter for the suite's app (assigned later, in `beforeAll`):
 *
 *   const { tokenOf, as } = sessionsFor(() => app);
 *   const result = await as('dpo', '{ me { email } }');
 */
import { emailOf, Who } from './actors';
import { GraphQLResult } from './graphql-client';
import type { TestApp } from './test-app';

export interface Sessions {
  /** The user's token, signing them in on first use (a demo actor by name, or any user by email). */
  tokenOf(who: Who): Promise<string>;
  /** A request as that user. */
  as<TData = Record<string, unknown>>(who: Who, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResult<TData>>;
  /** Forgets the user's token (after their session ended, e.g. by `logout`): the next use signs in again. */
  forget(who: Who): void;
}

export function sessionsFor(app: () => TestApp): Sessions {
  const tokens = new Map<string, string>();
  const tokenOf = async (who: Who): Promise<string> => {
    const email = emailOf(who);
    let token = tokens.get(email);
    if (!token) {
      token = await app().login(email);
      tokens.set(email, token);
    }
    return token;
  };
  return {
    tokenOf,
    as: async (who, query, variables = {}, headers) => app().request(query, variables, await tokenOf(who), headers),
    forget: (who) => void tokens.delete(emailOf(who)),
  };
}
