/**
 * The field layer of enforcement: one schema transform that wraps the resolver of every field of
 * every object type (default resolvers included) with a check against the caller's ability, the
 * parent object being the subject. Default deny: a type without a policy, or a field the catalog
 * does not list, is refused. A refused field resolves to null with a FORBIDDEN error naming the
 * field; its siblings still resolve. A field derived from a field of the row's customer (derived-fields.ts:
 * a specification's patientDateOfBirth from Customer.dateOfBirth) also needs that source field readable, at
 * the customer's home store (one batched customer lookup per request); a name shown next to an id (name-fields.ts:
 * an assignment's userEmail) also needs its source readable on the row the id names. Reads of clinical subjects are
 * recorded in the request's clinical access buffer, granted or denied, down to the rows a clinical relation
 * returned. A chain-wide type (type-policies.ts `chainWide`) is read under a grant of its field anywhere in the chain.
 *
 * Cheap per field and row (docs/architecture.md, "Read path performance (issue 14)"): each field's check is compiled
 * once, down to a look-up in the row's read mask (readable-fields.ts) for a plain field; a field without a resolver
 * of its own (a property, src/server/plain-field-resolvers.ts) is read directly after its check; a structural type's
 * fields are not wrapped at all; a refusal is made located and without a stack trace (field-refusal.ts).
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { scoped } from './ability';
import { GuardContext } from './guard-context';
import { catalogHasField, catalogSubject } from './catalog';
import { CustomerSource, derivedSource, mayReadSource } from './derived-fields';
import { fieldRefusal } from './field-refusal';
import { nameSource } from './name-fields';
import { mayReadNameSource } from './name-source-rows';
import { canReadField, readGrants } from './readable-fields';
import { ROOT_TYPES, TYPE_POLICIES, TypePolicy } from './type-policies';

type Row = Record<string, unknown> & { id?: string; chainId?: string; customerId?: string; examinationId?: string; storeId?: string };

/**
 * Returns null when the read is allowed, otherwise the refusal's message (a promise of it when the check loads a
 * row); the guard turns a message into the FORBIDDEN error (field-refusal.ts).
 */
type FieldCheck = (parent: Row, ctx: GuardContext) => string | null | Promise<string | null>;

/** Sees what an allowed field resolved to (used to log the clinical rows a relation returned). */
type ResultHook = (parent: Row, ctx: GuardContext, result: unknown) => void;

function denial(typeName: string, fieldName: string): string {
  return `Not allowed to read ${typeName}.${fieldName}.`;
}

/** The field's check, or null when the field needs none (a structural type's). */
export function compileFieldCheck(typeName: string, fieldName: string, policy: TypePolicy | undefined): FieldCheck | null {
  const refused = denial(typeName, fieldName);
  if (!policy) return () => refused;
  if (policy.kind === 'structural') return null;

  const subjectName = policy.subject;
  const clinical = catalogSubject(subjectName)?.clinical ?? false;

  const relationSubject = policy.relations?.[fieldName];
  if (relationSubject) {
    const relationClinical = catalogSubject(relationSubject)?.clinical ?? false;
    return (parent, ctx) => {
      // Governed by the caller's rights at the customer's home store (or for this customer: an emergency access);
      // the rows are then filtered by their own store.
      const customerId = subjectName === 'Customer' ? parent.id : parent.customerId;
      if (ctx.ability?.can('read', scoped(relationSubject, { chainId: parent.chainId, storeId: parent.storeId, customerId }))) return null;
      if (relationClinical && ctx.principal) {
        ctx.accessLog.record(ctx.principal, { customerId: String(parent.id), storeId: parent.storeId ?? null, subject: relationSubject, recordId: null, field: '*', granted: false, grants: [] });
      }
      return refused;
    };
  }

  const catalogField = policy.viaField ?? fieldName;
  if (!catalogHasField(subjectName, catalogField)) return () => refused;
  if (policy.chainWide) {
    // The chain's own reference data: a grant of the field anywhere in the chain reads it (CASL ignores
    // conditions when asked about the subject type), for rows of the caller's chain only.
    return (parent, ctx) => (ctx.ability?.can('read', subjectName, catalogField) && ctx.principal && parent.chainId === ctx.principal.chainId
      ? null : refused);
  }
  const loggedField = policy.viaField ? `${policy.viaField}.${fieldName}` : fieldName;
  const source = policy.viaField ? undefined : derivedSource(subjectName, catalogField);
  const named = policy.viaField ? undefined : nameSource(subjectName, catalogField);
  // The common case, a field of the row's own that nothing logs: one look-up in the row's read mask.
  if (!clinical && !policy.healthDataRow && !source && !named) {
    return (parent, ctx) => (ctx.ability !== null && canReadField(ctx.ability, subjectName, parent, catalogField) ? null : refused);
  }

  /** `sourceGrants`: for a derived field, the grants that let the caller read its source (logged with the field's own). */
  const decide = (parent: Row, ctx: GuardContext, granted: boolean, sourceGrants: string[] = []): string | null => {
    if (clinical && ctx.principal && parent.customerId) {
      ctx.accessLog.record(ctx.principal, {
        customerId: parent.customerId,
        storeId: parent.storeId ?? null,
        subject: subjectName,
        // A child row names its parent record: `parentRecordId` (a note's encrypted SOAP parts), else its examination.
        recordId: (policy.viaField ? (typeof parent.parentRecordId === 'string' ? parent.parentRecordId : parent.examinationId) : parent.id) ?? null,
        field: loggedField,
        granted,
        grants: granted && ctx.ability ? withSourceGrants(readGrants(ctx.ability, subjectName, parent, catalogField), sourceGrants) : [],
      });
    }
    if (!granted && !clinical && ctx.principal && parent.customerId && policy.healthDataRow?.(parent)) {
      ctx.accessLog.record(ctx.principal, {
        customerId: parent.customerId, storeId: parent.storeId ?? null, subject: subjectName,
        recordId: typeof parent.recordId === 'string' ? parent.recordId : null, field: loggedField, granted: false, grants: [],
      });
    }
    return granted ? null : refused;
  };

  return (parent, ctx) => {
    const granted = ctx.ability !== null && canReadField(ctx.ability, subjectName, parent, catalogField);
    if (named && granted) return mayReadNameSource(ctx, named, parent).then((readable) => decide(parent, ctx, readable));
    if (!source || !granted) return decide(parent, ctx, granted);
    return sourceGrants(parent, ctx, source).then((grants) => decide(parent, ctx, grants !== null, grants ?? []));
  };
}

/** The field's own grants (distinct already) and its source's, each once; without source grants, the own ones as they are. */
function withSourceGrants(own: string[], source: readonly string[]): string[] {
  if (source.length === 0) return own;
  return [...new Set([...own, ...source])];
}

/**
 * A derived field's second condition: the grants that let the caller read the source field of the row's
 * customer (at the customer's home store), or null when nothing does.
 */
async function sourceGrants(parent: Row, ctx: GuardContext, source: CustomerSource): Promise<string[] | null> {
  const ability = ctx.ability;
  if (!ability || typeof parent.customerId !== 'string') return null;
  const customer = await ctx.loaders.customer.load(parent.customerId);
  if (!customer || !mayReadSource(ability, source, customer)) return null;
  return readGrants(ability, source.subject, customer, source.field);
}

/**
 * For a relation to a clinical subject (a customer's examinations, say): logs every row it returned,
 * so even a client that selects no field of the rows (only `__typename`, or counts them) is logged.
 */
export function compileResultHook(typeName: string, fieldName: string, policy: TypePolicy | undefined): ResultHook | null {
  if (!policy || policy.kind !== 'subject') return null;
  const relationSubject = policy.relations?.[fieldName];
  if (!relationSubject || !catalogSubject(relationSubject)?.clinical) return null;
  return (parent, ctx, result) => {
    if (!ctx.principal || !ctx.ability || !Array.isArray(result)) return;
    for (const row of result as Row[]) {
      ctx.accessLog.record(ctx.principal, {
        customerId: String(parent.id), storeId: row.storeId ?? null, subject: relationSubject, recordId: row.id ?? null, field: fieldName,
        granted: true, grants: readGrants(ctx.ability, relationSubject, row, null),
      });
    }
  };
}

/** Reads the field's property as GraphQL's default resolver does (a function-valued property is called). */
function readProperty(parent: Row, fieldName: string, args: unknown, ctx: GuardContext, info: GraphQLResolveInfo): unknown {
  const value = parent[fieldName];
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).call(parent, args, ctx, info) : value;
}

export function applyFieldGuard(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      if (ROOT_TYPES.has(typeName) || typeName.startsWith('__')) return fieldConfig;
      const check = compileFieldCheck(typeName, fieldName, TYPE_POLICIES[typeName]);
      const onResult = compileResultHook(typeName, fieldName, TYPE_POLICIES[typeName]);
      if (!check && !onResult) return fieldConfig;
      const own = fieldConfig.resolve as GraphQLFieldResolver<Row, GuardContext> | undefined;
      if (!own && !onResult && check) {
        // A property: read after its check, with no resolver call in between.
        return {
          ...fieldConfig,
          resolve(parent: Row, args, ctx: GuardContext, info) {
            const refusal = check(parent, ctx);
            if (refusal === null) return readProperty(parent, fieldName, args, ctx, info);
            if (typeof refusal === 'string') throw fieldRefusal(refusal, info);
            return refusal.then((message) => {
              if (message !== null) throw fieldRefusal(message, info);
              return readProperty(parent, fieldName, args, ctx, info);
            });
          },
        };
      }
      const resolve: GraphQLFieldResolver<Row, GuardContext> = own ?? ((parent, args, ctx, info) => readProperty(parent, fieldName, args, ctx, info));
      return {
        ...fieldConfig,
        resolve(parent: Row, args, ctx: GuardContext, info) {
          const run = () => {
            const result: unknown = resolve(parent, args, ctx, info);
            if (!onResult) return result;
            if (result instanceof Promise) return result.then((value: unknown) => (onResult(parent, ctx, value), value));
            onResult(parent, ctx, result);
            return result;
          };
          const refusal = check ? check(parent, ctx) : null;
          if (refusal instanceof Promise) {
            return refusal.then((message) => {
              if (message !== null) throw fieldRefusal(message, info);
              return run();
            });
          }
          if (refusal !== null) throw fieldRefusal(refusal, info);
          return run();
        },
      };
    },
  });
}
