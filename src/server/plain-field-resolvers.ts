/**
 * Plain property reads for the fields type-graphql resolves by reading a property of the object (a class
 * property declared with `@Field`, no resolver method, no getter, no middleware): type-graphql gives each such
 * field a resolver of its own that builds a resolver-data object and runs its (empty) middleware chain on every
 * field of every row. This transform takes that resolver away, so GraphQL's default resolver reads the property,
 * which is what it did. The field guard (src/policies/field-guard.ts) then wraps a field without a resolver of
 * its own with a property read of its own, and a field of a structural type is not wrapped at all.
 *
 * Only fields whose GraphQL name is their property name, of object types that implement no interface, are
 * changed; field resolvers (`@FieldResolver` and `@Field` on a method or getter) are kept as they are.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/** "Type.field" for every field type-graphql resolves by a plain property read. */
export function plainPropertyFields(): ReadonlySet<string> {
  const storage = getMetadataStorage();
  // As type-graphql matches them (schema-generator): a field resolver of the class the field is declared on.
  // Keyed by the class's name as well as the class: a process can hold two copies of one entity class (a test
  // runner's module registries share type-graphql's global metadata), and a field resolver of either copy counts.
  const resolved = new Map<unknown, Set<string>>();
  const add = (key: unknown, name: string) => {
    let names = resolved.get(key);
    if (!names) resolved.set(key, (names = new Set()));
    names.add(name);
  };
  for (const resolver of storage.fieldResolvers) {
    const target = resolver.getObjectType?.();
    if (!target) continue;
    add(target, resolver.methodName);
    add(`class:${target.name}`, resolver.methodName);
  }
  const plain = new Set<string>();
  for (const objectType of storage.objectTypes) {
    if (objectType.interfaceClasses?.length) continue;
    for (const field of objectType.fields ?? []) {
      if (field.name !== field.schemaName || field.middlewares?.length || field.roles?.length) continue;
      if (resolved.get(field.target)?.has(field.name) || resolved.get(`class:${field.target.name}`)?.has(field.name)) continue;
      plain.add(`${objectType.name}.${field.schemaName}`);
    }
  }
  return plain;
}

export function withPlainFieldResolvers(schema: GraphQLSchema): GraphQLSchema {
  const plain = plainPropertyFields();
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) =>
      plain.has(`${typeName}.${fieldName}`) ? { ...fieldConfig, resolve: undefined } : fieldConfig,
  });
}
