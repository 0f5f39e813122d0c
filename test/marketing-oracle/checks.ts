/**
 * Compares the server's answers with the oracle's expectations for the marketing-list property suite:
 * one list taken through every page of `marketingList` (ids in order, totalCount, page sizes, the manifest,
 * each node's fields: the stored value when readable, null with a FORBIDDEN error at its path when not),
 * and one customer's `consentsAsOf` answers. Each returns the disagreements it found as text.
 */
import { GraphQLErrorShape, GraphQLResult } from '../support/graphql-client';
import { RULES } from './model';
import { ExpectedState, ListExpectation, MCustomer, Permissions } from './oracle';

type Values = Record<string, unknown>;
export interface Manifest {
  channel: string;
  takenAt: string;
  rules: string[];
  considered: number;
  included: number;
  excluded: { rule: string; count: number }[];
  contentHash: string;
}
export interface ListPage {
  marketingList: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Values }[];
    manifest: Manifest;
  } | null;
}

const TIMESTAMPS = new Set(['dataVerifiedAt', 'createdAt', 'updatedAt']);

export function sameValue(field: string, expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null;
  if (expected instanceof Date || TIMESTAMPS.has(field)) return typeof actual === 'string' && new Date(actual).getTime() === new Date(expected as string).getTime();
  return expected === actual;
}

const codeOf = (e: GraphQLErrorShape) => e.extensions?.code ?? 'NONE';
const pathOf = (e: GraphQLErrorShape) => (e.path ?? []).join('.');

/** A refused list: no data for the field, and one error of that code at `marketingList`. */
export function checkRefused(where: string, page: GraphQLResult<ListPage>, code: 'FORBIDDEN' | 'NOT_FOUND'): string[] {
  const out: string[] = [];
  if (page.data?.marketingList) out.push(`${where}: expected ${code}, got a list of ${page.data.marketingList.totalCount}`);
  const errors = page.errors ?? [];
  if (errors.length !== 1 || codeOf(errors[0]) !== code || pathOf(errors[0]) !== 'marketingList') {
    out.push(`${where}: expected one ${code} at marketingList, got ${JSON.stringify(errors.map((e) => [codeOf(e), pathOf(e), e.message]))}`);
  }
  return out;
}

export function checkManifest(where: string, manifest: Manifest, expected: Extract<ListExpectation, { outcome: 'OK' }>, channel: string, window: [number, number]): string[] {
  const out: string[] = [];
  const fail = (what: string, e: unknown, a: unknown) => out.push(`${where}.manifest.${what}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
  if (manifest.channel !== channel) fail('channel', channel, manifest.channel);
  if (manifest.considered !== expected.considered) fail('considered', expected.considered, manifest.considered);
  if (manifest.included !== expected.included.length) fail('included', expected.included.length, manifest.included);
  const excluded = Object.fromEntries((manifest.excluded ?? []).map((x) => [x.rule, x.count]));
  const want = Object.fromEntries(RULES.map((r) => [r, expected.excluded[r]]));
  if (manifest.excluded.length !== RULES.length || RULES.some((r) => excluded[r] !== want[r])) fail('excluded', want, manifest.excluded);
  const sum = manifest.excluded.reduce((n, x) => n + x.count, 0);
  if (manifest.considered !== manifest.included + sum) out.push(`${where}.manifest: considered ${manifest.considered} != included ${manifest.included} + excluded ${sum}`);
  if (manifest.contentHash !== expected.contentHash) fail('contentHash', expected.contentHash, manifest.contentHash);
  const taken = new Date(manifest.takenAt).getTime();
  if (!(taken >= window[0] - 1000 && taken <= window[1] + 1000)) fail('takenAt', `within ${new Date(window[0]).toISOString()}..${new Date(window[1]).toISOString()}`, manifest.takenAt);
  if (!Array.isArray(manifest.rules) || manifest.rules.length === 0 || manifest.rules.some((r) => typeof r !== 'string' || r === '')) fail('rules', 'the rules applied (non-empty strings)', manifest.rules);
  return out;
}

/** One node against the customer the oracle expects in its place: every selected field, readable or FORBIDDEN. */
export function checkNode(where: string, node: Values, m: MCustomer, fields: string[], perms: Permissions, errors: Map<string, GraphQLErrorShape>, path: string): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const at = `${path}.${f}`;
    const error = errors.get(at);
    errors.delete(at);
    if (perms.mayReadField(f, m.store)) {
      if (error) out.push(`${where} ${at}: readable, but error ${codeOf(error)} ${error.message}`);
      else if (!sameValue(f, m.values[f], node[f])) out.push(`${where} ${at}: expected ${JSON.stringify(m.values[f])}, got ${JSON.stringify(node[f])}`);
    } else {
      if (node[f] !== null && node[f] !== undefined) out.push(`${where} ${at}: not readable, but got ${JSON.stringify(node[f])}`);
      if (!error || codeOf(error) !== 'FORBIDDEN') out.push(`${where} ${at}: not readable, expected FORBIDDEN, got ${error ? codeOf(error) : 'no error'}`);
      else if (!error.message.includes(f)) out.push(`${where} ${at}: FORBIDDEN message does not name the field: ${error.message}`);
    }
  }
  return out;
}

/** Errors of a page by path, with the page's edge offset added (so paths run over the whole list). */
export function errorsByPath(page: GraphQLResult<ListPage>, offset: number, into: Map<string, GraphQLErrorShape>, unexpected: string[], where: string): void {
  for (const e of page.errors ?? []) {
    const p = e.path ?? [];
    if (p[0] === 'marketingList' && p[1] === 'edges' && typeof p[2] === 'number' && p[3] === 'node') {
      into.set(['marketingList', 'edges', p[2] + offset, ...p.slice(3)].join('.'), e);
    } else unexpected.push(`${where}: unexpected error ${codeOf(e)} at ${pathOf(e)}: ${e.message}`);
  }
}

export interface StateAnswer {
  channel: string;
  granted: boolean;
  basis: string | null;
  since: string | null;
  wordingVersion: string | null;
  eventId: string | null;
}

export function checkStates(where: string, expected: ExpectedState[], actual: StateAnswer[] | null | undefined): string[] {
  if (!actual) return [`${where}: no answer`];
  const out: string[] = [];
  if (actual.length !== expected.length) out.push(`${where}: expected ${expected.length} channels, got ${actual.length}`);
  for (const e of expected) {
    const a = actual.find((s) => s.channel === e.channel);
    if (!a) {
      out.push(`${where}.${e.channel}: missing`);
      continue;
    }
    const since = a.since === null ? null : new Date(a.since).getTime();
    const mismatch =
      a.granted !== e.granted || a.basis !== e.basis || since !== (e.since?.getTime() ?? null) || a.wordingVersion !== e.wordingVersion || a.eventId !== e.eventId;
    if (mismatch) out.push(`${where}.${e.channel}: expected ${JSON.stringify({ ...e, since: e.since?.toISOString() ?? null })}, got ${JSON.stringify(a)}`);
  }
  return out;
}
