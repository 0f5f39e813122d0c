/**
 * Builds the per-request context: request id, client address, the presented session token
 * resolved to a principal and its (cached) ability, fresh DataLoaders and an empty access-log buffer.
 */
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { DataSource } from 'typeorm';
import { parsePurpose, PURPOSE_HEADER } from '../audit/access-purpose';
import { headerText, neutralised } from '../audit/audit-text';
import { ClinicalAccessBuffer } from '../hash-chain/clinical-access-buffer';
import { authenticate } from '../auth/authenticate';
import { sessionRefusalMessage } from '../auth/session-refusal';
import { tokenFromHeaders } from '../auth/session-token';
import { Config } from '../config/config';
import { createLoaders } from '../loaders/loaders';
import { AbilitySource } from '../policies/ability-cache';
import { abilityForCredential } from '../policies/credential-rules';
import { ClientAddressResolver } from './client-address';
import { AppContext } from '../context/app-context';
import { RequestInfo } from '../context/request-info';

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

export async function createContext(
  config: Config,
  core: DataSource,
  clinical: DataSource,
  abilities: AbilitySource,
  request: RequestInfo,
): Promise<AppContext> {
  const authenticated = request.token ? await authenticate(core, config, request.token) : null;
  const principal = authenticated?.principal ?? null;
  const ability = authenticated
    ? abilityForCredential(await abilities.get(core, authenticated.principal, authenticated.authzVersion), authenticated.credential)
    : null;
  return {
    config,
    core,
    clinical,
    unitOfWork: null,
    request,
    principal,
    ability,
    credential: authenticated?.credential ?? null,
    signInOperation: false,
    authFailure: request.token && !principal ? await sessionRefusalMessage(core, request.token) : null,
    loaders: createLoaders(core, clinical, principal && ability ? { chainId: principal.chainId, ability } : null),
    accessLog: new ClinicalAccessBuffer(),
    responseCookies: [],
  };
}
