/**
 * The purpose of access a client declares for a request (HTTP header `X-Access-Purpose`, e.g.
 * "eye test follow-up" or a ticket reference), recorded with every clinical read of the request. Optional;
 * when present it must be 1-200 characters of printable text (UTF-8; no controls or direction overrides:
 * src/audit/audit-text.ts), or the whole request is refused with
 * BAD_USER_INPUT (src/server/access-purpose-plugin.ts) before anything is read.
 */
import { headerText, unsafeTextProblem } from './audit-text';

export const PURPOSE_HEADER = 'x-access-purpose';
export const MAX_PURPOSE_LENGTH = 200;

export interface DeclaredPurpose {
  purpose: string | null;
  problem: string | null;
}

export function parsePurpose(raw: string | undefined): DeclaredPurpose {
  if (raw === undefined) return { purpose: null, problem: null };
  const purpose = headerText(raw).trim();
  if (purpose.length === 0) return { purpose: null, problem: 'must not be empty when given' };
  if (purpose.length > MAX_PURPOSE_LENGTH) return { purpose: null, problem: `must be at most ${MAX_PURPOSE_LENGTH} characters` };
  const unsafe = unsafeTextProblem(purpose);
  if (unsafe) return { purpose: null, problem: unsafe };
  return { purpose, problem: null };
}
