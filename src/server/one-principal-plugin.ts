/**
 * One request, one principal, decided before anything executes:
 * - `login` and `logout` must be alone in their operation (src/auth/sign-in-alone.ts); only then may
 *   `login` make the newly signed-in user the caller, for its own selection set;
 * - break the glass grants reads only: a mutation runs with the caller's role assignments alone, its
 *   ability (and the DataLoaders built on it) stripped of emergency-access rules. Otherwise an emergency
 *   access would make its customer visible, hence a valid target, to writes the caller may do at their
 *   own store (a note, an examination, an appointment for a customer of another store).
 */
import { ApolloServerPlugin } from '@apollo/server';
import { FragmentDefinitionNode, Kind } from 'graphql';
import { assertSignInAlone } from '../auth/sign-in-alone';
import { createLoaders } from '../loaders/loaders';
import { withoutEmergencyAccess } from '../policies/emergency-rules';
import { AppContext } from '../context/app-context';

export const onePrincipalPlugin: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue: ctx, operation, document }) {
        if (!operation) return;
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const definition of document.definitions) {
          if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
        }
        ctx.signInOperation = assertSignInAlone(operation, fragments);
        if (operation.operation !== 'mutation' || !ctx.principal || !ctx.ability) return;
        const ability = withoutEmergencyAccess(ctx.ability);
        if (ability === ctx.ability) return;
        ctx.ability = ability;
        ctx.loaders = createLoaders(ctx.core, ctx.clinical, { chainId: ctx.principal.chainId, ability });
      },
    };
  },
};
