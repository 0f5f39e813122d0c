/**
 * The per-request context: who is calling (principal and ability, when signed in), the request's
 * identifiers for the logs, the per-request DataLoaders, the clinical access-log buffer and the
 * process's anomaly detector.
 */
import { DataSource } from 'typeorm';
import { AnomalyDetector } from '../audit/anomaly-detector';
import { ClinicalAccessBuffer } from '../audit/clinical-access-buffer';
import { Config } from '../config/config';
import { RequestTransaction } from '../db/request-transaction';
import { unauthenticated } from '../errors/errors';
import { Loaders } from '../loaders/loaders';
import { AppAbility, Principal } from '../policies/ability';

export interface RequestInfo {
  requestId: string;
  clientAddress: string | null;
  userAgent: string | null;
  /** The GraphQL operation's name as the client gave it (null when anonymous); set once the operation is resolved. */
  operationName: string | null;
  /** Why the caller reads (the X-Access-Purpose header), recorded with clinical reads. */
  purpose: string | null;
  /** Why the X-Access-Purpose header was refused, if it was (the request then fails with BAD_USER_INPUT). */
  purposeProblem: string | null;
  /** Raw session token presented (Bearer header or cookie), if any. */
  token: string | null;
}

export interface AppContext {
  config: Config;
  /** The databases; during a mutation, views bound to the request's transactions (`unitOfWork`). */
  core: DataSource;
  clinical: DataSource;
  /** A mutation's transactions, committed once the response and its access log are complete (src/db/request-transaction.ts). */
  unitOfWork: RequestTransaction | null;
  request: RequestInfo;
  /**
   * Who the request is: set once, from the presented session, before anything executes. Only `login`,
   * alone in its operation (`signInOperation`), replaces it, for its own selection set.
   */
  principal: Principal | null;
  ability: AppAbility | null;
  /** The operation is a lone `login` or `logout` (src/auth/sign-in-alone.ts). */
  signInOperation: boolean;
  /** Why the presented token was refused, for the UNAUTHENTICATED message. */
  authFailure: string | null;
  loaders: Loaders;
  accessLog: ClinicalAccessBuffer;
  /** The process's anomaly detector, told when the request's access entries were written. */
  anomalies: AnomalyDetector;
  /** Set-Cookie headers the response must carry (login and logout). */
  responseCookies: string[];
}

/** The signed-in principal and ability, or an UNAUTHENTICATED error. */
export function requireAuth(ctx: AppContext): { principal: Principal; ability: AppAbility } {
  if (!ctx.principal || !ctx.ability) throw unauthenticated(ctx.authFailure);
  return { principal: ctx.principal, ability: ctx.ability };
}
