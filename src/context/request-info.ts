/**
 * What the logs record about a request besides who made it: its id, where it came from, the operation's
 * name and the declared purpose of access. A leaf: it depends on nothing, so every layer may name it.
 */
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
