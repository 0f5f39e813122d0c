/**
 * The context of a signed-in request: the principal and ability are there, not null. Services take it
 * as their first argument (`ctx.principal`, `ctx.ability`) instead of a principal and an ability passed
 * beside the context; resolvers receive it from `@Authenticated()`, which refuses an anonymous request
 * with UNAUTHENTICATED before the resolver runs. Who the request is never changes inside it (only a lone
 * `login` makes the new user the caller for its own selection: src/context/sign-in.ts), so a resolver's
 * context names the same principal for everything it calls.
 */
import { createParameterDecorator } from 'type-graphql';
import { unauthenticated } from '../errors/errors';
import { AppAbility, Principal } from '../policies/ability';
import { AppContext } from './app-context';

export interface AuthenticatedContext extends AppContext {
  principal: Principal;
  ability: AppAbility;
}

/** The request's context as a signed-in one, or an UNAUTHENTICATED error (the message says why the token was refused). */
export function authenticated(ctx: AppContext): AuthenticatedContext {
  if (!ctx.principal || !ctx.ability) throw unauthenticated(ctx.authFailure);
  return ctx as AuthenticatedContext;
}

/** Resolver parameter: the signed-in request's context (UNAUTHENTICATED for an anonymous request). */
export function Authenticated(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator<AppContext>(({ context }) => authenticated(context));
}
