/**
 * Each root Mutation field runs in a savepoint of the request's unit of work (src/db/request-transaction.ts):
 * a field that fails undoes its own writes, whatever the service did outside a transaction of its own,
 * and the request's transactions stay usable for the fields after it and for the access log.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, GraphQLSchema } from 'graphql';
import { AppContext } from '../context/app-context';

export function applyMutationSavepoints(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.MUTATION_ROOT_FIELD]: (fieldConfig) => {
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve(parent: unknown, args, ctx: AppContext, info) {
          const unitOfWork = ctx.unitOfWork;
          if (!unitOfWork) return resolve(parent, args, ctx, info);
          return unitOfWork.step(async () => {
            const result: unknown = await resolve(parent, args, ctx, info);
            // A resolver (graphql-shield) may return its refusal rather than throw it: undo the step as well.
            if (result instanceof Error) throw result;
            return result;
          });
        },
      };
    },
  });
}
