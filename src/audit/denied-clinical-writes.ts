/**
 * Refused clinical writes leave a trace: a root mutation on a clinical subject that is refused
 * (FORBIDDEN, or NOT_FOUND for a record or customer outside the caller's scope) is written to the
 * clinical access log as a DENIED entry, like a refused read. The client's answer does not change
 * (existence is still not disclosed); the auditor sees who tried what on which patient.
 *
 * The entry's `fields` name the attempted action and the input fields it set, as `<action>:<field>`
 * (`update:history`, `create:subjective`), or `<action>:*` when it sets none (`sign:*`), so a denied
 * write is never mistaken for a denied read. Only attempts at this chain's own patients are logged:
 * the log of a chain names only its own customers.
 *
 * CLINICAL_WRITES says, per mutation, which subject it writes and where its target is: the input's
 * customer and store, or the record the `id` argument names. A test walks the schema so that every
 * mutation returning a clinical subject must be listed here.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, GraphQLSchema } from 'graphql';
import { isGraphQLErrorWithCode } from '../errors/errors';
import { Action } from '../policies/catalog';
import { AppContext } from '../context/app-context';
import { isUuid } from '../schema/uuid';

type ClinicalWrite =
  | { subject: string; action: Action; target: 'input' }
  | { subject: string; action: Action; target: 'record'; table: string };

export const CLINICAL_WRITES: Readonly<Record<string, ClinicalWrite>> = {
  createExamination: { subject: 'Examination', action: 'create', target: 'input' },
  updateExamination: { subject: 'Examination', action: 'update', target: 'record', table: 'examination' },
  signExamination: { subject: 'Examination', action: 'sign', target: 'record', table: 'examination' },
  issueSpectaclePrescription: { subject: 'SpectaclePrescription', action: 'create', target: 'input' },
  issueContactLensSpecification: { subject: 'ContactLensSpecification', action: 'create', target: 'input' },
  addClinicalNote: { subject: 'ClinicalNote', action: 'create', target: 'input' },
};

const DENIAL_CODES = new Set(['FORBIDDEN', 'NOT_FOUND']);

interface Target {
  customerId: string;
  storeId: string | null;
  recordId: string | null;
}

function stringArg(value: unknown): string | null {
  return typeof value === 'string' && isUuid(value) ? value.toLowerCase() : null;
}

function inputOf(args: Record<string, unknown>): Record<string, unknown> {
  const input = args.input;
  return input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {};
}

/** The patient (of the caller's chain) the refused write aimed at, if any. */
async function locate(ctx: AppContext, chainId: string, write: ClinicalWrite, args: Record<string, unknown>): Promise<Target | null> {
  if (write.target === 'record') {
    const id = stringArg(args.id);
    if (!id) return null;
    const rows: { customerId: string; storeId: string }[] = await ctx.clinical.query(
      `SELECT customer_id AS "customerId", store_id AS "storeId" FROM ${write.table} WHERE id = $1 AND chain_id = $2`, [id, chainId],
    );
    return rows[0] ? { ...rows[0], recordId: id } : null;
  }
  const input = inputOf(args);
  const customerId = stringArg(input.customerId);
  if (!customerId) return null;
  const rows: { id: string }[] = await ctx.core.query('SELECT id FROM customer WHERE id = $1 AND chain_id = $2', [customerId, chainId]);
  if (!rows[0]) return null;
  const storeId = stringArg(input.storeId);
  const stores: { id: string }[] = storeId ? await ctx.core.query('SELECT id FROM store WHERE id = $1 AND chain_id = $2', [storeId, chainId]) : [];
  return { customerId, storeId: stores[0]?.id ?? null, recordId: null };
}

function attemptedFields(write: ClinicalWrite, args: Record<string, unknown>): string[] {
  const set = Object.entries(inputOf(args)).filter(([name, value]) => value !== undefined && name !== 'customerId' && name !== 'storeId');
  return set.length ? set.map(([name]) => `${write.action}:${name}`) : [`${write.action}:*`];
}

async function recordDenial(ctx: AppContext, write: ClinicalWrite, args: Record<string, unknown>): Promise<void> {
  const principal = ctx.principal;
  if (!principal) return;
  const target = await locate(ctx, principal.chainId, write, args);
  if (!target) return;
  for (const field of attemptedFields(write, args)) {
    ctx.accessLog.record(principal, {
      customerId: target.customerId, storeId: target.storeId, subject: write.subject, recordId: target.recordId, field, granted: false, grants: [],
    });
  }
}

function isDenial(value: unknown): boolean {
  return isGraphQLErrorWithCode(value) && DENIAL_CODES.has(String(value.extensions.code));
}

/** Wraps the clinical root mutations (outside the operation guard, so its refusals are seen too). */
export function applyDeniedClinicalWriteLog(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.MUTATION_ROOT_FIELD]: (fieldConfig, fieldName) => {
      const write = Object.hasOwn(CLINICAL_WRITES, fieldName) ? CLINICAL_WRITES[fieldName] : undefined;
      if (!write) return fieldConfig;
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        async resolve(parent: unknown, args: Record<string, unknown>, ctx: AppContext, info) {
          let result: unknown;
          try {
            result = await resolve(parent, args, ctx, info);
          } catch (error) {
            if (isDenial(error)) await recordDenial(ctx, write, args);
            throw error;
          }
          if (isDenial(result)) await recordDenial(ctx, write, args);
          return result;
        },
      };
    },
  });
}
