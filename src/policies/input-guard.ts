/**
 * Mutation input checks: the caller must hold the action on the subject for the row's scope, and
 * for every input field they set. Run inside the write's transaction, before anything is written.
 */
import { forbidden } from '../errors/errors';
import { AppAbility, scoped } from './ability';
import { Action } from './catalog';

/** The scope of a row for a check: its chain and, for store-bound rows, its store (chain-level rows have none). */
export interface RowScope {
  chainId: string;
  storeId?: string;
  id?: string;
}

/** Names of the fields an input object actually sets (undefined means "left out"). */
export function fieldsSet(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
}

export function assertMay(ability: AppAbility, action: Action, subjectName: string, scope: RowScope, fields: string[] = []): void {
  const target = scoped(subjectName, { ...scope });
  if (!ability.can(action, target)) throw forbidden(`Not allowed to ${action} ${subjectName} here.`);
  for (const field of fields) {
    if (!ability.can(action, target, field)) throw forbidden(`Not allowed to ${action} ${subjectName}.${field}.`);
  }
}

/**
 * For the chain's own reference data (its consent settings): the caller holds `action` on the subject, for every
 * field named, under some grant of their chain, whatever its scope (CASL ignores conditions when asked about the
 * subject type). Writes use `assertMay` with the chain's row instead, which only chain-scoped grants reach.
 */
export function assertMayAnywhere(ability: AppAbility, action: Action, subjectName: string, fields: string[]): void {
  if (!ability.can(action, subjectName)) throw forbidden(`Not allowed to ${action} ${subjectName}.`);
  for (const field of fields) {
    if (!ability.can(action, subjectName, field)) throw forbidden(`Not allowed to ${action} ${subjectName}.${field}.`);
  }
}
