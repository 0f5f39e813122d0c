/**
 * The credential rules of the HTTP export routes (src/policies/credential-rules.ts; docs/auth-policy.md): an
 * ENROLMENT session is refused at once (403, reason SECOND_FACTOR_ENROLMENT_REQUIRED), and an export, a sensitive
 * act, needs a proof of identity within the re-authentication window (401, reason REAUTHENTICATION_REQUIRED) once
 * the caller's permission holds. API tokens are exempt. Each answers true when it has sent the refusal.
 */
import { ServerResponse } from 'node:http';
import { AppContext } from '../context/app-context';
import { CredentialRefusal, enrolmentRefusal, reauthenticationRefusal, refusalBody } from '../policies/credential-rules';

function send(res: ServerResponse, refusal: CredentialRefusal): true {
  res.statusCode = refusal.status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  if (refusal.status === 401) res.setHeader('www-authenticate', 'Bearer');
  res.end(refusalBody(refusal));
  return true;
}

/** Refuses an ENROLMENT session (403). */
export function refusedEnrolmentSession(res: ServerResponse, ctx: AppContext): boolean {
  const refusal = enrolmentRefusal(ctx.credential);
  return refusal ? send(res, refusal) : false;
}

/** Refuses a session whose last proof of identity is older than the re-authentication window (401). */
export function refusedStaleAuthentication(res: ServerResponse, ctx: AppContext): boolean {
  const refusal = reauthenticationRefusal(ctx.credential, ctx.config.reauthWindowMinutes);
  return refusal ? send(res, refusal) : false;
}
