/**
 * Which fields lose type-graphql's per-field resolver (src/server/plain-field-resolvers.ts): exactly the property
 * fields, read by GraphQL's default resolver as type-graphql read them; fields with a resolver of their own
 * (`@FieldResolver`, a `@Field` getter) keep it. The field guard then wraps them (src/policies/field-guard.ts).
 */
import { defaultFieldResolver, GraphQLResolveInfo, GraphQLSchema, isObjectType } from 'graphql';
import { buildDeclaredSchema } from '../../../src/server/build-schema';
import { plainPropertyFields } from '../../../src/server/plain-field-resolvers';
import { RoleAssignment } from '../../../src/schema/core/role-assignment.entity';

describe('plain field resolvers', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildDeclaredSchema();
  });

  it('takes away the resolver of property fields only', () => {
    const plain = plainPropertyFields();
    const customer = schema.getType('Customer');
    if (!isObjectType(customer)) throw new Error('no Customer type');
    const fields = customer.getFields();
    for (const name of ['id', 'firstName', 'dateOfBirth', 'homeStoreId', 'createdAt']) {
      expect(plain.has(`Customer.${name}`)).toBe(true);
      expect(fields[name].resolve).toBeUndefined();
    }
    // @FieldResolver in CustomerResolver: kept.
    expect(plain.has('Customer.appointments')).toBe(false);
    expect(fields.appointments.resolve).toBeInstanceOf(Function);
    let counted = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (plain.has(`${type.name}.${field.name}`)) counted += 1;
        expect(field.resolve === undefined).toBe(plain.has(`${type.name}.${field.name}`) || type.name.startsWith('__'));
      }
    }
    expect(counted).toBeGreaterThan(300);
  });

  it('keeps the resolver of a @Field getter, which reads what the default resolver would', () => {
    const type = schema.getType('RoleAssignment');
    if (!isObjectType(type)) throw new Error('no RoleAssignment type');
    expect(plainPropertyFields().has('RoleAssignment.active')).toBe(false);
    const field = type.getFields().active;
    expect(field.resolve).toBeInstanceOf(Function);
    const row = Object.assign(new RoleAssignment(), { validFrom: null, validUntil: null });
    const info = { fieldName: 'active' } as GraphQLResolveInfo;
    expect(field.resolve!(row, {}, {}, info)).toBe(defaultFieldResolver(row, {}, {}, info));
  });
});
