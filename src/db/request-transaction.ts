/**
 * A mutation request's unit of work: one transaction per database for the whole request, so a change
 * commits only once the response it produced is complete and its clinical access log is written. If
 * that log cannot be written, both transactions roll back: the client gets no data and nothing changed.
 *
 * The request's DataSources are replaced by views bound to the two transactions (`bound`): a service's
 * own `transaction()` then runs as a savepoint inside the request's transaction, and the DataLoaders
 * that resolve the payload read the uncommitted rows. Each root mutation field runs in a savepoint of
 * its own (`step`), so one failing field undoes its own writes only, as before.
 *
 * Order at the end: clinical first (it holds the access log), then core. The databases share no
 * two-phase commit; a core commit that fails after the clinical one leaves the access log saying what
 * was read, which errs on the side of the auditor.
 *
 * A connection that fails mid-request (PostgreSQL restarted, the backend terminated) makes TypeORM release
 * its query runner at once, so what the request does next fails with TypeORM's "already released" or
 * "transaction is not started" errors, which say nothing of the cause. The unit of work keeps the
 * connection's own error and rethrows those as `ConnectionLostError` caused by it: the server answers
 * SERVICE_UNAVAILABLE (src/server/database-unavailable.ts), not an internal error. Nothing was committed.
 */
import { EventEmitter } from 'node:events';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner } from 'typeorm';

export interface RequestTransaction {
  core: DataSource;
  clinical: DataSource;
  /** Runs one root field in a savepoint of both transactions. */
  step<T>(fn: () => Promise<T> | T): Promise<T>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** What TypeORM throws for a query runner it has released: after a connection failure, that failure's echo. */
const RELEASED_RUNNER_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError', 'TransactionNotStartedError']);

/** A request transaction's statement that failed because its connection had failed before (`cause`). */
export class ConnectionLostError extends Error {
  constructor(cause: unknown) {
    super('The request transaction\'s database connection failed.', { cause });
    this.name = 'ConnectionLostError';
  }
}

/** The errors of both connections, kept as they fail; `explain` turns TypeORM's echo of one into ConnectionLostError. */
class ConnectionWatch {
  private failure: unknown = null;
  private readonly detach: (() => void)[] = [];

  watch(connection: unknown): void {
    if (!(connection instanceof EventEmitter)) return;
    const onError = (error: unknown): void => {
      this.failure ??= error;
    };
    connection.on('error', onError);
    this.detach.push(() => connection.removeListener('error', onError));
  }

  explain(error: unknown): unknown {
    const name = error instanceof Error ? error.name : '';
    return this.failure !== null && RELEASED_RUNNER_ERRORS.has(name) ? new ConnectionLostError(this.failure) : error;
  }

  /** Runs `fn`, its failure explained. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.explain(error);
    }
  }

  stop(): void {
    for (const detach of this.detach.splice(0)) detach();
  }
}

/** A view of `dataSource` whose queries, repositories and transactions go through `runner`. */
function bound(dataSource: DataSource, runner: QueryRunner, connections: ConnectionWatch): DataSource {
  const manager: EntityManager = runner.manager;
  const view = Object.create(dataSource) as DataSource;
  Object.defineProperties(view, {
    manager: { value: manager },
    getRepository: { value: <E extends ObjectLiteral>(target: EntityTarget<E>) => manager.getRepository(target) },
    query: { value: (sql: string, parameters?: unknown[]) => runner.query(sql, parameters) },
    transaction: { value: (...args: Parameters<EntityManager['transaction']>) => connections.run(() => manager.transaction(...args)) },
    createQueryBuilder: { value: (...args: Parameters<EntityManager['createQueryBuilder']>) => manager.createQueryBuilder(...args) },
    createQueryRunner: {
      value: () => {
        throw new Error('A request transaction is open: use its manager, not a connection of its own.');
      },
    },
  });
  return view;
}

/**
 * Queues the runner's statements one after another: the payload's DataLoaders run in parallel, and one
 * connection takes one statement at a time (pg deprecates queueing them in the driver).
 */
function serialised(runner: QueryRunner, connections: ConnectionWatch): QueryRunner {
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  (runner as { query: unknown }).query = (...args: unknown[]) => {
    const run = tail.then(() => query(...args)).catch((error: unknown) => {
      throw connections.explain(error);
    });
    tail = run.catch(() => undefined);
    return run;
  };
  return runner;
}

export async function beginRequestTransaction(core: DataSource, clinical: DataSource): Promise<RequestTransaction> {
  const connections = new ConnectionWatch();
  const coreRunner = serialised(core.createQueryRunner(), connections);
  const clinicalRunner = serialised(clinical.createQueryRunner(), connections);
  let open = true;
  async function release(): Promise<void> {
    open = false;
    connections.stop();
    await Promise.allSettled([coreRunner.release(), clinicalRunner.release()]);
  }
  try {
    // The pg clients, watched from the moment they are checked out (TypeORM types them `any`).
    connections.watch(await coreRunner.connect());
    connections.watch(await clinicalRunner.connect());
    await coreRunner.startTransaction();
    await clinicalRunner.startTransaction();
  } catch (error) {
    await Promise.allSettled([coreRunner.rollbackTransaction(), clinicalRunner.rollbackTransaction()]);
    await release();
    throw error;
  }
  return {
    core: bound(core, coreRunner, connections),
    clinical: bound(clinical, clinicalRunner, connections),
    step: (fn) => connections.run(() => coreRunner.manager.transaction(() => clinicalRunner.manager.transaction(async () => fn()))),
    async commit() {
      if (!open) return;
      try {
        // COMMIT of an aborted transaction silently rolls back: fail loudly instead.
        await Promise.all([clinicalRunner.query('SELECT 1'), coreRunner.query('SELECT 1')]);
        await clinicalRunner.commitTransaction();
      } catch (error) {
        await Promise.allSettled([coreRunner.rollbackTransaction()]);
        await release();
        throw connections.explain(error);
      }
      try {
        await connections.run(() => coreRunner.commitTransaction());
      } finally {
        await release();
      }
    },
    async rollback() {
      if (!open) return;
      await Promise.allSettled([clinicalRunner.rollbackTransaction(), coreRunner.rollbackTransaction()]);
      await release();
    },
  };
}
