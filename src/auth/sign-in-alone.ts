/**
 * One request, one principal: `login`, `verifyMfa`, `acceptInvitation` and `logout` change who is calling, so each must be the only
 * field of its operation (`__typename` aside), counted after fragments are expanded and whatever their
 * `@skip`/`@include` say. A document that combines either with any other root field, or with itself
 * under another alias, is refused before anything runs. So every read and write of a request is made
 * by the principal the request arrived with; only `login`'s own selection set (its `user`) is served as
 * the newly signed-in user, and nothing else runs in that request.
 *
 * `reauthenticate` changes what the session proves (and its throttled attempt must commit whatever else happens):
 * alone too. `changePassword` is alone too: it changes the caller's credential and ends their other sessions, and its throttle
 * bookkeeping (a wrong current password is a failed sign-in attempt) must commit whatever the response, which only
 * an operation without the request's unit of work does (src/server/request-completion-plugin.ts).
 */
import { FragmentDefinitionNode, GraphQLError, OperationDefinitionNode, SelectionSetNode } from 'graphql';

export const IDENTITY_FIELDS: ReadonlySet<string> = new Set([
  'login', 'verifyMfa', 'logout', 'acceptInvitation', 'finishPasskeySignIn',
  // Not sign-ins, but they must commit their own bookkeeping (a spent challenge, a failed attempt toward the
  // throttle) whatever the response: alone, they run outside a mutation's unit of work, like login.
  'changePassword', 'reauthenticate', 'reauthenticateWithPasskey',
]);

/** Every root field name of the operation (with repeats, one per selection), fragments expanded. */
function rootFieldNames(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === 'Field') {
      if (selection.name.value !== '__typename') names.push(selection.name.value);
    } else if (selection.kind === 'InlineFragment') {
      names.push(...rootFieldNames(selection.selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment && !seen.has(name)) {
        seen.add(name);
        names.push(...rootFieldNames(fragment.selectionSet, fragments, seen));
      }
    }
  }
  return names;
}

/** Throws BAD_USER_INPUT when the operation signs in or out alongside anything else. */
export function assertSignInAlone(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): boolean {
  const names = rootFieldNames(operation.selectionSet, fragments);
  const identity = names.filter((name) => IDENTITY_FIELDS.has(name));
  if (identity.length === 0) return false;
  if (names.length > 1) {
    throw new GraphQLError(`${identity[0]} must be the only field of its operation: send it as a request of its own.`, {
      extensions: { code: 'BAD_USER_INPUT', field: identity[0], http: { status: 400 } },
    });
  }
  return true;
}
