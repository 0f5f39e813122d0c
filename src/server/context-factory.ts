/**
 * Builds the per-request context: request id, client address, the presented session token
 * resolved to a principal and its (cached) ability, fresh DataLoaders and an empty access-log buffer.
 */
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { DataSource } from 'typeorm';
import { parsePurpose, PURPOSE_HEADER } from '../audit/access-purpose';
import { headerText, neutralised } from '../audit/audit-text';
import { AnomalyDetector } from '../audit/anomaly-detector';
import { ClinicalAccessBuffer } from '../audit/clinical-access-buffer';
import { authenticate } from '../auth/authenticate';
import { sessionRefusalMessage } from '../auth/session-refusal';
import { tokenFromHeaders } from '../auth/session-token';
import { Config } from '../config/config';
import { createLoaders } from '../loaders/loaders';
import { AppAbility, Principal } from '../policies/ability';
import { AbilitySource } from '../policies/ability-cache';
import { withoutEmergencyAccess } from '../policies/emergency-rules';
import { ClientAddressResolver } from './client-address';
import { AppContext, RequestInfo } from './context';

/**
 * The request's identifiers. The request id is always the server's own (the audit trail must not
 * take it from the client); the client address is the socket's, or what the trusted proxies saw
 * (TRUSTED_PROXIES: src/server/client-address.ts; junk from a trusted hop refuses the request); the
 * User-Agent is read as UTF-8 and neutralised (src/audit/audit-text.ts), at most 300 characters.
 */
export function requestInfo(req: IncomingMessage, clientAddress: ClientAddressResolver): RequestInfo {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const declared = parsePurpose(header(PURPOSE_HEADER));
  const userAgent = header('user-agent');
  return {
    requestId: randomUUID(),
    clientAddress: clientAddress(req.socket.remoteAddress, header('x-forwarded-for')),
    userAgent: userAgent === undefined ? null : neutralised(headerText(userAgent)).slice(0, 300),
    operationName: null,
    purpose: declared.purpose,
    purposeProblem: declared.problem,
    token: tokenFromHeaders(header('authorization'), header('cookie')),
  };
}

/**
 * Makes `principal` the caller for the rest of the request: only `login`, alone in its operation
 * (src/auth/sign-in-alone.ts), so the only thing served as the new user is login's own selection set.
 * Login is a mutation: the ability carries no emergency-access rules (src/server/one-principal-plugin.ts).
 */
export function signIn(ctx: AppContext, principal: Principal, ability: AppAbility): void {
  if (!ctx.signInOperation) throw new Error('signIn outside a lone login operation');
  ability = withoutEmergencyAccess(ability);
  ctx.principal = principal;
  ctx.ability = ability;
  ctx.authFailure = null;
  ctx.loaders = createLoaders(ctx.core, ctx.clinical, { chainId: principal.chainId, ability });
}

export async function createContext(
  config: Config,
  core: DataSource,
  clinical: DataSource,
  abilities: AbilitySource,
  request: RequestInfo,
  anomalies: AnomalyDetector,
): Promise<AppContext> {
  const authenticated = request.token ? await authenticate(core, config, request.token) : null;
  const principal = authenticated?.principal ?? null;
  const ability = authenticated ? await abilities.get(core, authenticated.principal, authenticated.authzVersion) : null;
  return {
    config,
    core,
    clinical,
    unitOfWork: null,
    request,
    principal,
    ability,
    signInOperation: false,
    authFailure: request.token && !principal ? await sessionRefusalMessage(core, request.token) : null,
    loaders: createLoaders(core, clinical, principal && ability ? { chainId: principal.chainId, ability } : null),
    accessLog: new ClinicalAccessBuffer(),
    anomalies,
    responseCookies: [],
  };
}
