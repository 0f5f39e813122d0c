/**
 * A TypeORM logger that counts the SQL statements each DataSource runs (the N+1 guard test and the
 * benchmarks read it) and passes errors to the application log. It never logs parameters: they can
 * hold personal data. Idle connections that PostgreSQL ends (it stopping, e.g. on Ctrl-C) are not warnings.
 */
import { Logger as TypeOrmLogger } from 'typeorm';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';
import { isServerGoneNotice, isShuttingDown } from './shutdown-signals';

export class QueryCounter implements TypeOrmLogger {
  statements = 0;

  constructor(private readonly database: string) {}

  logQuery(): void {
    this.statements += 1;
  }
  logQueryError(error: string | Error): void {
    if (isShuttingDown() && isServerGoneNotice(String(error))) return logger.debug({ database: this.database }, 'query ended by shutdown');
    logger.error({ database: this.database, err: safeErrorMessage(error) }, 'query failed');
  }
  logQuerySlow(time: number): void {
    logger.warn({ database: this.database, ms: time }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    logger.info({ database: this.database }, message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level !== 'warn') return;
    if (!isServerGoneNotice(String(message))) {
      logger.warn({ database: this.database }, String(message));
      return;
    }
    // An idle pooled connection PostgreSQL ended (it stopped or restarted, or an administrator ended it): the pool
    // replaces it, so not a warning. On Ctrl-C PostgreSQL (in the terminal's process group) often ends them before
    // this process has seen its own SIGINT: said a moment later, once it is known whether we are shutting down too.
    const database = this.database;
    setTimeout(() => {
      if (isShuttingDown()) logger.debug({ database }, 'connection ended by shutdown');
      else logger.info({ database }, 'a pooled connection was ended by PostgreSQL (it stopped, restarted or was told to)');
    }, 200).unref();
  }
}
