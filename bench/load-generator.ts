/**
 * The load generator (the main thread, so the client's own work does not run on the servers' event loop):
 * sends one request body to an arm a number of times at a fixed concurrency, and runs the warm-up and the
 * timed rounds over all arms in rotating order, recording each arm's latencies, wall time, SQL statements
 * and access-log rows (bench/statistics.ts turns them into figures).
 */
import { countAccessLog } from './access-log-rows';
import { describeErrors, GraphQLBody } from './http-client';
import { Counts, ServerWorker } from './server-worker';
import { BenchSettings } from './settings';
import { ArmSample } from './statistics';

/** Sends `payload` (the JSON body) `count` times at `concurrency`; each request's latency (ms) and the wall time. Any failed request throws. */
async function run(url: string, token: string, payload: string, count: number, concurrency: number): Promise<{ latencies: number[]; wallMs: number }> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  async function lane(): Promise<void> {
    while (issued < count) {
      issued += 1;
      const t0 = performance.now();
      const response = await fetch(url, { method: 'POST', headers, body: payload });
      const body = (await response.json()) as GraphQLBody;
      latencies.push(performance.now() - t0);
      if (response.status !== 200 || body.errors?.length || !body.data) {
        throw new Error(`request failed on ${url}: ${describeErrors(response.status, body)}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { latencies, wallMs: performance.now() - started };
}

/** What the load generator drives: the arms' URLs, their server worker and the clinical database (owner). */
export interface LoadTarget<A extends string> {
  arms: readonly A[];
  urls: Record<A, string>;
  server: ServerWorker<A>;
  clinicalUrl: string;
  settings: BenchSettings;
}

/**
 * Warms every arm up (alternating), then times `settings.requests` requests per arm in `settings.rounds`
 * alternating rounds whose order rotates (a, b, c; b, c, a; c, a, b; ...), so machine noise hits all arms
 * alike and no arm always runs right after the same one (e.g. the access log's writes, or a GC the previous
 * arm left behind). Prints the `run:` line. Any failed request throws.
 */
export async function timeArms<A extends string>(
  target: LoadTarget<A>,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<A, ArmSample>> {
  const { arms, settings: { requests, concurrency, rounds, warmup }, urls, server, clinicalUrl } = target;
  const payload = JSON.stringify({ query, variables });
  const rotation = (r: number): A[] => arms.map((_, i) => arms[(r + i) % arms.length]);

  // Warm-up (JIT, pools, ability cache), alternating.
  const warmRounds = Math.max(1, Math.min(4, warmup));
  for (let r = 0; r < warmRounds; r += 1) {
    for (const arm of rotation(r)) await run(urls[arm], token, payload, Math.ceil(warmup / warmRounds), concurrency);
  }

  // Timed, alternating rounds in rotating order.
  const samples = Object.fromEntries(arms.map((arm) => {
    const sample: ArmSample = { latencies: [], wallMs: 0, statements: { core: 0, clinical: 0 }, logRows: 0 };
    return [arm, sample];
  })) as Record<A, ArmSample>;
  console.log(`run: ${requests} requests per instance at concurrency ${concurrency}, ${rounds} alternating rounds (rotating order),` +
    ` after ${warmRounds * Math.ceil(warmup / warmRounds)} warm-up requests each`);
  for (let r = 0; r < rounds; r += 1) {
    const count = Math.floor(requests / rounds) + (r < requests % rounds ? 1 : 0);
    for (const arm of rotation(r)) {
      const countsBefore: Counts = (await server.counts())[arm];
      const logBefore = await countAccessLog(clinicalUrl);
      const result = await run(urls[arm], token, payload, count, concurrency);
      const countsAfter: Counts = (await server.counts())[arm];
      const logAfter = await countAccessLog(clinicalUrl);
      const sample = samples[arm];
      sample.latencies.push(...result.latencies);
      sample.wallMs += result.wallMs;
      sample.statements.core += countsAfter.core - countsBefore.core;
      sample.statements.clinical += countsAfter.clinical - countsBefore.clinical;
      sample.logRows += logAfter - logBefore;
    }
  }
  return samples;
}
