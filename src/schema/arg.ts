/**
 * Resolver arguments: `Arg` is type-graphql's `@Arg`, except that an argument is required (non-null in
 * the schema) unless it says `nullable: true`. The schema is built with `nullableByDefault` so that
 * object fields stay nullable (a denied field resolves to null beside its siblings); without this,
 * every argument would silently be optional too, and a missing `id` or `input` would reach the
 * resolver as undefined. A list argument is `[T!]!` unless it says otherwise. Resolvers import `Arg`
 * from here, never from type-graphql (the linter refuses that).
 */
import { Arg as TypeGraphQLArg, type ArgOptions } from 'type-graphql';

type Decorator = ReturnType<typeof TypeGraphQLArg>;
/** type-graphql's ReturnTypeFunc (not exported from its index). */
type ReturnTypeFunc = Extract<Parameters<typeof TypeGraphQLArg>[1], (...args: never[]) => unknown>;

export function Arg(name: string, options?: ArgOptions): Decorator;
export function Arg(name: string, returnTypeFunc: ReturnTypeFunc, options?: ArgOptions): Decorator;
export function Arg(name: string, typeOrOptions?: ReturnTypeFunc | ArgOptions, maybeOptions?: ArgOptions): Decorator {
  if (typeof typeOrOptions === 'function') return TypeGraphQLArg(name, typeOrOptions, { nullable: false, ...maybeOptions });
  return TypeGraphQLArg(name, { nullable: false, ...typeOrOptions });
}
