/**
 * Runs the anomaly rules (src/audit/anomaly-check.ts) in the background, off the request path: the
 * access-log plugin calls `afterAccessLogWritten` once a request's clinical access entries are
 * written, and the user's check runs later, after the response has gone.
 *
 * Throttled per user in each process: the first call starts a timer of `intervalMs`
 * (ANOMALY_CHECK_INTERVAL_SECONDS, default 30 s), later calls for that user join it, and one check then
 * covers every request in between; an alert is therefore raised at most that long after the read that
 * crossed the threshold. With 0 (the tests) every call checks on the next turn of the event loop.
 * Checks are tracked: `drain()` runs pending ones now and waits for all (tests, shutdown); a failed
 * check is logged with ids only (the application log never carries names) and never reaches a client.
 */
import { DataSource } from 'typeorm';
import { Principal } from '../policies/ability';
import { logger } from '../server/logger';
import { safeErrorMessage } from '../server/safe-error-message';
import { checkUserForAnomalies } from './anomaly-check';

interface Pending {
  chainId: string;
  userId: string;
  timer: NodeJS.Timeout;
}

export class AnomalyDetector {
  private readonly pending = new Map<string, Pending>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly core: DataSource,
    private readonly clinical: DataSource,
    private readonly intervalMs: number,
  ) {}

  /** A request of `principal` wrote clinical access entries: check that user soon. Never throws. */
  afterAccessLogWritten(principal: Principal): void {
    if (this.stopped) return;
    const key = `${principal.chainId}|${principal.userId}`;
    if (this.pending.has(key)) return;
    const timer = setTimeout(() => this.start(key), this.intervalMs);
    timer.unref();
    this.pending.set(key, { chainId: principal.chainId, userId: principal.userId, timer });
  }

  /** Runs every pending check now and waits until no check is running. */
  async drain(): Promise<void> {
    while (this.pending.size > 0 || this.running.size > 0) {
      for (const [key, { timer }] of [...this.pending]) {
        clearTimeout(timer);
        this.start(key);
      }
      await Promise.all([...this.running]);
    }
  }

  /** Stops taking new checks and finishes the pending ones (call before the DataSources close). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.drain();
  }

  private start(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    const { chainId, userId } = entry;
    const run = checkUserForAnomalies(this.core, this.clinical, chainId, userId)
      .then(() => undefined)
      .catch((error: unknown) => {
        logger.error({ chainId, userId, err: safeErrorMessage(error) }, 'anomaly check failed');
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }
}
