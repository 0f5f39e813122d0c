/**
 * The breach register (Art. 33(5) GDPR): record a breach, change it, list them (overdue first). Chain-wide: the
 * rows carry no store, so only chain-scoped grants of `Breach` reach them (`read`, `create`, `update`). Every write
 * is checked against the rules (./breach-rules.ts; BAD_USER_INPUT naming the field), changes nothing on bad input,
 * and appends a BreachEvent with the changed fields before and after, in the same transaction.
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../../errors/errors';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { assertListable, givenFilters } from '../../policies/filter-guard';
import { BreachRisk, RegisterChange } from '../../schema/enums';
import { RecordBreachInput, UpdateBreachInput } from '../../schema/inputs/breach.inputs';
import { BreachEvent } from '../../schema/registers/breach-event.entity';
import { Breach } from '../../schema/registers/breach.entity';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { findVisible } from '../visible-rows';
import { countAffectedCustomers } from './affected-customers';
import { breachDeadline, breachProblem, OVERDUE_SQL } from './breach-rules';
import { changedValues } from './register-history';
import { cleanText, cleanTextList, optionalText, pastInstant, wholeNumber } from './register-text';

const COLUMNS = { chainId: 'b.chain_id', storeId: 'NULL::uuid', id: 'b.id' };
const FIELDS = [
  'discoveredAt', 'occurredAt', 'description', 'dataCategories', 'affectedCustomers', 'affectedCountUserId', 'affectedCountFrom', 'affectedCountTo',
  'risk', 'riskAssessment', 'measures', 'notifiedAuthorityAt', 'authorityReference', 'notNotifiableReason', 'delayReason', 'customersNotifiedAt',
  'customersNotNotifiedReason',
] as const;
const TEXT = 5000;
const REASON = 2000;
const MAX_AFFECTED = 10_000_000;

type BreachInput = Partial<RecordBreachInput> | UpdateBreachInput;
type BreachValues = Partial<Pick<Breach, (typeof FIELDS)[number]>>;

/** The count from the access log writes the number and the count's user and range; a given number clears those. */
const COUNT_FIELDS = ['affectedCustomers', 'affectedCountUserId', 'affectedCountFrom', 'affectedCountTo'];

/** The breach fields an input writes (each needs `create` or `update` on it): `affectedFromAccessLog` is not one, what it fills is. */
function writtenFields(set: string[]): string[] {
  const written = set.flatMap((field) => (field === 'affectedFromAccessLog' || field === 'affectedCustomers' ? COUNT_FIELDS : [field]));
  return [...new Set(written)];
}

/** The input's values, each checked on its own (the rules across fields come after merging). */
async function valuesOf(ctx: AuthenticatedContext, input: BreachInput, now: Date): Promise<BreachValues> {
  const v: BreachValues = {};
  const required = (name: keyof BreachInput) => {
    if (input[name] === null) throw badInput(`input.${name}`, 'cannot be cleared');
  };
  const instant = (name: 'discoveredAt' | 'occurredAt' | 'notifiedAuthorityAt' | 'customersNotifiedAt') => {
    const value = input[name];
    if (value === undefined) return;
    (v as Record<string, unknown>)[name] = value === null ? null : pastInstant(value, `input.${name}`, now);
  };
  for (const name of ['discoveredAt', 'description', 'dataCategories', 'risk', 'riskAssessment'] as const) required(name);
  instant('discoveredAt');
  instant('occurredAt');
  instant('notifiedAuthorityAt');
  instant('customersNotifiedAt');
  if (input.description !== undefined) v.description = cleanText(input.description, 'input.description', TEXT);
  if (input.dataCategories !== undefined) v.dataCategories = cleanTextList(input.dataCategories, 'input.dataCategories', { min: 1, maxItems: 30, maxLength: 200 });
  if (input.risk !== undefined && input.risk !== null) {
    if (!Object.values(BreachRisk).includes(input.risk)) throw badInput('input.risk', 'is not a BreachRisk');
    v.risk = input.risk;
  }
  if (input.riskAssessment !== undefined) v.riskAssessment = cleanText(input.riskAssessment, 'input.riskAssessment', TEXT);
  const texts: [keyof BreachValues & keyof BreachInput, number][] = [
    ['measures', TEXT], ['authorityReference', 200], ['notNotifiableReason', REASON], ['delayReason', REASON], ['customersNotNotifiedReason', REASON],
  ];
  for (const [name, max] of texts) {
    const value = optionalText(input[name], `input.${name}`, max);
    if (value !== undefined) (v as Record<string, unknown>)[name] = value;
  }
  if (input.affectedCustomers !== undefined && input.affectedFromAccessLog !== undefined && input.affectedCustomers !== null && input.affectedFromAccessLog !== null) {
    throw badInput('input.affectedFromAccessLog', 'give either affectedCustomers or affectedFromAccessLog, not both');
  }
  if (input.affectedCustomers !== undefined) {
    v.affectedCustomers = input.affectedCustomers === null ? null : wholeNumber(input.affectedCustomers, 'input.affectedCustomers', 0, MAX_AFFECTED);
    Object.assign(v, { affectedCountUserId: null, affectedCountFrom: null, affectedCountTo: null });
  }
  if (input.affectedFromAccessLog !== undefined && input.affectedFromAccessLog !== null) {
    const range = input.affectedFromAccessLog;
    v.affectedCustomers = await countAffectedCustomers(ctx, range, 'input.affectedFromAccessLog');
    Object.assign(v, { affectedCountUserId: range.userId, affectedCountFrom: range.from, affectedCountTo: range.to });
  } else if (input.affectedFromAccessLog === null && input.affectedCustomers === undefined) {
    throw badInput('input.affectedFromAccessLog', 'cannot be cleared: set affectedCustomers instead');
  }
  return v;
}

/** BAD_USER_INPUT for the first rule the merged state breaks, naming the field the input set (or the first involved). */
function assertRules(merged: Breach, input: BreachInput): void {
  const problem = breachProblem(merged);
  if (!problem) return;
  const given = problem.fields.find((field) => (input as Record<string, unknown>)[field] !== undefined) ?? problem.fields[0];
  throw badInput(`input.${given}`, problem.message);
}

async function appendEvent(tx: EntityManager, ctx: AuthenticatedContext, breachId: string, action: RegisterChange, before: Breach | null, after: Breach): Promise<void> {
  const change = changedValues(FIELDS, before, after);
  await tx.query(
    `INSERT INTO breach_event (chain_id, breach_id, user_id, session_id, request_id, action, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [ctx.principal.chainId, breachId, ctx.principal.userId, ctx.principal.sessionId, ctx.request.requestId, action, change.before, change.after],
  );
}

export async function recordBreach(ctx: AuthenticatedContext, input: RecordBreachInput): Promise<Breach> {
  const { principal, ability } = ctx;
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'create', 'Breach', { chainId: principal.chainId }, writtenFields(fieldsSet(input)));
    const now = new Date();
    const values = await valuesOf(ctx, input, now);
    const breach = Object.assign(new Breach(), {
      occurredAt: null, affectedCustomers: null, affectedCountUserId: null, affectedCountFrom: null, affectedCountTo: null, measures: null,
      notifiedAuthorityAt: null, authorityReference: null, notNotifiableReason: null, delayReason: null, customersNotifiedAt: null,
      customersNotNotifiedReason: null, dataCategories: [],
      ...values, chainId: principal.chainId, recordedById: principal.userId,
    });
    assertRules(breach, input);
    const repo = tx.getRepository(Breach);
    const { identifiers } = await repo.insert(breach);
    const saved = await repo.findOneByOrFail({ id: identifiers[0].id as string });
    await appendEvent(tx, ctx, saved.id, RegisterChange.CREATED, null, saved);
    return saved;
  });
}

export async function updateBreach(ctx: AuthenticatedContext, id: string, input: UpdateBreachInput): Promise<Breach> {
  const { principal, ability } = ctx;
  const fields = fieldsSet(input ?? {});
  if (fields.length === 0) throw badInput('input', 'sets no field');
  return ctx.core.transaction(async (tx) => {
    const breach = await findVisibleBreach(tx, ctx, id, true);
    assertMay(ability, 'update', 'Breach', { chainId: principal.chainId, id }, writtenFields(fields));
    const now = new Date();
    const values = await valuesOf(ctx, input, now);
    assertNotRedated(breach, values, now);
    const merged = Object.assign(new Breach(), breach, values);
    assertRules(merged, input);
    const changes = changedValues(FIELDS, breach, merged);
    if (Object.keys(changes.after).length === 0) return breach;
    await tx.getRepository(Breach).update({ id, chainId: principal.chainId }, values);
    const saved = await tx.getRepository(Breach).findOneByOrFail({ id });
    await appendEvent(tx, ctx, id, RegisterChange.UPDATED, breach, saved);
    return saved;
  });
}

/**
 * The 72-hour clock cannot be cheated by re-dating the discovery: the chain was aware of the breach at the latest
 * when it recorded it, and a deadline that has passed stays passed. Moving `discoveredAt` earlier is always allowed.
 */
function assertNotRedated(breach: Breach, values: BreachValues, now: Date): void {
  const moved = values.discoveredAt;
  if (!moved || moved.getTime() <= breach.discoveredAt.getTime()) return;
  if (moved.getTime() > breach.createdAt.getTime()) throw badInput('input.discoveredAt', 'cannot be after the breach was recorded: the chain was aware of it by then');
  if (now.getTime() > breachDeadline(breach).getTime()) throw badInput('input.discoveredAt', 'cannot be moved later once the 72-hour deadline it set has passed');
}

function findVisibleBreach(manager: EntityManager, ctx: AuthenticatedContext, id: string, lock = false): Promise<Breach> {
  return findVisible(manager, { entity: Breach, subjectName: 'Breach', alias: 'b', columns: COLUMNS, lock: lock ? 'update' : undefined }, ctx.principal, ctx.ability, id);
}

export async function listBreaches(ctx: AuthenticatedContext, overdue: boolean | null | undefined): Promise<Breach[]> {
  const { principal, ability } = ctx;
  assertMay(ability, 'read', 'Breach', { chainId: principal.chainId });
  assertListable(ability, { list: 'breaches', subject: 'Breach', orderedBy: 'discoveredAt', filters: givenFilters({ overdue }, { overdue: 'overdue' }) });
  const qb = ctx.core.getRepository(Breach).createQueryBuilder('b').where('b.chainId = :chainId', { chainId: principal.chainId });
  if (overdue === true) qb.andWhere(OVERDUE_SQL);
  if (overdue === false) qb.andWhere(`NOT ${OVERDUE_SQL}`);
  // Overdue first (a flagged incident needs action now), then the most recently discovered. The whole register, never
  // cut short: Art. 33(5) asks for every breach, and a list that silently dropped the oldest would not show it.
  return qb.orderBy(`CASE WHEN ${OVERDUE_SQL} THEN 0 ELSE 1 END`, 'ASC').addOrderBy('b.discoveredAt', 'DESC').addOrderBy('b.id', 'ASC').getMany();
}

/** A breach's history, oldest first (the field guard governs it as Breach.history). */
export function breachHistory(ctx: AuthenticatedContext, breach: Breach): Promise<BreachEvent[]> {
  return ctx.core.getRepository(BreachEvent).find({ where: { breachId: breach.id, chainId: breach.chainId }, order: { id: 'ASC' } });
}
