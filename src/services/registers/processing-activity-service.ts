/**
 * The records of processing activities (Art. 30(1) GDPR): list the chain's entries, create or replace one. Chain-wide
 * (`ProcessingActivity`: read, create, update, export; only chain-scoped grants reach it). A write is checked whole
 * (BAD_USER_INPUT naming the field), names are unique in the chain, and each change appends a
 * ProcessingActivityChange with the changed fields before and after, in the same transaction.
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../../errors/errors';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { ProcessingBasis, RegisterChange, SpecialCategoryCondition } from '../../schema/enums';
import { UpsertProcessingActivityInput } from '../../schema/inputs/processing-activity.inputs';
import { ProcessingActivityChange } from '../../schema/registers/processing-activity-change.entity';
import { ProcessingActivity } from '../../schema/registers/processing-activity.entity';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { findVisible } from '../visible-rows';
import { changedValues } from './register-history';
import { cleanText, cleanTextList, optionalText } from './register-text';

export const ACTIVITY_COLUMNS = { chainId: 'p.chain_id', storeId: 'NULL::uuid', id: 'p.id' };
/** The content fields of an entry, in the order of Art. 30(1) (the export's columns follow it). */
export const ACTIVITY_FIELDS = [
  'name', 'purpose', 'lawfulBases', 'lawfulBasisNotes', 'specialCategoryCondition', 'dataCategories', 'dataSubjects', 'recipients',
  'internationalTransfers', 'retention', 'securityMeasures', 'controllerContact', 'dpoContact',
] as const;
type ActivityValues = Pick<ProcessingActivity, (typeof ACTIVITY_FIELDS)[number]>;

function enumList<E extends string>(values: unknown, allowed: readonly E[], field: string): E[] {
  if (!Array.isArray(values)) throw badInput(field, 'must be a list');
  if (values.length < 1 || values.length > allowed.length) throw badInput(field, `must have 1 to ${allowed.length} items`);
  values.forEach((value, i) => {
    if (!allowed.includes(value as E)) throw badInput(`${field}[${i}]`, 'is not a lawful basis');
    if (values.indexOf(value) !== i) throw badInput(`${field}[${i}]`, 'is listed twice');
  });
  return values as E[];
}

/** The entry's content, checked (an optional field left out is null). */
export function activityValues(input: UpsertProcessingActivityInput): ActivityValues {
  const condition = input.specialCategoryCondition ?? null;
  if (condition !== null && !Object.values(SpecialCategoryCondition).includes(condition)) throw badInput('input.specialCategoryCondition', 'is not a condition of Art. 9(2)');
  return {
    name: cleanText(input.name, 'input.name', 200),
    purpose: cleanText(input.purpose, 'input.purpose', 5000),
    lawfulBases: enumList(input.lawfulBases, Object.values(ProcessingBasis), 'input.lawfulBases'),
    lawfulBasisNotes: optionalText(input.lawfulBasisNotes, 'input.lawfulBasisNotes', 5000) ?? null,
    specialCategoryCondition: condition,
    dataCategories: cleanTextList(input.dataCategories, 'input.dataCategories', { min: 1, maxItems: 50, maxLength: 200 }),
    dataSubjects: cleanTextList(input.dataSubjects, 'input.dataSubjects', { min: 1, maxItems: 20, maxLength: 200 }),
    recipients: cleanTextList(input.recipients, 'input.recipients', { min: 0, maxItems: 50, maxLength: 200 }),
    internationalTransfers: optionalText(input.internationalTransfers, 'input.internationalTransfers', 5000) ?? null,
    retention: cleanText(input.retention, 'input.retention', 5000),
    securityMeasures: cleanText(input.securityMeasures, 'input.securityMeasures', 5000),
    controllerContact: cleanText(input.controllerContact, 'input.controllerContact', 2000),
    dpoContact: cleanText(input.dpoContact, 'input.dpoContact', 2000),
  };
}

export async function listProcessingActivities(ctx: AuthenticatedContext): Promise<ProcessingActivity[]> {
  const { principal, ability } = ctx;
  assertMay(ability, 'read', 'ProcessingActivity', { chainId: principal.chainId });
  return ctx.core.getRepository(ProcessingActivity).find({ where: { chainId: principal.chainId }, order: { name: 'ASC', id: 'ASC' } });
}

async function appendChange(tx: EntityManager, ctx: AuthenticatedContext, id: string, action: RegisterChange, before: ProcessingActivity | null, after: ProcessingActivity): Promise<void> {
  const change = changedValues(ACTIVITY_FIELDS, before, after);
  await tx.query(
    `INSERT INTO processing_activity_change (chain_id, processing_activity_id, user_id, session_id, request_id, action, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [ctx.principal.chainId, id, ctx.principal.userId, ctx.principal.sessionId, ctx.request.requestId, action, change.before, change.after],
  );
}

export async function upsertProcessingActivity(ctx: AuthenticatedContext, input: UpsertProcessingActivityInput): Promise<ProcessingActivity> {
  const { principal, ability } = ctx;
  const creating = input.id === undefined || input.id === null;
  const values = activityValues(input);
  return ctx.core.transaction(async (tx) => {
    // Names are unique per chain: one writer at a time per chain checks and writes them.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`processing_activity|${principal.chainId}`]);
    const current = creating ? null : await findVisible(tx, { entity: ProcessingActivity, subjectName: 'ProcessingActivity', alias: 'p', columns: ACTIVITY_COLUMNS, lock: 'update' }, principal, ability, input.id!);
    const fields = fieldsSet(input).filter((f) => f !== 'id');
    if (creating) assertMay(ability, 'create', 'ProcessingActivity', { chainId: principal.chainId }, fields);
    else {
      // A replacement writes the whole entry (a field left out is cleared): `update` is needed on every field whose
      // value it changes, set or left out; one given as it stands is not changed.
      const changed = Object.keys(changedValues(ACTIVITY_FIELDS, current, Object.assign(new ProcessingActivity(), current, values)).after);
      assertMay(ability, 'update', 'ProcessingActivity', { chainId: principal.chainId, id: current!.id }, changed);
    }
    const [clash] = (await tx.query('SELECT id FROM processing_activity WHERE chain_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3', [principal.chainId, values.name, current?.id ?? null])) as { id: string }[];
    if (clash) throw badInput('input.name', 'is already the name of another activity of this chain');
    const repo = tx.getRepository(ProcessingActivity);
    let id: string;
    if (current) {
      const merged = Object.assign(new ProcessingActivity(), current, values);
      if (Object.keys(changedValues(ACTIVITY_FIELDS, current, merged).after).length === 0) return current;
      await repo.update({ id: current.id, chainId: principal.chainId }, { ...values, updatedById: principal.userId });
      id = current.id;
    } else {
      const { identifiers } = await repo.insert({ ...values, chainId: principal.chainId, updatedById: principal.userId });
      id = identifiers[0].id as string;
    }
    const saved = await repo.findOneByOrFail({ id });
    await appendChange(tx, ctx, id, creating ? RegisterChange.CREATED : RegisterChange.UPDATED, current, saved);
    return saved;
  });
}

/** An entry's history, oldest first (the field guard governs it as ProcessingActivity.history). */
export function activityHistory(ctx: AuthenticatedContext, activity: ProcessingActivity): Promise<ProcessingActivityChange[]> {
  return ctx.core.getRepository(ProcessingActivityChange).find({ where: { processingActivityId: activity.id, chainId: activity.chainId }, order: { id: 'ASC' } });
}
