/**
 * Break the glass grants reads only: a mutation runs with the caller's role assignments alone, its ability
 * (and the DataLoaders built on it) stripped of emergency-access rules before anything executes. Otherwise
 * an emergency access would make its customer visible, hence a valid target, to writes the caller may do
 * at their own store (a note, an examination, an appointment for a customer of another store).
 */
import { ApolloServerPlugin } from '@apollo/server';
import { createLoaders } from '../loaders/loaders';
import { withoutEmergencyAccess } from '../policies/emergency-rules';
import { AppContext } from './context';

export const mutationAbilityPlugin: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue: ctx, operation }) {
        if (operation?.operation !== 'mutation' || !ctx.principal || !ctx.ability) return;
        const ability = withoutEmergencyAccess(ctx.ability);
        if (ability === ctx.ability) return;
        ctx.ability = ability;
        ctx.loaders = createLoaders(ctx.core, ctx.clinical, { chainId: ctx.principal.chainId, ability });
      },
    };
  },
};
