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
 */
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner } from 'typeorm';

export interface RequestTransaction {
  core: DataSource;
  clinical: DataSource;
  /** Runs one root field in a savepoint of both transactions. */
  step<T>(fn: () => Promise<T> | T): Promise<T>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** A view of `dataSource` whose queries, repositories and transactions go through `runner`. */
function bound(dataSource: DataSource, runner: QueryRunner): DataSource {
  const manager: EntityManager = runner.manager;
  const view = Object.create(dataSource) as DataSource;
  Object.defineProperties(view, {
    manager: { value: manager },
    getRepository: { value: <E extends ObjectLiteral>(target: EntityTarget<E>) => manager.getRepository(target) },
    query: { value: (sql: string, parameters?: unknown[]) => runner.query(sql, parameters) },
    transaction: { value: (...args: Parameters<EntityManager['transaction']>) => manager.transaction(...args) },
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
function serialised(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  (runner as { query: unknown }).query = (...args: unknown[]) => {
    const run = tail.then(() => query(...args));
    tail = run.catch(() => undefined);
    return run;
  };
  return runner;
}

export async function beginRequestTransaction(core: DataSource, clinical: DataSource): Promise<RequestTransaction> {
  const coreRunner = serialised(core.createQueryRunner());
  const clinicalRunner = serialised(clinical.createQueryRunner());
  let open = true;
  async function release(): Promise<void> {
    open = false;
    await Promise.allSettled([coreRunner.release(), clinicalRunner.release()]);
  }
  try {
    await coreRunner.startTransaction();
    await clinicalRunner.startTransaction();
  } catch (error) {
    await Promise.allSettled([coreRunner.rollbackTransaction(), clinicalRunner.rollbackTransaction()]);
    await release();
    throw error;
  }
  return {
    core: bound(core, coreRunner),
    clinical: bound(clinical, clinicalRunner),
    step: (fn) => coreRunner.manager.transaction(() => clinicalRunner.manager.transaction(async () => fn())),
    async commit() {
      if (!open) return;
      try {
        // COMMIT of an aborted transaction silently rolls back: fail loudly instead.
        await Promise.all([clinicalRunner.query('SELECT 1'), coreRunner.query('SELECT 1')]);
        await clinicalRunner.commitTransaction();
      } catch (error) {
        await Promise.allSettled([coreRunner.rollbackTransaction()]);
        await release();
        throw error;
      }
      try {
        await coreRunner.commitTransaction();
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
