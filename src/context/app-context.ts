/**
 * The per-request context: who is calling (principal and ability, when signed in), the request's
 * identifiers for the logs (src/context/request-info.ts), the per-request DataLoaders and the clinical
 * access-log buffer. Built once per request by src/server/context-factory.ts.
 */
import { DataSource } from 'typeorm';
import { Credential } from '../auth/authenticate';
import { ClinicalAccessBuffer } from '../hash-chain/clinical-access-buffer';
import { Config } from '../config/config';
import { RequestTransaction } from '../db/request-transaction';
import { Loaders } from '../loaders/loaders';
import { AppAbility, Principal } from '../policies/ability';
import { GuardContext } from '../policies/guard-context';
import { RequestInfo } from './request-info';

export interface AppContext extends GuardContext {
  config: Config;
  /** The databases; during a mutation, views bound to the request's transactions (`unitOfWork`). */
  core: DataSource;
  clinical: DataSource;
  /** A mutation's transactions, committed once the response and its access log are complete (src/db/request-transaction.ts). */
  unitOfWork: RequestTransaction | null;
  /**
   * The request's turn to execute (src/server/request-gate.ts), given back as soon as execution ends, before the
   * access log's write and the commit are awaited (src/server/execution-turn-plugin.ts); absent outside the HTTP front.
   */
  executionTurn?: { release(): void };
  request: RequestInfo;
  /**
   * Who the request is: set once, from the presented session, before anything executes. Only `login`,
   * alone in its operation (`signInOperation`), replaces it, for its own selection set.
   */
  principal: Principal | null;
  ability: AppAbility | null;
  /** What the presented session or API token says beyond who (scope, last proof of identity); null when anonymous. */
  credential: Credential | null;
  /** The operation is a lone `login` or `logout` (src/auth/sign-in-alone.ts). */
  signInOperation: boolean;
  /** Why the presented token was refused, for the UNAUTHENTICATED message. */
  authFailure: string | null;
  loaders: Loaders;
  accessLog: ClinicalAccessBuffer;
  /** Set-Cookie headers the response must carry (login and logout). */
  responseCookies: string[];
}
