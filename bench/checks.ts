/**
 * The checks before anything is timed: every arm answers the query with data and no errors, only arms with
 * the access log on write it, and the arms return the same data (and so the same shape).
 */
import { isDeepStrictEqual } from 'node:util';
import { countAccessLog } from './access-log-rows';
import { ArmOptions } from './arm-app';
import { describeErrors, post } from './http-client';

/** What the checks need of a running benchmark. */
export interface CheckTarget<A extends string> {
  arms: readonly A[];
  options: Record<A, ArmOptions>;
  urls: Record<A, string>;
  /** The clinical database as its owner. */
  clinicalUrl: string;
}

/** The structure of a value: object keys and array lengths, no scalar values. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]));
  }
  return value === null ? 'null' : typeof value;
}

/**
 * Sends the query once to every arm, in order: each must answer with status 200, data and no errors, and
 * only arms with the access log on may add rows to it (at least one). Returns each arm's data and the
 * access-log rows its check request added.
 */
export async function checkArms<A extends string>(
  target: CheckTarget<A>,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  labels: Record<A, string>,
): Promise<{ data: Record<A, unknown>; logRows: Record<A, number> }> {
  const data: Partial<Record<A, unknown>> = {};
  const logRows: Partial<Record<A, number>> = {};
  for (const arm of target.arms) {
    const logBefore = await countAccessLog(target.clinicalUrl);
    const result = await post(target.urls[arm], query, variables, token);
    const logWritten = (await countAccessLog(target.clinicalUrl)) - logBefore;
    if (result.status !== 200 || result.body.errors?.length || !result.body.data) {
      throw new Error(`${labels[arm].trim()}: check request failed: ${describeErrors(result.status, result.body)}`);
    }
    if (target.options[arm].clinicalAccessLog ? logWritten === 0 : logWritten !== 0) {
      throw new Error(`${labels[arm].trim()}: the check request wrote ${logWritten} access-log rows`);
    }
    data[arm] = result.body.data;
    logRows[arm] = logWritten;
  }
  return { data: data as Record<A, unknown>, logRows: logRows as Record<A, number> };
}

/** Throws unless every arm's data has the shape and the values of the first arm's. */
export function assertSameData<A extends string>(arms: readonly A[], data: Record<A, unknown>, labels: Record<A, string>): void {
  const [first, ...others] = arms;
  for (const arm of others) {
    if (!isDeepStrictEqual(shape(data[first]), shape(data[arm]))) throw new Error(`${labels[arm].trim()} returns differently shaped data from ${labels[first].trim()}`);
    if (!isDeepStrictEqual(data[first], data[arm])) throw new Error(`${labels[arm].trim()} returns different data from ${labels[first].trim()}`);
  }
}
