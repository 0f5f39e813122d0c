/**
 * Runs the anomaly rules (src/audit/anomaly-check.ts) in the background, off the request path: the
 * access-log plugin calls `afterAccessLogWritten` once a request's clinical access entries are
 * written, and the user's check runs later, after the response has gone.
 *
 * Throttled per user in each process: the first call starts a timer of `intervalMs`
 * (ANOMALY_CHECK_INTERVAL_SECONDS, default 30 s), later calls for that user join it, and one check then
 * covers every request in between; an alert is therefore raised at most that long after the read that
 * crossed the threshold. With 0 (the tests) every call checks on the next turn of the event loop.
 * Every interval a background sweep also checks every user with entries written since the last sweep, by any
 * API process (`sweep`); with several API processes (`npm start`'s cluster) one of them sweeps, the others
 * only check the users they served. Checks are tracked: `drain()` runs pending ones now and waits for all (tests, shutdown); a failed
 * check is logged with ids only (the application log never carries names) and never reaches a client.
 */
import { DataSource } from 'typeorm';
import { Principal } from '../policies/ability';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';
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
  private readonly sweeper: NodeJS.Timeout | null = null;
  /** The last access log entry id a sweep has seen (null until the first sweep, which starts from the log's end). */
  private sweptTo: string | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly core: DataSource,
    private readonly clinical: DataSource,
    private readonly intervalMs: number,
    /** Whether this process runs the background sweep (in a cluster, one worker does: src/server/cluster.ts). */
    sweeps = true,
  ) {
    if (intervalMs > 0 && sweeps) {
      this.sweeper = setInterval(() => void this.sweep(), intervalMs);
      this.sweeper.unref();
    }
  }

  /**
   * The background sweep: every user with granted entries written since the last sweep (by any API process)
   * is checked, whether or not this process served them, so the last burst before a user stops, or before
   * the process that served it died, is judged too. Never throws.
   */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.sweeping ??= this.sweepOnce().finally(() => { this.sweeping = null; });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    try {
      if (this.sweptTo === null) {
        const [{ max }] = (await this.clinical.query('SELECT coalesce(max(id), 0)::text AS max FROM clinical_access_log_entry')) as { max: string }[];
        this.sweptTo = max;
        return;
      }
      const rows = (await this.clinical.query(
        `SELECT chain_id::text AS "chainId", user_id::text AS "userId", max(id)::text AS last FROM clinical_access_log_entry
          WHERE id > $1 AND outcome = 'GRANTED' GROUP BY chain_id, user_id`,
        [this.sweptTo],
      )) as { chainId: string; userId: string; last: string }[];
      for (const row of rows) {
        if (BigInt(row.last) > BigInt(this.sweptTo)) this.sweptTo = row.last;
        this.run(row.chainId, row.userId);
      }
      await Promise.all([...this.running]);
    } catch (error) {
      logger.error({ err: safeErrorMessage(error) }, 'anomaly sweep failed');
    }
  }

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
    if (this.sweeper) clearInterval(this.sweeper);
    await this.sweeping;
    this.stopped = true;
    await this.drain();
  }

  private start(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    this.run(entry.chainId, entry.userId);
  }

  private run(chainId: string, userId: string): void {
    const run = checkUserForAnomalies(this.core, this.clinical, chainId, userId)
      .then(() => undefined)
      .catch((error: unknown) => {
        logger.error({ chainId, userId, err: safeErrorMessage(error) }, 'anomaly check failed');
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }
}
