/**
 * The one place a request's principal changes: `login`, alone in its operation, makes the new user the
 * caller for its own selection set (src/auth/sign-in-alone.ts).
 */
import { Credential } from '../auth/authenticate';
import { createLoaders } from '../loaders/loaders';
import { AppAbility, Principal } from '../policies/ability';
import { abilityForCredential } from '../policies/credential-rules';
import { withoutEmergencyAccess } from '../policies/emergency-rules';
import { AppContext } from './app-context';

/**
 * Makes `principal` the caller for the rest of the request: only `login`, alone in its operation
 * (src/auth/sign-in-alone.ts), so the only thing served as the new user is login's own selection set.
 * Login is a mutation: the ability carries no emergency-access rules (src/server/one-principal-plugin.ts).
 */
export function signIn(ctx: AppContext, principal: Principal, ability: AppAbility, credential: Credential): void {
  if (!ctx.signInOperation) throw new Error('signIn outside a lone login operation');
  ability = abilityForCredential(withoutEmergencyAccess(ability), credential);
  ctx.principal = principal;
  ctx.ability = ability;
  ctx.credential = credential;
  ctx.authFailure = null;
  ctx.loaders = createLoaders(ctx.core, ctx.clinical, { chainId: principal.chainId, ability });
}
