/**
 * The per-customer disposal lock shared by the retention job and placeLegalHold: the job holds it (a session
 * advisory lock) while it re-reads a customer's holds and disposes of them; placing a hold takes it for its
 * transaction, so a hold is either seen by the job or placed after the disposal.
 */

/** The advisory lock's key expression, over one text parameter `$1` (the key). */
export const DISPOSAL_LOCK_SQL = 'hashtextextended($1, 0)';

export function disposalLockKey(customerId: string): string {
  return `customer_disposal|${customerId}`;
}
