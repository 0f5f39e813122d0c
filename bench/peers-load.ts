/**
 * `npm run bench:peers`' load: one arm's timed round with autocannon (a fixed number of connections for a fixed
 * time), recording every response's latency, the round's wall time, the server process's CPU ticks
 * (bench/peers-cpu.ts) and the SQL statements it ran, read once the server is idle again (the requests autocannon
 * left in flight at the end included, though they are not counted as responses). Any error, timeout or non-2xx response throws.
 */
import autocannon from 'autocannon';
import { processCpuTicks } from './peers-cpu';
import { PeerProcess } from './peers-process';
import { PeerSample } from './peers-stats';

/** How an arm is asked for the page. */
export interface ArmRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until process `pid` has been idle for 250 ms (at most 5 s): autocannon stops at the round's end with up to
 * `connections` requests in flight, which the server still works on. Their CPU is billed to this arm, not the next.
 */
async function settle(pid: number): Promise<void> {
  const deadline = performance.now() + 5000;
  let ticks = processCpuTicks(pid);
  while (performance.now() < deadline) {
    await sleep(250);
    const now = processCpuTicks(pid);
    if (now === ticks) return;
    ticks = now;
  }
}

/** Runs `request` at `connections` for `seconds` against `server`'s arm and adds what it recorded to `sample`. */
export async function timeRound(server: PeerProcess, request: ArmRequest, connections: number, seconds: number, sample: PeerSample): Promise<void> {
  const statementsBefore = await server.statements();
  const cpuBefore = processCpuTicks(server.pid);
  const latencies: number[] = [];
  let bytes = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ ...request, connections, duration: seconds, pipelining: 1, timeout: 30 },
      (error: unknown, done: autocannon.Result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)));
    instance.on('response', (_client, _status, resBytes, responseTime) => {
      latencies.push(responseTime);
      bytes += resBytes;
    });
  });
  const wallMs = performance.now() - started;
  await settle(server.pid);
  const cpuAfter = processCpuTicks(server.pid);
  const statementsAfter = await server.statements();
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(`${request.url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`);
  }
  sample.latencies.push(...latencies);
  sample.wallMs += wallMs;
  sample.cpuTicks += cpuAfter - cpuBefore;
  sample.statements += statementsAfter - statementsBefore;
  sample.bytes += bytes;
}
