/**
 * Separation of duties for reviews: nobody acknowledges a reviewable item about their own use of data
 * (a security event raised about them, their own emergency access); another reviewer must.
 */
import { forbidden } from '../errors/errors';
import { Principal } from './ability';

export function assertNotOwnItem(principal: Principal, aboutUserId: string | null | undefined): void {
  if (aboutUserId && aboutUserId === principal.userId) {
    throw forbidden('Not allowed to acknowledge an item about your own use of data; another reviewer must.');
  }
}
